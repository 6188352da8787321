/**
 * The root export as Node resolves it (the `node` condition of `exports["."]`): the same core, with
 * `node:crypto` as the default signature verifier, which is several times faster than Web Crypto there.
 * Everything else is re-exported unchanged; an explicit `deps.verifySignature` still wins.
 */
import { createAuthorizer as createCore, type AuthorizerConfig, type Deps } from "../../src/index.js";
import { nodeVerifySignature } from "./verify.js";

export * from "../../src/index.js";

/**
 * Creates an authorizer that verifies with `node:crypto` unless `deps.verifySignature` says otherwise.
 *
 * @example
 * ```ts
 * import { createAuthorizer, configFromEnv } from "edge-jwt-authorizer"; // on Node: this entry
 * const authorizer = createAuthorizer(configFromEnv(process.env));
 * ```
 */
export const createAuthorizer: typeof createCore = (config: AuthorizerConfig, deps: Deps = {}) =>
  createCore(config, { verifySignature: nodeVerifySignature, ...deps });
