/**
 * `edge-jwt verify`: asks the core for the verdict (discovery, JWKS, signature and claims, exactly as the
 * Worker would) and prints it as a checklist with a reason code and a fix for the failing check.
 */
import {
  AuthError,
  ConfigError,
  configFromEnv,
  createAuthorizer,
  type Logger,
  type ReasonCode,
} from "../../../src/index.js";
import { checklist, type Asked, type CheckRow } from "../checks.js";
import { items, text, type Command, type Io } from "../command.js";
import { decodeUnverified, tokenArgument, type Decoded } from "../decode.js";
import { CliError, EXIT } from "../errors.js";
import { hideArgs, printable, printableJson } from "../safe.js";

const FLAG_OF: Record<string, string> = {
  issuer: "--issuer",
  audience: "--audience",
  jwksUri: "--jwks-uri",
  algorithms: "--algorithms",
  typ: "--typ",
  JWT_CLOCK_TOLERANCE: "--clock-tolerance",
};

/** The verify command. */
export const verifyCommand: Command = {
  name: "verify",
  summary: "verify a token against an issuer, check by check",
  help: `Usage: edge-jwt verify <token|-> --issuer <url> [--audience <aud>]... [--jwks-uri <url>]
                       [--typ <typ>]... [--algorithms <a,b>] [--clock-tolerance <s>] [--json] [--verbose]

Verifies a token with the same core the Worker, Lambda and Vercel adapters use: discovers the JWKS
from <issuer>/.well-known/openid-configuration (or uses --jwks-uri), fetches the keys, checks the
signature and the claims. Prints each check (format, alg, typ, iss, kid, signature, exp, nbf, aud,
claims) as passed, failed or skipped; a failure comes with its reason code and a one-line fix.
Use - to read the token from stdin.

Options:
  --issuer <url>          the trusted issuer, compared exactly with iss (required)
  --audience <aud>        accepted audience; repeat or comma-separate for several;
                          without it the audience is NOT checked (the Worker always checks it)
  --jwks-uri <url>        skip discovery and fetch the keys here
  --typ <typ>             required typ header, e.g. at+jwt; repeatable
  --algorithms <a,b>      allowed algorithms (default: every asymmetric one)
  --clock-tolerance <s>   leeway in seconds for exp, nbf and iat (0-60, default 30)
  --json                  print {"valid", "code", "checks": [...], "claims"} as JSON
  --verbose               print the core's log lines on stderr
  -h, --help              this help

Exit codes: 0 valid, 1 refused (the reason code says why), 2 wrong usage or configuration,
3 no verdict: the issuer's keys could not be fetched (keys_unavailable).
`,
  options: {
    issuer: { type: "string" },
    audience: { type: "string", multiple: true },
    "jwks-uri": { type: "string" },
    typ: { type: "string", multiple: true },
    algorithms: { type: "string" },
    "clock-tolerance": { type: "string" },
    json: { type: "boolean" },
    verbose: { type: "boolean" },
  },
  async run(values, positionals, io) {
    const token = await tokenArgument(positionals, io);
    const issuer = text(values, "issuer");
    if (!issuer)
      throw new CliError(
        "--issuer <url> is required: the issuer you trust (the token's own iss is never trusted blindly)",
      );
    const asked: Asked = {};
    const audience = items(values, "audience", /,/);
    if (audience) asked.audience = audience;
    const typ = items(values, "typ", /,/);
    if (typ) asked.typ = typ;
    const authorizer = createAuthorizer(buildConfig(issuer, values, asked), {
      logger: values.verbose ? stderrLogger(io) : silent,
    });

    let decoded: Decoded | undefined;
    try {
      decoded = decodeUnverified(token);
    } catch {
      decoded = undefined; // the core names the failure below
    }
    let code: ReasonCode | undefined;
    let claims: Record<string, unknown> | undefined;
    try {
      claims = await authorizer.verify(token);
    } catch (e) {
      if (!(e instanceof AuthError))
        throw new CliError(`unexpected failure: ${(e as Error).message}`, EXIT.unavailable);
      code = e.code;
    }
    const rows = checklist(code, decoded, asked).map((r) =>
      r.fix ? { ...r, fix: r.fix.replace("<issuer>", issuer.replace(/\/$/, "")) } : r,
    );
    const report = {
      valid: code === undefined,
      ...(code ? { code } : {}),
      issuer,
      checks: rows,
      ...(claims ? { claims } : {}),
    };
    io.out(values.json ? `${printableJson(report, 2)}\n` : render(code, rows));
    return code === undefined ? EXIT.ok : code === "keys_unavailable" ? EXIT.unavailable : EXIT.refused;
  },
};

function buildConfig(issuer: string, values: Parameters<Command["run"]>[0], asked: Asked) {
  const entry: Record<string, unknown> = { issuer, audience: asked.audience ?? null };
  const jwksUri = text(values, "jwks-uri");
  if (jwksUri) entry.jwksUri = jwksUri;
  const algorithms = text(values, "algorithms");
  if (algorithms) entry.algorithms = algorithms;
  if (asked.typ) entry.typ = asked.typ;
  const tolerance = text(values, "clock-tolerance");
  try {
    return configFromEnv({
      JWT_CONFIG: { issuers: [entry] },
      ...(tolerance !== undefined ? { JWT_CLOCK_TOLERANCE: tolerance } : {}),
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const field = e.variable.split(".").pop() ?? e.variable;
    const problem = e.message.slice(e.message.indexOf(": ") + 2);
    // The core quotes bad values; an option value that is long or token-like is named, not repeated.
    const given = Object.entries(values).flatMap(([name, v]) =>
      (Array.isArray(v) ? v : [v])
        .filter((x): x is string => typeof x === "string")
        .map((value) => ({ value, label: `the value given to --${name}` })),
    );
    throw new CliError(`${FLAG_OF[field] ?? e.variable} ${hideArgs(problem, given)}`);
  }
}

function render(code: string | undefined, rows: CheckRow[]): string {
  const mark = { passed: "PASS", failed: "FAIL", skipped: "SKIP" } as const;
  const lines = [code === undefined ? "VALID: the token passed every check" : `REFUSED: ${code}`];
  for (const row of rows) {
    // Details quote the token's own header and claims: escaped, so they cannot drive the terminal or forge a line.
    lines.push(
      `  ${mark[row.result]}  ${row.check.padEnd(9)} ${row.code ? `${row.code}: ` : ""}${printable(row.detail)}`,
    );
    if (row.fix) lines.push(`        fix: ${printable(row.fix)}`);
  }
  return `${lines.join("\n")}\n`;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function stderrLogger(io: Io): Logger {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    io.err(`[${level}] ${printable(message)}${fields ? ` ${printableJson(fields)}` : ""}\n`);
  return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
}
