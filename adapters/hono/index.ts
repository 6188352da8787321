/**
 * `edge-jwt-authorizer/hono`: middleware for an existing Hono app on any runtime.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { jwtAuthorizer, type JwtAuthorizerEnv } from "edge-jwt-authorizer/hono";
 *
 * const app = new Hono<JwtAuthorizerEnv>();
 * app.use("*", jwtAuthorizer({ env: process.env }));
 * app.get("/me", (c) => c.json(c.get("jwtPayload")));
 * ```
 * @module
 */
export { jwtAuthorizer } from "./create.js";
export type { JwtAuthorizerOptions, JwtAuthorizerVariables, JwtAuthorizerEnv } from "./create.js";
