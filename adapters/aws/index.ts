/**
 * `edge-jwt-authorizer/aws`: the API Gateway Lambda authorizer (REST `TOKEN`/`REQUEST`, HTTP API 2.0),
 * its IAM policy builder and a `node:crypto` signature verifier.
 *
 * @example
 * ```ts
 * import { createHandler } from "edge-jwt-authorizer/aws";
 * export const handler = createHandler({ env: process.env, response: "simple" });
 * ```
 * @module
 */
export { createHandler } from "./create.js";
export type { HandlerOptions, AuthorizerHandler } from "./create.js";
export type { PolicyResult, SimpleResult } from "./answers.js";
export type { AuthorizerEvent, TokenEvent, RestRequestEvent, HttpApiEvent, LambdaContext } from "./event-shapes.js";
export type { Translated, Malformed } from "./events.js";
export { toRequest } from "./events.js";
export {
  AMBIGUOUS,
  ambiguousPath,
  ambiguousResources,
  entitlementPolicy,
  evaluate,
  parseArn,
  ruleResources,
  stageArn,
  wildcardMatch,
} from "./iam-policy.js";
export type { PolicyDocument } from "./iam-policy.js";
export { nodeVerifySignature } from "../node/verify.js";
