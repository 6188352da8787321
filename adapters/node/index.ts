/**
 * `edge-jwt-authorizer/node`: the authorizer on Node: signatures with `node:crypto`, and a
 * `(req, res, next)` middleware for Express, Connect and plain `node:http` servers.
 *
 * @example
 * ```ts
 * import { nodeAuthorizer } from "edge-jwt-authorizer/node";
 * app.use(nodeAuthorizer({ env: process.env }));
 * ```
 * @module
 */
export { nodeVerifySignature } from "./verify.js";
export { nodeAuthorizer, toWebRequest } from "./express.js";
export type { AuthorizedRequest, NodeAuthorizerOptions } from "./express.js";
