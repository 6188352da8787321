/**
 * edge-jwt-authorizer: a platform-neutral JWT authorizer core (Web APIs and jose only).
 *
 * @example
 * ```ts
 * import { createAuthorizer, configFromEnv } from "edge-jwt-authorizer";
 * const authorizer = createAuthorizer(configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" }));
 * const decision = await authorizer.authorize(request);
 * if (!decision.ok) return refusalResponse(decision);
 * ```
 * @module
 */
export { createAuthorizer } from "./authorizer.js";
export type { Authorizer, RouteEntitlement } from "./authorizer.js";
export { configFromEnv, ConfigError, DEFAULT_ALGORITHMS } from "./config.js";
export { AuthError, REASONS } from "./errors.js";
export type { ReasonCode } from "./errors.js";
export { refusalResponse } from "./response.js";
export { forwardHeaders, forwardUrl, isIdentityHeader } from "./identity.js";
export type { ForwardOptions } from "./identity.js";
export { outrankedMethods } from "./policy.js";
export { memoryKeyStore } from "./keys/store.js";
export { verifyCompactJws } from "./verify.js";
export * as limits from "./limits.js";
export type * from "./types.js";
