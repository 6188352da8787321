/**
 * `edge-jwt-authorizer/origin`: the origin's proof that a request came through the authorizer. The
 * authorizer forwards `x-auth-assertion` (a short-lived JWS bound to the method and URL); the origin
 * verifies it in one line, and takes the identity from it, never from plain `x-auth-*` headers.
 *
 * @example
 * ```ts
 * import { createOriginVerifier } from "edge-jwt-authorizer/origin";
 * const jwksUri = "https://edge.example/.well-known/edge-jwt/jwks.json";
 * const origin = createOriginVerifier({ audience: "https://origin.example", jwksUri });
 * const result = await origin.verify(request); // { ok: true, claims, subject } or { ok: false, status: 401, code }
 * ```
 * @module
 */
export { createOriginVerifier } from "../../src/assertion/verify.js";
export type {
  OriginCode,
  OriginResult,
  OriginVerifier,
  OriginVerifierOptions,
  RequestLike,
} from "../../src/assertion/verify.js";
export { originMiddleware } from "./node.js";
export type { EdgeAuth, OriginMiddlewareOptions } from "./node.js";
export { assertionMiddleware } from "./hono.js";
export type { EdgeAuthEnv } from "./hono.js";
