/**
 * edge-jwt-authorizer: a platform-neutral JWT authorizer core (Web APIs and jose only). Re-exports
 * only; each folder under src/ is one stage of a request (see the README, "Layout").
 *
 * @example
 * ```ts
 * import { createAuthorizer, configFromEnv, refusalResponse } from "edge-jwt-authorizer";
 * const authorizer = createAuthorizer(configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" }));
 * const decision = await authorizer.authorize(request);
 * if (!decision.ok) return refusalResponse(decision);
 * ```
 * @module
 */
export { createAuthorizer } from "./authorizer.js";
export type { Authorizer } from "./authorizer.js";
export type { RouteEntitlement } from "./routes/entitlements.js";
export { authorizerSource } from "./adapter-options.js";
export type { AuthorizerOptions, EnvRecord } from "./adapter-options.js";
export { configFromEnv } from "./config/from-env.js";
export { defineConfig } from "./config/define.js";
export type { ConfigInput, IssuerInput, RouteInput } from "./config/define.js";
export type * from "./config/schema.js";
export type * from "./decision.js";
export type * from "./deps.js";
export type { Claims } from "./jwt/claims.js";
export { AuthError, ConfigError, REASONS } from "./errors.js";
export type { ReasonCode } from "./errors.js";
export { ALGORITHMS, DEFAULT_ALGORITHMS, algorithm } from "./jwt/algorithms.js";
export type { Algorithm } from "./jwt/algorithms.js";
export { metadataResponse, refusalResponse, serverTiming } from "./request/response.js";
export { forwardHeaders, forwardUrl } from "./request/forward.js";
export type { ForwardOptions } from "./request/forward.js";
export { isIdentityHeader } from "./request/identity.js";
export { ASSERTION_HEADER, ASSERTION_JWKS_PATH, ASSERTION_TYP } from "./assertion/mint.js";
export type { AssertionSettings } from "./assertion/mint.js";
export { parseAssertionKeys } from "./assertion/keys.js";
export type { AssertionKeys } from "./assertion/keys.js";
export { memoryKeyStore } from "./keys/store.js";
export { keyValueRevocationStore, revocationKeys } from "./revocation/store.js";
export type { RevocationStore } from "./revocation/store.js";
export { parseRevocationList } from "./revocation/parse.js";
export { rateLimitKey } from "./revocation/rate-limit.js";
export type { RateLimiter, RateLimitResult } from "./revocation/rate-limit.js";
export { publicJwk } from "./keys/checks.js";
export { verifyCompactJws } from "./jwt/signature.js";
export { isPlainObject } from "./encoding/strict-json.js";
export { sha256Base64url } from "./encoding/base64url.js";
export { MemoryReplayStore } from "./binding/replay-store.js";
export type { ReplayStore } from "./binding/replay-store.js";
export type { RequestContext } from "./binding/check.js";
export { hexThumbprint, pemThumbprint } from "./binding/mtls.js";
export { DPOP_ALGORITHMS } from "./binding/dpop.js";
export * as limits from "./limits.js";
