/**
 * `edge-jwt-authorizer/cdk`: the authorizer as a CDK stack your own CDK app instantiates (`aws-cdk-lib`
 * and `constructs` are optional peers): one Lambda function running the handler this package ships, an
 * HTTP API and a REST API in front of `originUrl`. It manages no account-wide resource unless asked.
 *
 * @example
 * ```ts
 * import { App } from "aws-cdk-lib";
 * import { AuthorizerStack } from "edge-jwt-authorizer/cdk";
 * new AuthorizerStack(new App(), "Auth", {
 *   jwtEnv: { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" },
 *   originUrl: "https://backend.example.com",
 * });
 * ```
 * @module
 */
export { AuthorizerStack } from "../../infra/aws/stack.js";
export type { AuthorizerStackProps } from "../../infra/aws/stack.js";
