import { beforeAll, describe, expect, it } from "vitest";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../infra/aws/app.js";
import { ensureBuilt } from "./harness.js";

const CONTEXT = {
  jwtIssuer: "https://login.example.com/",
  jwtAudience: "api://orders",
  jwtRequiredScopes: "orders:read",
};

function synth(context: Record<string, unknown>) {
  const app = new App({ context, outdir: mkdtempSync(join(tmpdir(), "cdk-")) });
  return Template.fromStack(buildApp(app).stack);
}

describe("the CDK app (synthesized offline)", () => {
  let template: Template;
  beforeAll(() => {
    ensureBuilt();
    template = synth(CONTEXT);
  }, 180_000); // loading aws-cdk-lib and the first synth take a while on a busy machine

  it("deploys dist/aws/handler.mjs as an arm64 Node.js 22 function with the JWT settings as environment", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "handler.handler",
      Environment: {
        Variables: Match.objectLike({
          JWT_ISSUER: "https://login.example.com/",
          JWT_AUDIENCE: "api://orders",
          JWT_REQUIRED_SCOPES: "orders:read",
          JWT_AWS_RESPONSE: "simple",
          JWT_WARMUP: "true",
          POWERTOOLS_LOG_LEVEL: "INFO",
        }),
      },
    });
  });

  it("wires an HTTP API Lambda authorizer: payload 2.0, simple responses, Authorization + route key as cache key, 300 s TTL", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "REQUEST",
      AuthorizerPayloadFormatVersion: "2.0",
      EnableSimpleResponses: true,
      IdentitySource: ["$request.header.Authorization", "$context.routeKey"],
      AuthorizerResultTtlInSeconds: 300,
      AuthorizerUri: Match.objectLike({ "Fn::Join": Match.anyValue() }),
    });
    const [authorizerId] = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"));
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "$default",
      AuthorizationType: "CUSTOM",
      AuthorizerId: { Ref: authorizerId },
    });
  });

  it("wires a REST API REQUEST authorizer on the Authorization header with a 300 s result TTL on every method", () => {
    template.resourceCountIs("AWS::ApiGateway::Authorizer", 1);
    template.hasResourceProperties("AWS::ApiGateway::Authorizer", {
      Type: "REQUEST",
      IdentitySource: "method.request.header.Authorization",
      AuthorizerResultTtlInSeconds: 300,
    });
    const [authorizerId] = Object.keys(template.findResources("AWS::ApiGateway::Authorizer"));
    const methods = Object.values(template.findResources("AWS::ApiGateway::Method")) as Array<{
      Properties: Record<string, unknown>;
    }>;
    expect(methods.length).toBe(2);
    for (const m of methods)
      expect(m.Properties).toMatchObject({
        HttpMethod: "ANY",
        AuthorizationType: "CUSTOM",
        AuthorizerId: { Ref: authorizerId },
      });
  });

  it("lets API Gateway invoke the function for both authorizers", () => {
    const permissions = Object.values(template.findResources("AWS::Lambda::Permission")) as Array<{
      Properties: { Principal: string; SourceArn: unknown };
    }>;
    expect(
      permissions.filter((p) => p.Properties.Principal === "apigateway.amazonaws.com").length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("switches the HTTP API to IAM answers on payload 2.0 when httpResponse is iam", () => {
    const iam = synth({ ...CONTEXT, httpResponse: "iam" });
    iam.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerPayloadFormatVersion: "2.0",
      EnableSimpleResponses: false,
      IdentitySource: ["$request.header.Authorization"],
    });
    iam.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ JWT_AWS_RESPONSE: "iam" }) },
    });
  });

  it("does not cache simple HTTP API answers when route rules make them differ per route (all paths share $default)", () => {
    const routes = synth({
      ...CONTEXT,
      jwtConfig: JSON.stringify({ routes: [{ path: "/admin/*", scopes: ["admin"] }] }),
    });
    routes.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
    });
    routes.hasResourceProperties("AWS::ApiGateway::Authorizer", { AuthorizerResultTtlInSeconds: 300 });
    const iamRoutes = synth({
      ...CONTEXT,
      httpResponse: "iam",
      jwtConfig: JSON.stringify({ routes: [{ path: "/admin/*", scopes: ["admin"] }] }),
    });
    iamRoutes.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      EnableSimpleResponses: false,
      AuthorizerResultTtlInSeconds: 300,
    });
  }, 60_000);

  it("with revocation on, caches answers no longer than the list's TTL unless cacheTtl says otherwise", () => {
    const jwtConfig = JSON.stringify({ revocation: { url: "https://idp.example/revoked.json", ttl: 45 } });
    const ttlOf = (t: Template) =>
      (Object.values(t.findResources("AWS::ApiGateway::Authorizer"))[0] as { Properties: Record<string, unknown> })
        .Properties.AuthorizerResultTtlInSeconds;
    expect(ttlOf(synth({ ...CONTEXT, jwtConfig }))).toBe(45);
    expect(ttlOf(synth({ ...CONTEXT, jwtConfig, cacheTtl: 10 }))).toBe(10);
  });

  it("refuses to synthesize a configuration the authorizer would reject, naming the variable", () => {
    expect(() => synth({ jwtIssuer: "https://login.example.com/" })).toThrow(/JWT_AUDIENCE/);
    expect(() => synth({ ...CONTEXT, jwtIssuer: "http://login.example.com/" })).toThrow(/JWT_ISSUER/);
    expect(() => synth({ ...CONTEXT, cacheTtl: 7200 })).toThrow(/cacheTtl/);
  });
});
