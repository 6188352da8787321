/**
 * Fixtures for the policy and identity tests: an authorizer built with `configFromEnv` from a
 * `JWT_CONFIG` object, trusting three issuers whose keys are served from an in-memory JWKS behind an
 * injected, counting `fetch`; a fixed clock; a recording logger; and token minting with jose.
 */
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { expect } from "vitest";
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import type { Allowed, Authorizer, AuthorizerConfig, Decision, LogFields, Logger, Refused } from "../../src/index.js";

/** The main issuer (plain `roles` / `permissions` claims). */
export const ISSUER = "https://idp.example/";
/** A Keycloak-shaped issuer: roles under `realm_access.roles`. */
export const KEYCLOAK = "https://kc.example/realms/main";
/** A Cognito-shaped issuer: roles in `cognito:groups`. */
export const COGNITO = "https://cognito-idp.example/pool_1";
/** An Auth0-shaped issuer: roles in a namespaced claim. */
export const AUTH0 = "https://tenant.example/";
export const AUDIENCE = "api";
/** The injected clock (seconds). */
export const NOW_S = 1_800_000_000;

const jwksUriOf = (issuer: string) => `${issuer.replace(/\/$/, "")}/jwks.json`;

/** The `JWT_CONFIG.issuers` the fixture trusts, each with its own JWKS URL and roles claim. */
export function issuersJson(): Array<Record<string, unknown>> {
  return [
    { issuer: ISSUER, audience: AUDIENCE, jwksUri: jwksUriOf(ISSUER) },
    { issuer: KEYCLOAK, audience: AUDIENCE, jwksUri: jwksUriOf(KEYCLOAK), rolesClaim: "realm_access.roles" },
    { issuer: COGNITO, audience: AUDIENCE, jwksUri: jwksUriOf(COGNITO), rolesClaim: "cognito:groups" },
    {
      issuer: AUTH0,
      audience: AUDIENCE,
      jwksUri: jwksUriOf(AUTH0),
      rolesClaim: "https://example.com/roles",
      permissionsClaim: "https://example.com/permissions",
    },
  ];
}

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
}
let keyPromise: Promise<Key> | undefined;
/** One ES256 key for every issuer (generated once per file). */
function key(): Promise<Key> {
  keyPromise ??= (async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" } };
  })();
  return keyPromise;
}

/** A token from `issuer` with `claims` (defaults: aud, sub "alice", iat, exp in 10 minutes). */
export async function mint(claims: Record<string, unknown> = {}, issuer = ISSUER): Promise<string> {
  const { privateKey } = await key();
  const payload = { iss: issuer, aud: AUDIENCE, sub: "alice", iat: NOW_S, exp: NOW_S + 600, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" }).sign(privateKey);
}

/** A token whose payload is `text` byte for byte (spacing, escapes and key order as written). */
export async function mintText(text: string): Promise<string> {
  const { privateKey } = await key();
  return new CompactSign(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" })
    .sign(privateKey);
}

export interface LogEntry {
  level: string;
  message: string;
  fields?: LogFields;
}

export interface Fixture {
  authorizer: Authorizer;
  config: AuthorizerConfig;
  logs: LogEntry[];
  /** URLs fetched, in order. */
  fetched: string[];
  /** `authorize` for a method, a path (or full URL) and headers; a `token` becomes `Authorization: Bearer`. */
  call(method: string, path: string, token?: string, headers?: Record<string, string>): Promise<Decision>;
}

/** An authorizer for `JWT_CONFIG` (issuers default to `issuersJson()`), with `env` on top. */
export async function fixture(json: Record<string, unknown> = {}, env: Record<string, unknown> = {}): Promise<Fixture> {
  const { jwk } = await key();
  const logs: LogEntry[] = [];
  const fetched: string[] = [];
  const jwksUris = new Set(issuersJson().map((i) => i.jwksUri as string));
  const fetchStub = (async (input: RequestInfo | URL) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    fetched.push(url);
    if (!jwksUris.has(url)) return new Response("not found", { status: 404 });
    return new Response(JSON.stringify({ keys: [jwk] }), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  const record = (level: string) => (message: string, fields?: LogFields) => {
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const logger: Logger = { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
  const config = configFromEnv({ JWT_CONFIG: { issuers: issuersJson(), ...json }, ...env });
  const authorizer = createAuthorizer(config, { fetch: fetchStub, now: () => NOW_S * 1000, logger });
  const call = (method: string, path: string, token?: string, headers: Record<string, string> = {}) => {
    const url = path.startsWith("http") ? path : `https://api.example${path}`;
    const all = { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
    return authorizer.authorize(new Request(url, { method, headers: all }));
  };
  return { authorizer, config, logs, fetched, call };
}

/** A token whose signature is wrong (last signature character changed). */
export function tampered(token: string): string {
  const last = token.at(-2) === "A" ? "B" : "A";
  return `${token.slice(0, -2)}${last}${token.at(-1)}`;
}

/** The outcome in one comparable shape: `pass:<reason>` or `<status> <code>`. */
export function outcome(decision: Decision): string {
  return decision.ok ? `pass:${decision.reason}` : `${decision.status} ${decision.code}`;
}

/** Asserts the decision passed for `reason`, and returns it. */
export function expectAllowed(decision: Decision, reason: Allowed["reason"]): Allowed {
  expect(outcome(decision)).toBe(`pass:${reason}`);
  return decision as Allowed;
}

/** Asserts the decision is a refusal with this status and code, and returns it. */
export function expectRefused(decision: Decision, status: number, code: string): Refused {
  expect(outcome(decision)).toBe(`${status} ${code}`);
  return decision as Refused;
}
