/**
 * The Worker's authorizer, created once per isolate from the first request's `env` (bindings exist
 * only per request on Workers), with a key store on the Cache API, tiered with KV when `JWKS_KV` is bound.
 */
import { authorizerSource, ConfigError, type Authorizer, type KeyStore } from "../../src/index.js";
import { cacheApiKeyStore, kvKeyStore, tieredKeyStore, type KvLike } from "./keystore.js";
import { analyticsWriter, isAnalyticsEngine, type AnalyticsEngineLike } from "./analytics.js";
import { kvRevocationStore, type RevocationKv } from "./revocation-kv.js";
import { bindingRateLimiter, type RateLimitBinding } from "./rate-limiter.js";
import { durableObjectReplayStore, type ReplayNamespace } from "./replay-do.js";

/** The Worker's bindings: the `JWT_*` variables of the README (strings, or JSON objects in `[vars]`), plus these. */
export interface WorkerEnv {
  /** Where allowed requests go; unset: to the request's own URL (a Worker on a route in front of its origin). */
  ORIGIN_URL?: string;
  /** Optional KV namespace for the JWKS, shared by every location. */
  JWKS_KV?: KvLike;
  /** Optional Workers Analytics Engine dataset: one data point per decision. */
  JWT_ANALYTICS?: AnalyticsEngineLike;
  /** Optional KV namespace of revocations (`jti:<iss>|<jti>`, `sub:<iss>|<sub>`), read for every token. */
  JWT_REVOCATION_KV?: RevocationKv;
  /** Optional Rate Limiting binding: requests per verified subject (`<iss>|<sub>`), over the limit 429. */
  JWT_RATE_LIMITER?: RateLimitBinding;
  /** Optional Durable Object namespace (class `DpopReplayStore`): DPoP proofs seen, shared by every location. */
  JWT_DPOP_REPLAY?: ReplayNamespace;
  [variable: string]: unknown;
}

const source = authorizerSource({}, "workerAuthorizer", (env, config) => ({
  keyStore: workerKeyStore(env as WorkerEnv, config.cache.jwks.staleFor),
  ...(isAnalyticsEngine(env.JWT_ANALYTICS) ? { onDecision: analyticsWriter(env.JWT_ANALYTICS) } : {}),
  ...revocationDeps(env as WorkerEnv),
  ...(env.JWT_DPOP_REPLAY ? { replayStore: durableObjectReplayStore(env.JWT_DPOP_REPLAY as ReplayNamespace) } : {}),
}));

/** The revocation store and rate limiter of the bindings that are present. */
const revocationDeps = ({ JWT_REVOCATION_KV: kv, JWT_RATE_LIMITER: limiter }: WorkerEnv) => ({
  ...(kv ? { revocationStore: kvRevocationStore(kv) } : {}),
  ...(limiter ? { rateLimit: bindingRateLimiter(limiter) } : {}),
});

/**
 * The isolate's authorizer, created on first use and reused for every later request. Throws a
 * `ConfigError` naming the variable when the configuration is invalid (the Worker then answers 500).
 *
 * @example
 * ```ts
 * const decision = await workerAuthorizer(env).authorize(request);
 * ```
 */
export function workerAuthorizer(env: WorkerEnv): Authorizer {
  originUrl(env);
  return source(env);
}

/**
 * The key store for this Worker: Cache API, and KV behind it when `JWKS_KV` is bound.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { keyStore: workerKeyStore(env, config.cache.jwks.staleFor) });
 * ```
 */
export function workerKeyStore(env: WorkerEnv, retainSeconds: number): KeyStore {
  const cache = cacheApiKeyStore((caches as unknown as { default: Cache }).default, { retainSeconds });
  return env.JWKS_KV ? tieredKeyStore(cache, kvKeyStore(env.JWKS_KV, { retainSeconds })) : cache;
}

/**
 * Where an allowed request goes: `ORIGIN_URL` (its path prefix kept) plus the request's path and query,
 * or the request's own URL when `ORIGIN_URL` is unset.
 *
 * @example
 * ```ts
 * originUrl({ ORIGIN_URL: "https://origin.example/v1" }, "https://api.example/me?x=1");
 * // https://origin.example/v1/me?x=1
 * ```
 */
export function originUrl(env: WorkerEnv, requestUrl?: string): string | undefined {
  const origin = env.ORIGIN_URL;
  if (origin === undefined || origin === "") return requestUrl;
  const prefix = originPrefix(origin);
  if (requestUrl === undefined) return undefined;
  const inbound = new URL(requestUrl);
  return prefix + inbound.pathname + inbound.search;
}

/** `ORIGIN_URL` parsed once per value: its origin and path prefix, without a trailing slash. */
let parsedOrigin: { value: string; prefix: string } | undefined;
function originPrefix(origin: string): string {
  if (parsedOrigin?.value === origin) return parsedOrigin.prefix;
  let base: URL;
  try {
    base = new URL(origin);
  } catch {
    throw new ConfigError("ORIGIN_URL", "must be an absolute http(s) URL");
  }
  if (base.protocol !== "https:" && base.protocol !== "http:")
    throw new ConfigError("ORIGIN_URL", "must be an absolute http(s) URL");
  parsedOrigin = { value: origin, prefix: base.origin + base.pathname.replace(/\/$/, "") };
  return parsedOrigin.prefix;
}
