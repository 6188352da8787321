/** `edge-jwt assertion-jwks`: the public JWKS of the identity-assertion key(s), as the Worker serves it. */
import { readFileSync } from "node:fs";
import { ConfigError, parseAssertionKeys } from "../../../src/index.js";
import type { Command } from "../command.js";
import { CliError, EXIT } from "../errors.js";
import { showArg } from "../safe.js";

/** The assertion-jwks command. */
export const assertionJwksCommand: Command = {
  name: "assertion-jwks",
  summary: "print the public JWKS of the identity-assertion key (what origins verify with)",
  help: `Usage: edge-jwt assertion-jwks --key <private.jwk.json>

Reads the value of JWT_ASSERTION_KEY from a file (one private JWK, or a JWK Set whose first key signs)
and prints the public JWK Set the Worker serves at /.well-known/edge-jwt/jwks.json. Give it to origins
that verify assertions without fetching (createOriginVerifier({ jwks })).

Options:
  --key <file>  the private key (EC P-256 or Ed25519, with a kid): edge-jwt keygen --out <dir> makes one
  -h, --help    this help

Example:
  edge-jwt keygen --alg ES256 --out ./assertion
  edge-jwt assertion-jwks --key ./assertion/private.jwk.json > assertion-jwks.json
`,
  options: { key: { type: "string" } },
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new CliError("takes no arguments (see --help)");
    const file = typeof values.key === "string" ? values.key : undefined;
    if (file === undefined) throw new CliError("--key <private.jwk.json> is required");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new CliError(`cannot read ${showArg(file, "the file given to --key")}`);
    }
    try {
      io.out(`${JSON.stringify(parseAssertionKeys(text)!.jwks, null, 2)}\n`);
    } catch (e) {
      // The problem only: it never quotes key material.
      if (e instanceof ConfigError) throw new CliError(`--key: ${e.message.replace(/^JWT_ASSERTION_KEY: /, "")}`);
      throw e;
    }
    return EXIT.ok;
  },
};
