/**
 * Shared fixtures for the key tests: an in-memory issuer behind a recording `fetch` (discovery + JWKS,
 * switchable failure modes), an injected clock, a recording logger, and token minting with jose.
 * Nothing here sleeps or opens a socket.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import type { Authorizer, Deps, LogFields, Logger } from "../../src/index.js";

/** The configured issuer (no trailing slash) and where its documents live. */
export const ISSUER = "https://idp.example";
export const DISCOVERY_URL = "https://idp.example/.well-known/openid-configuration";
export const JWKS_URL = "https://idp.example/jwks";
/** Where the injected clock starts (epoch ms, whole seconds). */
export const T0 = 1_900_000_000_000;

/** Algorithms the fixtures mint with. */
export type Alg = "RS256" | "ES256";

/** A signing key and its public JWK. */
export interface TestKey {
  kid: string;
  alg: Alg;
  privateKey: CryptoKey;
  /** Public JWK with kid, alg and use. */
  jwk: JWK;
}

/** A fresh key pair; its public JWK carries `kid`, `alg` and `use: "sig"`. */
export async function makeKey(kid: string, alg: Alg = "ES256"): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

/** A clock the tests move by hand. */
export function makeClock(start = T0) {
  const clock = {
    t: start,
    now: () => clock.t,
    /** Moves the clock on by `ms` milliseconds. */
    advance(ms: number) {
      clock.t += ms;
    },
    seconds: () => Math.floor(clock.t / 1000),
  };
  return clock;
}
/** The injected clock. */
export type Clock = ReturnType<typeof makeClock>;

