/**
 * Shared fixtures for the security suite: one authorizer per test with an in-memory JWKS behind a
 * counting fetch, an injected clock and a recording logger (token minting is in tokens.ts, re-exported
 * here); and one assertion that checks a refusal's exact status, code, response and that nothing leaks.
 */
import { expect } from "vitest";
import type { JWK } from "jose";
import { AuthError, configFromEnv, createAuthorizer, refusalResponse } from "../../src/index.js";
import type {
  Authorizer,
  AuthorizerConfig,
  Decision,
  IssuerConfig,
  LogFields,
  Logger,
  Refused,
  SignatureVerifier,
} from "../../src/index.js";
import { AUDIENCE, DISCOVERY_URI, ISSUER, JWKS_URI, NOW_S, TOLERANCE_S, URL_BASE, testKeys } from "./tokens.js";

export * from "./tokens.js";

/** One line the core logged. */
export interface LogEntry {
  level: string;
  message: string;
  fields?: LogFields;
}

/** One authorizer under test and everything it touched. */
export interface Harness {
  authorizer: Authorizer;
  config: AuthorizerConfig;
  /** Every URL the authorizer fetched, in order. */
  fetched: string[];
  jwksFetches(): number;
  logs: LogEntry[];
  /** The injected clock, epoch ms; tests move it. */
  clock: { ms: number };
  /** The JWKS served; tests may replace keys. */
  jwks: { keys: JWK[] };
  /** Waits for every background key refresh handed to `waitUntil` so far. */
  settle(): Promise<void>;
}

/** How to set up a harness; all optional. */
export interface HarnessOptions {
  /** Keys in the JWKS (default: the shared RSA and EC keys). */
  keys?: JWK[];
  /** Extra environment for configFromEnv. */
  env?: Record<string, unknown>;
  /** Use OIDC discovery instead of JWT_JWKS_URI. */
  discovery?: boolean;
  /** Changes to the one issuer's config. */
  issuer?: Partial<IssuerConfig>;
  /** Changes to the whole config. */
  config?: Partial<AuthorizerConfig>;
  /** A fetch that fails (for the 503 case). */
  failFetch?: boolean;
  /** Makes the issuer an HMAC issuer (JWT_SECRET, no JWKS URI). */
  secret?: string;
  /** More JWKS issuers, each with its own key set served at `jwksUri`. */
  extraIssuers?: Array<{ issuer: string; jwksUri: string; keys: JWK[] }>;
  /** The signature primitive (e.g. a counting wrapper around webCryptoVerify); default Web Crypto. */
  verifySignature?: SignatureVerifier;
  /** Where the injected clock starts, epoch ms (default NOW_S). */
  startMs?: number;
}

