/** `edge-jwt dpop`: a DPoP proof (RFC 9449) for one request, signed with the client's private key. */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { calculateJwkThumbprint, importJWK, SignJWT, type JWK } from "jose";
import { publicJwk, sha256Base64url } from "../../../src/index.js";
import { text, type Command } from "../command.js";
import { CliError, EXIT } from "../errors.js";
import { showArg } from "../safe.js";

/** The proof algorithm a private key signs with. */
const ALG_OF: Record<string, string> = {
  "EC:P-256": "ES256",
  "EC:P-384": "ES384",
  "OKP:Ed25519": "EdDSA",
  RSA: "PS256",
};

/** The dpop command. */
export const dpopCommand: Command = {
  name: "dpop",
  summary: "print a DPoP proof for one request (or --jkt: the key's thumbprint, for cnf.jkt)",
  help: `Usage: edge-jwt dpop --key <private.jwk.json> --method <GET> --url <https://...> [--token <access token>]
       edge-jwt dpop --key <private.jwk.json> --jkt

Prints a DPoP proof (RFC 9449): a JWT with typ dpop+jwt, the public key in its header, and htm, htu
(the URL without query and fragment), iat, a fresh jti and, with --token, ath (the token's SHA-256).
Send it as the DPoP header, with the token as 'Authorization: DPoP <token>'. A proof is good for one
request: make a new one for every request.

Options:
  --key <file>    the client's private key (EC P-256/P-384, Ed25519 or RSA): edge-jwt keygen --out <dir>
  --method <m>    the request's method (default GET)
  --url <url>     the request's URL
  --token <jwt>   the access token the proof goes with (sets ath)
  --jkt           print the key's RFC 7638 thumbprint instead: the cnf.jkt of tokens bound to it
  -h, --help      this help

Example:
  edge-jwt keygen --alg ES256 --out ./client
  TOKEN=$(edge-jwt token --claim "cnf={\\"jkt\\":\\"$(edge-jwt dpop --key ./client/private.jwk.json --jkt)\\"}" ...)
  curl -H "Authorization: DPoP $TOKEN" \\
    -H "DPoP: $(edge-jwt dpop --key ./client/private.jwk.json --url http://127.0.0.1:8787/me --token $TOKEN)" \\
    http://127.0.0.1:8787/me
`,
  options: {
    key: { type: "string" },
    method: { type: "string" },
    url: { type: "string" },
    token: { type: "string" },
    jkt: { type: "boolean" },
  },
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new CliError("takes no arguments (see --help)");
    const file = text(values, "key");
    if (file === undefined) throw new CliError("--key <private.jwk.json> is required");
    const jwk = readKey(file);
    const pub = publicJwk(jwk);
    if (values.jkt === true) {
      io.out(`${await calculateJwkThumbprint(pub, "sha256")}\n`);
      return EXIT.ok;
    }
    const url = text(values, "url");
    if (url === undefined || !URL.canParse(url)) throw new CliError("--url <absolute URL> is required");
    const target = new URL(url);
    const method = (text(values, "method") ?? "GET").toUpperCase();
    if (!/^[A-Z]+$/.test(method)) throw new CliError("--method must be an HTTP method such as GET");
    const token = text(values, "token");
    const alg = ALG_OF[jwk.kty === "RSA" ? "RSA" : `${String(jwk.kty)}:${String(jwk.crv)}`];
    if (!alg) throw new CliError("--key: an EC P-256/P-384, Ed25519 or RSA private key is needed");
    const claims: Record<string, unknown> = {
      jti: randomUUID(),
      htm: method,
      htu: `${target.protocol}//${target.host}${target.pathname}`,
      iat: Math.floor(Date.now() / 1000),
    };
    if (token !== undefined) {
      claims.ath = await sha256Base64url(token);
    }
    const proof = await new SignJWT(claims)
      .setProtectedHeader({ alg, typ: "dpop+jwt", jwk: pub })
      .sign(await importJWK({ ...jwk, alg }, alg));
    io.out(`${proof}\n`);
    return EXIT.ok;
  },
};

/** The private JWK in `file`; the error names the problem, never key material. */
function readKey(file: string): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`cannot read a JSON key from ${showArg(file, "the file given to --key")}`);
  }
  if (typeof jwk !== "object" || jwk === null || typeof (jwk as JWK).d !== "string")
    throw new CliError("--key: the file must hold one private JWK (with d)");
  return jwk as JWK;
}