let serial = 0;
/** Mints a distinct token (unique `jti`, so the verified-token cache never answers for it) at the clock's time. */
export async function mint(
  key: TestKey,
  clock: Clock,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const iat = clock.seconds();
  return new SignJWT({ iss: ISSUER, aud: "api", sub: "alice", iat, exp: iat + 3600, jti: `t${++serial}`, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

const b64 = (s: string) => Buffer.from(s).toString("base64url");
/** A well-formed but unsigned token naming `kid` (refused before any signature work when the kid is unknown). */
export function unsignedToken(kid: string, clock: Clock): string {
  const iat = clock.seconds();
  const header = b64(JSON.stringify({ alg: "ES256", kid, typ: "JWT" }));
  const payload = b64(JSON.stringify({ iss: ISSUER, aud: "api", sub: "mallory", iat, exp: iat + 3600 }));
  return `${header}.${payload}.${Buffer.alloc(64, 7).toString("base64url")}`;
}

/** A request carrying `token` as a bearer token. */
export const request = (token: string): Request =>
  new Request("https://api.example/orders/1", { headers: { authorization: `Bearer ${token}` } });

/** One recorded log line. */
export interface LogLine {
  level: keyof Logger;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that keeps every line. */
export function recordingLogger(): Logger & { lines: LogLine[]; find(message: string): LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: keyof Logger) => (message: string, fields?: LogFields) =>
    void lines.push({ level, message, fields });
  return {
    lines,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    find: (m) => lines.filter((l) => l.message === m),
  };
}

/** How the fake issuer answers: normally, or one of the ways issuers fail. */
export type Mode = "ok" | "500" | "hang" | "garbage" | "huge-declared" | "huge-streamed" | "redirect";

/** One recorded fetch call. */
export interface Call {
  url: string;
  init: RequestInit | undefined;
}

const TEN_MB = 10 * 1024 * 1024;

/** A 10 MB body streamed in 64 KiB chunks without `content-length`; `pulled` counts bytes handed out. */
function hugeStream(counter: { pulled: number }): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  return new ReadableStream({
    pull(controller) {
      if (counter.pulled >= TEN_MB) return controller.close();
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

/**
 * An in-memory issuer: serves the discovery document and the JWKS through a `fetch` that records every
 * call (URL and options). `mode` applies to both documents; `discovery` replaces the discovery document.
 */
export function fakeIssuer(keys: JWK[]) {
  const state = {
    keys,
    mode: "ok" as Mode,
    cacheControl: undefined as string | undefined,
    discovery: { issuer: ISSUER, jwks_uri: JWKS_URL } as Record<string, unknown>,
    calls: [] as Call[],
    streamed: { pulled: 0 },
    /** Resolves the next time `fetch` is called (for the hang mode). */
    called: Promise.resolve(),
  };
  let signal: () => void = () => {};
  const arm = () => (state.called = new Promise<void>((r) => (signal = r)));
  arm();
  const json = (body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json", ...headers } });
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    state.calls.push({ url, init });
    const wake = signal;
    arm();
    wake();
    switch (state.mode) {
      case "500":
        return new Response("oops", { status: 500 });
      case "hang":
        return new Promise<Response>(() => {});
      case "garbage":
        return new Response("<html>not json</html>", { status: 200, headers: { "content-type": "text/html" } });
      // A valid JWKS body that declares 10 MB: only the declared size can make it fail.
      case "huge-declared":
        return new Response(JSON.stringify({ keys: state.keys }), {
          status: 200,
          headers: { "content-length": String(TEN_MB) },
        });
      case "huge-streamed":
        return new Response(hugeStream(state.streamed), {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      case "redirect":
        return new Response(null, { status: 302, headers: { location: "https://evil.example/jwks" } });
      case "ok":
        break;
    }
    if (url === DISCOVERY_URL) return json(state.discovery);
    if (url === JWKS_URL)
      return json({ keys: state.keys }, state.cacheControl ? { "cache-control": state.cacheControl } : {});
    return new Response("not found", { status: 404 });
  };
  return Object.assign(state, {
    fetch: fetcher as typeof fetch,
    /** Calls made to one URL. */
    count: (url: string) => state.calls.filter((c) => c.url === url).length,
  });
}
/** The in-memory issuer. */
export type FakeIssuer = ReturnType<typeof fakeIssuer>;

/** Wraps the issuer's fetch so that, while `hold` is on, answers wait until `release()`. */
export function holdable(idp: FakeIssuer) {
  const waiting: Array<() => void> = [];
  const state = {
    hold: false,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (state.hold) await new Promise<void>((resolve) => waiting.push(resolve));
      return idp.fetch(input, init);
    }) as typeof fetch,
    /** Answers every held fetch; their calls are recorded by the issuer only now. */
    release() {
      state.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    held: () => waiting.length,
  };
  return state;
}

/** How `authorizerFor` builds the authorizer. */
export interface Setup {
  env?: Record<string, unknown>;
  /** `JWT_CONFIG` as an object. */
  config?: Record<string, unknown>;
  /** Use `JWT_JWKS_URI` (no discovery). Default true. */
  jwksUri?: boolean;
  deps?: Deps;
}

/**
 * An authorizer trusting the fake issuer, with its clock and logger injected. Background key refreshes
 * go to a `waitUntil` that keeps them: `settle()` waits for all of them so far.
 */
export function authorizerFor(
  idp: FakeIssuer,
  clock: Clock,
  setup: Setup = {},
): { authorizer: Authorizer; logger: ReturnType<typeof recordingLogger>; settle: () => Promise<void> } {
  const logger = recordingLogger();
  const env: Record<string, unknown> = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", ...setup.env };
  if (setup.jwksUri !== false) env.JWT_JWKS_URI = JWKS_URL;
  if (setup.config) env.JWT_CONFIG = JSON.stringify(setup.config);
  const background: Promise<unknown>[] = [];
  const waitUntil = (promise: Promise<unknown>) => void background.push(promise);
  const deps: Deps = { fetch: idp.fetch, now: clock.now, logger, waitUntil, ...setup.deps };
  const authorizer = createAuthorizer(configFromEnv(env), deps);
  return { authorizer, logger, settle: async () => void (await Promise.all(background.splice(0))) };
}

/** The decision as `{ status, code }` (`200`/`"ok"` when allowed), for exact comparisons. */
export async function outcome(authorizer: Authorizer, token: string): Promise<{ status: number; code: string }> {
  const d = await authorizer.authorize(request(token));
  return d.ok ? { status: 200, code: "ok" } : { status: d.status, code: d.code };
}

/** Expected outcomes. */
export const ALLOWED = { status: 200, code: "ok" } as const;
export const UNAVAILABLE = { status: 503, code: "keys_unavailable" } as const;
export const KID_UNKNOWN = { status: 401, code: "kid_unknown" } as const;
