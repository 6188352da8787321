/**
 * The authorizer deployed twice: on an HTTP API (Lambda authorizer, payload 2.0, simple responses)
 * and on a REST API (REQUEST authorizer on the Authorization header). Both forward to `originUrl`.
 */
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpUrlIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { fileURLToPath } from "node:url";

/** What the stack needs: the `JWT_*` environment of the function and a few deployment choices. */
export interface AuthorizerStackProps extends StackProps {
  /**
   * Let this stack manage API Gateway's account-wide CloudWatch role (one per account and region,
   * shared by every API). Default `false`: the stack has no account-wide side effect.
   */
  cloudWatchRole?: boolean;
  /** `JWT_*` variables for the function (validated by app.ts with the core's `configFromEnv`). */
  jwtEnv: Record<string, string>;
  /**
   * The directory holding `handler.mjs`; default the `dist/aws` of this package (the built handler it
   * ships), so a CDK app that installed it needs nothing else.
   */
  assetDir?: string;
  /** Where both APIs forward allowed requests. */
  originUrl: string;
  /**
   * Authorizer result cache TTL in seconds (0 switches caching off). Default 300. It is also how long a
   * revoked token keeps passing on a cached answer: the revocation delay on API Gateway.
   */
  cacheTtlSeconds?: number;
  /** HTTP API answer: `simple` (default) or `iam` (payload 2.0 with IAM policies). */
  httpResponse?: "simple" | "iam";
  /** Whether the configuration has route rules (JWT_CONFIG.routes): then answers differ per route. */
  routeRules?: boolean;
  /**
   * Whether a route rule compares claims with path parameters (`equalsParam`, `containsParam`): those
   * answers hold for one path, so the authorizer cache is keyed on the method and path too.
   */
  pathBoundRules?: boolean;
  /**
   * Whether sender-constrained tokens (DPoP, certificate-bound) are accepted: a proof is per request and
   * a certificate per connection, while the cache is keyed on the token, so answers are not cached.
   */
  senderConstrained?: boolean;
}

/** One Lambda authorizer function, wired to an HTTP API and a REST API. */
export class AuthorizerStack extends Stack {
  constructor(scope: Construct, id: string, props: AuthorizerStackProps) {
    super(scope, id, props);
    // With a signed assertion every answer carries its own jti, bound to one request, and a
    // sender-constrained token's answer holds for one proof: nothing is cached then.
    const assertion = props.jwtEnv.JWT_ASSERTION_KEY !== undefined;
    const ttl = Duration.seconds(assertion || props.senderConstrained ? 0 : (props.cacheTtlSeconds ?? 300));
    const httpResponse = props.httpResponse ?? "simple";

    const fn = new lambda.Function(this, "Authorizer", {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "handler.handler",
      code: lambda.Code.fromAsset(props.assetDir ?? fileURLToPath(new URL("./aws", import.meta.url))),
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        ...props.jwtEnv,
        JWT_AWS_RESPONSE: httpResponse,
        // Where the integration sends requests: the assertion is bound to this URL plus the path.
        ...(assertion ? { ORIGIN_URL: props.originUrl } : {}),
        JWT_WARMUP: "true",
        POWERTOOLS_SERVICE_NAME: "edge-jwt-authorizer",
        POWERTOOLS_LOG_LEVEL: "INFO",
      },
      logGroup: new logs.LogGroup(this, "AuthorizerLogs", { retention: logs.RetentionDays.ONE_MONTH }),
    });

    // HTTP API: payload 2.0. A simple answer (isAuthorized) holds for one route only, so the cache key
    // includes the route key; and as every path here shares the $default route, answers that differ
    // per route rule are not cached at all in simple mode (the IAM answer is built to be cached).
    const httpAuthorizer = new HttpLambdaAuthorizer("JwtAuthorizer", fn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ["$request.header.Authorization", "$context.routeKey"],
      resultsCacheTtl: httpResponse === "simple" && props.routeRules ? Duration.seconds(0) : ttl,
    });
    // The assertion travels from the authorizer's context to the origin as x-auth-assertion.
    const parameterMapping = assertion
      ? new apigwv2.ParameterMapping().overwriteHeader(
          "x-auth-assertion",
          apigwv2.MappingValue.contextVariable("authorizer.assertion"),
        )
      : undefined;
    const httpApi = new apigwv2.HttpApi(this, "HttpApi", {
      defaultAuthorizer: httpAuthorizer,
      defaultIntegration: new HttpUrlIntegration("HttpOrigin", props.originUrl, {
        ...(parameterMapping ? { parameterMapping } : {}),
      }),
    });
    if (httpResponse === "iam") {
      // The L2 construct only pairs IAM answers with payload 1.0; keep 2.0 and switch simple answers off.
      const cfn = httpApi.node.findAll().find((c): c is apigwv2.CfnAuthorizer => c instanceof apigwv2.CfnAuthorizer);
      cfn?.addPropertyOverride("EnableSimpleResponses", false);
      cfn?.addPropertyOverride("AuthorizerPayloadFormatVersion", "2.0");
      const perPath = props.pathBoundRules ? ["$context.httpMethod", "$context.path"] : [];
      cfn?.addPropertyOverride("IdentitySource", ["$request.header.Authorization", ...perPath]);
    }

    // REST API: a REQUEST authorizer; its policy covers the whole stage, so one cached answer per token
    // is right for every method (see the README, "How the policy is built"), except where a rule binds
    // claims to path parameters: that answer names one ARN, so the cache key adds the method and path.
    const perPath = props.pathBoundRules
      ? [apigw.IdentitySource.context("httpMethod"), apigw.IdentitySource.context("path")]
      : [];
    const restAuthorizer = new apigw.RequestAuthorizer(this, "RestJwtAuthorizer", {
      handler: fn,
      identitySources: [apigw.IdentitySource.header("Authorization"), ...perPath],
      resultsCacheTtl: ttl,
    });
    const restApi = new apigw.RestApi(this, "RestApi", {
      cloudWatchRole: props.cloudWatchRole ?? false,
      deployOptions: { stageName: "prod" },
      defaultMethodOptions: { authorizer: restAuthorizer, authorizationType: apigw.AuthorizationType.CUSTOM },
    });
    const origin = props.originUrl.replace(/\/$/, "");
    const assertionHeader: Record<string, string> = assertion
      ? { "integration.request.header.x-auth-assertion": "context.authorizer.assertion" }
      : {};
    restApi.root.addMethod(
      "ANY",
      new apigw.HttpIntegration(origin, {
        httpMethod: "ANY",
        proxy: true,
        options: { requestParameters: assertionHeader },
      }),
    );
    restApi.root.addResource("{proxy+}").addMethod(
      "ANY",
      new apigw.HttpIntegration(`${origin}/{proxy}`, {
        httpMethod: "ANY",
        proxy: true,
        options: {
          requestParameters: { "integration.request.path.proxy": "method.request.path.proxy", ...assertionHeader },
        },
      }),
      { requestParameters: { "method.request.path.proxy": true } },
    );

    new CfnOutput(this, "HttpApiUrl", { value: httpApi.apiEndpoint });
    new CfnOutput(this, "RestApiUrl", { value: restApi.url });
    new CfnOutput(this, "AuthorizerFunctionName", { value: fn.functionName });
  }
}
