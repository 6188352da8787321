/** `edge-jwt keygen`: a private JWK and the public JWKS. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { text, type Command } from "../command.js";
import { CliError, EXIT } from "../errors.js";
import { generateSigningKey, KEYGEN_ALGORITHMS, publicJwks, type KeygenAlg } from "../keys.js";
import { got, showArg } from "../safe.js";

/** The keygen command. */
export const keygenCommand: Command = {
  name: "keygen",
  summary: "generate a signing key: a private JWK and the public JWKS",
  help: `Usage: edge-jwt keygen [--alg ES256|RS256|EdDSA] [--kid <id>] [--out <dir>]

Generates a signing key pair.
Without --out, prints {"privateJwk": ..., "jwks": ...} as JSON on stdout.
With --out, writes <dir>/private.jwk.json (mode 600, keep it secret) and <dir>/jwks.json
(publish it; it is what a verifier fetches) and prints the two paths.

Options:
  --alg <alg>   ES256 (default), RS256 (2048-bit) or EdDSA (Ed25519)
  --kid <id>    key id; default the RFC 7638 thumbprint of the public key
  --out <dir>   write the files into <dir> (created if missing) instead of printing
  -h, --help    this help

Example:
  edge-jwt keygen --alg ES256 --out ./keys
  edge-jwt token --key ./keys/private.jwk.json --iss https://issuer.example --aud api --sub alice
`,
  options: { alg: { type: "string" }, kid: { type: "string" }, out: { type: "string" } },
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new CliError("takes no arguments (see --help)");
    const alg = text(values, "alg") ?? "ES256";
    if (!(KEYGEN_ALGORITHMS as readonly string[]).includes(alg))
      throw new CliError(`--alg must be one of ${KEYGEN_ALGORITHMS.join(", ")}${got(alg)}`);
    const kid = text(values, "kid");
    if (kid !== undefined && kid.trim() === "") throw new CliError("--kid must not be empty");
    const privateJwk = await generateSigningKey(alg as KeygenAlg, kid);
    const jwks = publicJwks([privateJwk]);
    const out = text(values, "out");
    if (out === undefined) {
      io.out(`${JSON.stringify({ privateJwk, jwks }, null, 2)}\n`);
      return EXIT.ok;
    }
    const privateFile = join(out, "private.jwk.json");
    const jwksFile = join(out, "jwks.json");
    try {
      mkdirSync(out, { recursive: true });
      writeFileSync(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
      writeFileSync(jwksFile, `${JSON.stringify(jwks, null, 2)}\n`);
    } catch (e) {
      // The code only: a system message repeats the path.
      throw new CliError(`cannot write to ${showArg(out, "the directory given to --out")}: ${errorCode(e)}`);
    }
    io.out(`${privateFile}\n${jwksFile}\n`);
    io.err(`kid ${privateJwk.kid} (${alg}): keep ${privateFile} secret; publish ${jwksFile}\n`);
    return EXIT.ok;
  },
};

/** The system error code of a failed write (`EACCES`, ...), or a plain phrase. */
const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? "write failed";
