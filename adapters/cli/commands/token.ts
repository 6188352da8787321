/** `edge-jwt token`: mints a signed token and prints it alone on stdout. */
import { items, text, type Command } from "../command.js";
import { parseDuration } from "../duration.js";
import { CliError, EXIT } from "../errors.js";
import { readPrivateKey } from "../keys.js";
import { DEFAULT_TYP, mint } from "../mint.js";
import { got } from "../safe.js";

/** The token command. */
export const tokenCommand: Command = {
  name: "token",
  summary: "mint a signed token (prints the token alone on stdout)",
  help: `Usage: edge-jwt token --key <file> [--sub <id>] [--iss <url>] [--aud <aud>]... [--scope "<scopes>"]
                      [--roles <r,...>] [--permissions <p,...>] [--exp <duration>] [--nbf <duration>]
                      [--claim <name>=<value>]... [--typ <typ>]

Mints a token signed with a private JWK and prints it alone on stdout.
Claims: iat (now), exp (now + --exp), a random jti, and the ones given.

Options:
  --key <file>          private key: a private JWK file (edge-jwt keygen --out writes one),
                        a JWKS with one private key, or keygen's JSON output;
                        default: the file named by $EDGE_JWT_KEY
  --sub <id>            the subject (user id)
  --iss <url>           the issuer (--issuer works too, as on edge-jwt verify)
  --aud <aud>           the audience; repeat for several (then aud is an array); --audience works too
  --scope "<a b>"       the scope claim, space-separated
  --roles <a,b>         the roles claim (array); comma- or space-separated, repeatable
  --permissions <a,b>   the permissions claim (array); comma- or space-separated, repeatable
  --exp <duration>      lifetime: 90s, 30m, 1h (default), 7d; negative (--exp=-5m) mints an expired token
  --nbf <duration>      not valid before now + duration
  --claim <k>=<v>       any claim; <v> is read as JSON when it parses (42, true, ["a"]), else as a string;
                        repeatable; overrides the options above
  --typ <typ>           the typ header; default ${DEFAULT_TYP} (RFC 9068 access token); JWT for a plain JWT
  -h, --help            this help

Example:
  edge-jwt token --key keys/private.jwk.json --iss http://127.0.0.1:8788 --aud api \\
    --sub alice --scope "read write" --roles admin --permissions orders:write --exp 1h
`,
  options: {
    key: { type: "string" },
    sub: { type: "string" },
    iss: { type: "string" },
    issuer: { type: "string" },
    aud: { type: "string", multiple: true },
    audience: { type: "string", multiple: true },
    scope: { type: "string" },
    roles: { type: "string", multiple: true },
    permissions: { type: "string", multiple: true },
    exp: { type: "string" },
    nbf: { type: "string" },
    claim: { type: "string", multiple: true },
    typ: { type: "string" },
  },
  async run(values, positionals, io) {
    if (positionals.length > 0) throw new CliError("takes no arguments; every claim is an option (see --help)");
    const keyFile = text(values, "key") ?? process.env.EDGE_JWT_KEY;
    if (!keyFile)
      throw new CliError(
        "--key <file> is required (or set EDGE_JWT_KEY); create a key with: edge-jwt keygen --out <dir>",
      );
    const key = readPrivateKey(keyFile);
    const iss = issuerOf(values);
    const aud = audienceOf(values);
    const nbf = text(values, "nbf");
    const typ = text(values, "typ");
    const token = await mint({
      key,
      ...optional("sub", text(values, "sub")),
      ...optional("iss", iss),
      ...(aud && aud.length > 0 ? { aud: aud.length === 1 ? aud[0]! : aud } : {}),
      ...optional("scope", text(values, "scope")),
      ...optional("roles", items(values, "roles")),
      ...optional("permissions", items(values, "permissions")),
      expiresIn: parseDuration(text(values, "exp") ?? "1h", "--exp"),
      ...(nbf !== undefined ? { notBefore: parseDuration(nbf, "--nbf") } : {}),
      claims: parseClaims(items(values, "claim", /\n/) ?? []),
      ...(typ !== undefined ? { typ } : {}),
    });
    io.out(`${token}\n`);
    for (const warning of refusalsAhead(values, parseDuration(text(values, "exp") ?? "1h", "--exp"), nbf)) {
      io.err(`edge-jwt token: warning: ${warning}\n`);
    }
    return EXIT.ok;
  },
};

/** What `verify` (and every adapter) would refuse in the token just minted: said on stderr, never fatal. */
function refusalsAhead(values: Values, expiresIn: number, nbf: string | undefined): string[] {
  const out: string[] = [];
  if (issuerOf(values) === undefined) out.push("no --iss: verify refuses a token without iss (claim_missing)");
  if (audienceOf(values) === undefined)
    out.push("no --aud: an authorizer with an audience refuses it (audience_mismatch)");
  if (expiresIn <= 0) out.push("--exp is not in the future: verify refuses it as token_expired");
  if (nbf !== undefined && parseDuration(nbf, "--nbf") > 30)
    out.push("--nbf is in the future: verify refuses it as token_not_yet_valid until then");
  return out;
}

type Values = Parameters<Command["run"]>[0];

/** `--iss` or its long spelling `--issuer`, the flag `edge-jwt verify` uses; both at once is a mistake. */
function issuerOf(values: Values): string | undefined {
  const short = text(values, "iss");
  const long = text(values, "issuer");
  if (short !== undefined && long !== undefined) throw new CliError("give the issuer once: --iss or --issuer");
  return short ?? long;
}

/** `--aud` and `--audience` name the same list; every value of both is kept. */
function audienceOf(values: Values): string[] | undefined {
  const all = [...(items(values, "aud", /,/) ?? []), ...(items(values, "audience", /,/) ?? [])];
  return all.length > 0 ? all : undefined;
}

function parseClaims(pairs: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new CliError(`--claim must be <name>=<value>${got(pair)}`);
    const value = pair.slice(eq + 1);
    claims[pair.slice(0, eq)] = parseValue(value);
  }
  return claims;
}

function parseValue(value: string): unknown {
  if (!/^(-?\d|true$|false$|null$|[[{"])/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
