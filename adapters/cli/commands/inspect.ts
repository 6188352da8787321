/** `edge-jwt inspect`: decodes a token WITHOUT verifying it, and says so loudly. */
import type { Command } from "../command.js";
import { decodeUnverified, tokenArgument } from "../decode.js";
import { describeTime } from "../duration.js";
import { EXIT } from "../errors.js";
import { printable, printableJson } from "../safe.js";

/** The warning printed on stderr by every inspect. */
const NOT_VERIFIED_BANNER = `
  ************************************************************************
  *  NOT VERIFIED: decoded only. The signature, issuer, audience and     *
  *  expiry were NOT checked. Anyone can write these claims.             *
  *  To check the token: edge-jwt verify <token> --issuer <url>          *
  ************************************************************************
`;

/** The inspect command. */
export const inspectCommand: Command = {
  name: "inspect",
  summary: "decode a token WITHOUT verifying it",
  help: `Usage: edge-jwt inspect <token|-> [--json]

Decodes the header and payload of a token and prints them, with its times in readable form.
Nothing is verified: a "NOT VERIFIED" banner is printed on stderr every time.
Use - to read the token from stdin.

Options:
  --json       print {"verified": false, "header": ..., "payload": ...} only
  -h, --help   this help

Exit codes: 0 decoded, 1 not a decodable JWT, 2 wrong usage.
`,
  options: { json: { type: "boolean" } },
  async run(values, positionals, io) {
    const token = await tokenArgument(positionals, io);
    io.err(NOT_VERIFIED_BANNER);
    const { header, payload } = decodeUnverified(token);
    if (values.json) {
      io.out(`${printableJson({ verified: false, header, payload }, 2)}\n`);
      return EXIT.ok;
    }
    const now = Math.floor(Date.now() / 1000);
    const times = ["iat", "nbf", "exp"]
      .filter((c) => c in payload)
      .map((c) => `  ${c}  ${printable(describeTime(payload[c], now))}`);
    // Anyone can write these: every string is escaped so none can drive the terminal.
    io.out(
      `header (NOT VERIFIED):\n${printableJson(header, 2)}\npayload (NOT VERIFIED):\n${printableJson(payload, 2)}\n`,
    );
    if (times.length > 0) io.out(`times:\n${times.join("\n")}\n`);
    return EXIT.ok;
  },
};