/** Builds an authorizer trusting ISSUER with an in-memory JWKS, a counting fetch, a fixed clock and a recording logger. */
export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const { rsa, ec } = await testKeys();
  const jwks = { keys: options.keys ?? [rsa.jwk, ec.jwk] };
  const fetched: string[] = [];
  const logs: LogEntry[] = [];
  const clock = { ms: options.startMs ?? NOW_S * 1000 };
  const countingFetch = (async (input: RequestInfo | URL) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    fetched.push(url);
    if (options.failFetch) throw new TypeError("network down");
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    if (url === JWKS_URI) return json(jwks);
    if (url === DISCOVERY_URI) return json({ issuer: ISSUER, jwks_uri: JWKS_URI });
    const extra = options.extraIssuers?.find((i) => i.jwksUri === url);
    if (extra) return json({ keys: extra.keys });
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
  const record = (level: string) => (message: string, fields?: LogFields) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const logger: Logger = { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
  const env: Record<string, unknown> = {
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_CLOCK_TOLERANCE: String(TOLERANCE_S),
    ...(options.discovery || options.secret ? {} : { JWT_JWKS_URI: JWKS_URI }),
    ...(options.secret ? { JWT_SECRET: options.secret } : {}),
    ...options.env,
  };
  const base = configFromEnv(env);
  const config: AuthorizerConfig = {
    ...base,
    ...options.config,
    issuers: [
      ...base.issuers.map((issuer) => ({ ...issuer, ...options.issuer })),
      ...(options.extraIssuers ?? []).map(({ issuer, jwksUri }) => ({ ...base.issuers[0]!, issuer, jwksUri })),
    ],
  };
  const background: Promise<unknown>[] = [];
  const authorizer = createAuthorizer(config, {
    fetch: countingFetch,
    now: () => clock.ms,
    logger,
    waitUntil: (promise) => void background.push(promise),
    ...(options.verifySignature ? { verifySignature: options.verifySignature } : {}),
  });
  return {
    authorizer,
    config,
    fetched,
    logs,
    clock,
    jwks,
    jwksFetches: () => fetched.filter((u) => u === JWKS_URI).length,
    settle: async () => void (await Promise.all(background.splice(0))),
  };
}

/** A GET request carrying `Authorization: Bearer <token>` (or the given headers). */
export function bearer(token: string, url = URL_BASE): Request {
  return new Request(url, { headers: { authorization: `Bearer ${token}` } });
}

/** The parts of a string worth searching for in outputs: the whole, and each long segment. */
function fragments(secret: string): string[] {
  const parts = secret.includes(".") ? secret.split(".").filter((p) => p.length >= 24) : [];
  return [secret, ...parts].filter((s) => s.length >= 8);
}

/** Asserts that no log line, and (if given) no response header or body, contains any of the secrets. */
export async function expectNoLeak(h: Harness, secrets: string[], response?: Response): Promise<void> {
  const needles = secrets.flatMap(fragments);
  const logText = h.logs.map((entry) => JSON.stringify(entry));
  const outputs: string[] = [...logText];
  if (response) {
    outputs.push(await response.clone().text());
    response.headers.forEach((value, name) => outputs.push(`${name}: ${value}`));
  }
  for (const needle of needles) {
    for (const out of outputs) expect(out.includes(needle), `output leaks a secret: ${out.slice(0, 200)}`).toBe(false);
  }
}

/** Asserts a decision is a refusal with this status and code, and returns it. */
export function expectDecision(decision: Decision, status: number, code: string): Refused {
  expect(decision.ok ? { ok: true } : { ok: false, status: decision.status, code: decision.code }).toEqual({
    ok: false,
    status,
    code,
  });
  return decision as Refused;
}

/** Options of `expectRefused`. */
export interface RefuseOptions {
  /** Also run verify(token) and expect the same code (default true for 401 token codes). */
  verify?: boolean;
  /** More strings that must not leak (an HMAC secret). */
  secrets?: string[];
  request?: Request;
}

/**
 * The core assertion of this suite: authorize refuses `token` with exactly `status` and `code`;
 * the refusal response carries them; `verify` agrees; and neither the token nor any secret appears
 * in the response or the log.
 */
export async function expectRefused(
  h: Harness,
  token: string,
  status: number,
  code: string,
  options: RefuseOptions = {},
): Promise<Refused> {
  const decision = expectDecision(await h.authorizer.authorize(options.request ?? bearer(token)), status, code);
  const response = refusalResponse(decision);
  expect(response.status).toBe(status);
  expect(await response.clone().json()).toEqual({ error: decision.error, code });
  // The core logs one line per refusal with its code: the leak check below is then not vacuous.
  expect(
    h.logs.some((entry) => entry.fields?.code === code),
    `no log line with code ${code}`,
  ).toBe(true);
  await expectNoLeak(h, [token, ...(options.secrets ?? [])], response);
  if (options.verify ?? status === 401) await expectVerifyRefused(h, token, code, options.secrets);
  return decision;
}

/** verify(token) rejects with an AuthError of this code, whose message does not contain the token. */
export async function expectVerifyRefused(
  h: Harness,
  token: string,
  code: string,
  secrets: string[] = [],
): Promise<AuthError> {
  let caught: unknown;
  try {
    await h.authorizer.verify(token);
  } catch (error) {
    caught = error;
  }
  expect(caught, "verify should reject").toBeInstanceOf(AuthError);
  const error = caught as AuthError;
  expect(error.code).toBe(code);
  for (const needle of [token, ...secrets].flatMap(fragments))
    expect(`${error.message} ${error.description}`.includes(needle)).toBe(false);
  await expectNoLeak(h, [token, ...secrets]);
  return error;
}

/** authorize accepts the token, and verify returns its claims. */
export async function expectAllowed(h: Harness, token: string, request?: Request): Promise<void> {
  const decision = await h.authorizer.authorize(request ?? bearer(token));
  expect(decision.ok ? { ok: true } : { ok: false, status: decision.status, code: decision.code }).toEqual({
    ok: true,
  });
  await expect(h.authorizer.verify(token)).resolves.toMatchObject({ sub: "alice" });
}
