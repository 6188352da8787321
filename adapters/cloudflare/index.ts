/**
 * `edge-jwt-authorizer/cloudflare`: the pieces of the Worker, for building your own: key stores on the
 * Cache API and KV, and the Worker's isolate-wide authorizer. The ready Worker is `worker.ts`
 * (deployed by wrangler.toml).
 *
 * @example
 * ```ts
 * import { cacheApiKeyStore } from "edge-jwt-authorizer/cloudflare";
 * const keyStore = cacheApiKeyStore(caches.default, { retainSeconds: 86_400 });
 * ```
 * @module
 */
export { cacheApiKeyStore, kvKeyStore, tieredKeyStore } from "./keystore.js";
export type { KvLike, StoreOptions } from "./keystore.js";
export { workerAuthorizer, workerKeyStore, originUrl } from "./create.js";
export { kvRevocationStore } from "./revocation-kv.js";
export type { RevocationKv } from "./revocation-kv.js";
export { bindingRateLimiter } from "./rate-limiter.js";
export type { RateLimitBinding } from "./rate-limiter.js";
export type { WorkerEnv } from "./create.js";
export { analyticsWriter } from "./analytics.js";
export type { AnalyticsEngineLike } from "./analytics.js";
export { durableObjectReplayStore, DpopReplayStore } from "./replay-do.js";
export type { ReplayNamespace } from "./replay-do.js";
export { workerRequestContext } from "./client-cert.js";
/**
 * The ready-made Worker, importable: `export { default } from "edge-jwt-authorizer/cloudflare";` in your
 * own Worker's entry (with the same bindings as the README's wrangler.toml), or wrap its `fetch`.
 */
export { default } from "./worker.js";
