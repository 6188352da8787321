/** `edge-jwt revoke`: what to write to revoke a token or a subject (KV key and value, wrangler command, list entry). */
import { revocationKeys } from "../../../src/index.js";
import { text, type Command } from "../command.js";
import { CliError, EXIT } from "../errors.js";
import { decodeUnverified, tokenArgument } from "../decode.js";
import { parseDuration } from "../duration.js";
import { printableJson } from "../safe.js";

/** A shell word in single quotes (a `'` inside becomes `'\''`). */
const shellQuote = (value: string): string => `'${value.replace(/'/g, "'\\''")}'`;

/** The revoke command. */
export const revokeCommand: Command = {
  name: "revoke",
  summary: "print the KV key and value (and list entry) that revoke a token or a subject",
  help: `Usage: edge-jwt revoke --iss <issuer> --jti <id>
       edge-jwt revoke --iss <issuer> --sub <subject> [--before <time>]
       edge-jwt revoke <token|-> [--whole-subject] [--before <time>]

Prints what to write to revoke, and writes nothing: the key and value for the Worker's
JWT_REVOCATION_KV namespace, the wrangler command that writes them, and the entry for a revocation
list ({"revoked": [...]}). A token argument is decoded, not verified: its iss and jti (with
--whole-subject, its iss and sub) are used. A jti key of a token expires with the token (wrangler --expiration).

Options:
  --iss <issuer>    the token's iss, exactly (a trailing slash matters)
  --jti <id>        revoke the one token with this jti
  --sub <subject>   revoke every token of this subject issued before --before
  --before <time>   epoch seconds, or a duration from now like 0, -1h (default: now)
  --whole-subject   with a token: revoke its subject's tokens issued before --before
  --json            print {"key", "value", "command", "entry"} as JSON
  -h, --help        this help

Example:
  edge-jwt revoke --iss https://idp.example/ --sub alice
  npx wrangler kv key put --binding JWT_REVOCATION_KV 'sub:https://idp.example/|alice' '1767225600' --remote
`,
  options: {
    iss: { type: "string" },
    jti: { type: "string" },
    sub: { type: "string" },
    before: { type: "string" },
    json: { type: "boolean" },
    "whole-subject": { type: "boolean" },
  },
  async run(values, positionals, io) {
    const now = Math.floor(Date.now() / 1000);
    let iss = text(values, "iss");
    let jti = text(values, "jti");
    let sub = text(values, "sub");
    let exp: number | undefined;
    if (positionals.length > 0) {
      if (iss !== undefined || jti !== undefined || sub !== undefined)
        throw new CliError("give a token, or --iss with --jti or --sub, not both (see --help)");
      const { payload } = decodeUnverified(await tokenArgument(positionals, io));
      const claim = (name: string) => (typeof payload[name] === "string" ? (payload[name] as string) : undefined);
      [iss, exp] = [claim("iss"), typeof payload.exp === "number" ? payload.exp : undefined];
      if (!values["whole-subject"]) jti = claim("jti");
      else sub = claim("sub");
      if (iss === undefined || (jti ?? sub) === undefined)
        throw new CliError(`the token has no string iss and ${values["whole-subject"] ? "sub" : "jti"}`, EXIT.refused);
    }
    if (values["whole-subject"] && positionals.length === 0) throw new CliError("--whole-subject goes with a token");
    if (!iss) throw new CliError("--iss is required (see --help)");
    if ((jti === undefined) === (sub === undefined)) throw new CliError("give exactly one of --jti and --sub");
    if (jti !== undefined && values.before !== undefined) throw new CliError("--before goes with --sub only");
    const beforeText = text(values, "before");
    const before =
      beforeText === undefined
        ? now
        : /^\d{9,}$/.test(beforeText)
          ? Number(beforeText)
          : now + parseDuration(beforeText, "--before");
    const keys = revocationKeys(jti !== undefined ? { iss, jti } : { iss, sub: sub! });
    const key = (keys.jti ?? keys.sub)!;
    const value = jti !== undefined ? "1" : String(before);
    const entry = jti !== undefined ? { iss, jti } : { iss, sub, before };
    const expiration = jti !== undefined && exp !== undefined && exp > now + 60 ? ` --expiration ${exp}` : "";
    const put = "npx wrangler kv key put --binding JWT_REVOCATION_KV";
    const command = `${put} ${shellQuote(key)} ${shellQuote(value)}${expiration} --remote`;
    if (values.json) {
      io.out(`${printableJson({ key, value, command, entry }, 2)}\n`);
      return EXIT.ok;
    }
    io.out(`KV key:     ${key}\nKV value:   ${value}\nwrangler:   ${command}\nlist entry: ${printableJson(entry)}\n`);
    return EXIT.ok;
  },
};
