/**
 * `edge-jwt verify`: asks the core for the verdict (discovery, JWKS, signature and claims, exactly as the
 * Worker would) and prints it as a checklist with a reason code and a fix for the failing check.
 */
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import type { JWK } from "jose";
import {
  AuthError,
  ConfigError,
  configFromEnv,
  createAuthorizer,
  publicJwk,
  type Logger,
  type ReasonCode,
} from "../../../src/index.js";
import { checklist, type Asked, type CheckRow } from "../checks.js";
import { items, text, type Command, type Io } from "../command.js";
import { decodeUnverified, tokenArgument, type Decoded } from "../decode.js";
import { CliError, EXIT } from "../errors.js";
import { hideArgs, printable, printableJson, showArg } from "../safe.js";

const FLAG_OF: Record<string, string> = {
  issuer: "--issuer",
  audience: "--audience",
  jwksUri: "--jwks-uri",
  algorithms: "--algorithms",
  typ: "--typ",
  JWT_CLOCK_TOLERANCE: "--clock-tolerance",
  JWT_SECRET: "--secret",
  jwks: "--jwks",
};

/** The verify command. */
export const verifyCommand: Command = {
  name: "verify",
  summary: "verify a token against an issuer, check by check",
  help: `Usage: edge-jwt verify <token|-> --issuer <url> [--audience <aud>]...
                       [--jwks-uri <url> | --jwks <file> | --key <file> | --secret <secret>]
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
  --jwks <file>           offline: the keys from a JWKS file (the jwks.json keygen writes); no fetch
  --key <file>            offline: one key, a JWK (public or private) or a PEM (public key or private key)
  --secret <secret>       offline: an HMAC secret (HS256/384/512), as JWT_SECRET
                          --iss and --aud are accepted for --issuer and --audience, as on edge-jwt token
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
    jwks: { type: "string" },
    key: { type: "string" },
    secret: { type: "string" },
    iss: { type: "string" },
    aud: { type: "string", multiple: true },
    typ: { type: "string", multiple: true },
    algorithms: { type: "string" },
    "clock-tolerance": { type: "string" },
    json: { type: "boolean" },
    verbose: { type: "boolean" },
  },
  async run(values, positionals, io) {
    const token = await tokenArgument(positionals, io);
    const issuer = text(values, "issuer") ?? text(values, "iss");
    if (!issuer)
      throw new CliError(
        "--issuer <url> is required: the issuer you trust (the token's own iss is never trusted blindly)",
      );
    const asked: Asked = {};
    const audience = items(values, "audience", /,/) ?? items(values, "aud", /,/);
    if (audience) asked.audience = audience;
    const typ = items(values, "typ", /,/);
    if (typ) asked.typ = typ;
    let kid: string | undefined;
    try {
      kid = decodeUnverified(token).header.kid as string | undefined;
    } catch {
      kid = undefined;
    }
    const authorizer = createAuthorizer(buildConfig(issuer, values, asked, offlineKeys(values, kid)), {
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

function buildConfig(
  issuer: string,
  values: Parameters<Command["run"]>[0],
  asked: Asked,
  keys: { jwks?: { keys: JWK[] }; secret?: string },
) {
  const entry: Record<string, unknown> = {
    issuer,
    audience: asked.audience ?? null,
    ...(keys.jwks ? { jwks: keys.jwks } : {}),
  };
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
      ...(keys.secret !== undefined ? { JWT_SECRET: keys.secret } : {}),
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

/**
 * Offline keys: `--jwks` (a JWKS file), `--key` (a JWK or PEM file, public or private: only its public
 * part is used, with the token's `kid` when it has none) or `--secret`; at most one, and not with
 * `--jwks-uri`. None: the keys are fetched (discovery, or `--jwks-uri`).
 */
function offlineKeys(values: Parameters<Command["run"]>[0], kid: string | undefined) {
  const given = ["jwks-uri", "jwks", "key", "secret"].filter((name) => text(values, name) !== undefined);
  if (given.length > 1) throw new CliError(`give one of ${given.map((n) => `--${n}`).join(", ")}, not several`);
  const read = (name: string) => {
    try {
      return readFileSync(text(values, name)!, "utf8");
    } catch {
      throw new CliError(`cannot read ${showArg(text(values, name)!, `the file given to --${name}`)}`);
    }
  };
  if (text(values, "secret") !== undefined) return { secret: text(values, "secret")! };
  if (text(values, "jwks") !== undefined) {
    const jwks = parseJson(read("jwks"), "--jwks") as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new CliError('--jwks must be a JWK Set file: {"keys": [...]}');
    return { jwks: { keys: (jwks.keys as JWK[]).map((k) => ({ ...publicJwk(k), ...meta(k) })) } };
  }
  if (text(values, "key") !== undefined) {
    const content = read("key");
    const jwk = content.trimStart().startsWith("-----BEGIN")
      ? (createPublicKey(content).export({ format: "jwk" }) as JWK)
      : (parseJson(content, "--key") as JWK);
    const withKid = { ...publicJwk(jwk), ...meta(jwk) };
    if (withKid.kid === undefined && kid !== undefined) withKid.kid = kid;
    return { jwks: { keys: [withKid] } };
  }
  return {};
}

/** The members a JWKS publishes besides the key material. */
const meta = (jwk: JWK): JWK =>
  Object.fromEntries(Object.entries({ kid: jwk.kid, alg: jwk.alg, use: jwk.use }).filter(([, v]) => v !== undefined));

function parseJson(textValue: string, flag: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new CliError(`${flag}: the file is not JSON (a JWK, a JWK Set, or a PEM key)`);
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
