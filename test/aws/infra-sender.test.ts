/** The CDK construct with sender-constrained tokens: a proof is per request, so answers are never cached. */
import { describe, expect, it } from "vitest";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../infra/aws/app.js";
import { ensureBuilt } from "./harness.js";

const CONTEXT = { jwtIssuer: "https://login.example.com/", jwtAudience: "api://orders" };

function ttls(context: Record<string, unknown>): number[] {
  const app = new App({ context, outdir: mkdtempSync(join(tmpdir(), "cdk-")) });
  const template = Template.fromStack(buildApp(app).stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: { AuthorizerResultTtlInSeconds?: number } }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::ApiGateway::Authorizer" || r.Type === "AWS::ApiGatewayV2::Authorizer")
    .map((r) => r.Properties.AuthorizerResultTtlInSeconds ?? -1);
}

describe("the CDK construct and sender-constrained tokens", () => {
  it("caches answers per token by default, and not at all when DPoP is required or senderConstrained is set", () => {
    ensureBuilt();
    expect(ttls(CONTEXT)).toEqual([300, 300]);
    const dpop = JSON.stringify({ issuers: [{ issuer: CONTEXT.jwtIssuer, dpop: "required" }] });
    expect(ttls({ ...CONTEXT, jwtConfig: dpop })).toEqual([0, 0]);
    expect(ttls({ ...CONTEXT, senderConstrained: "true" })).toEqual([0, 0]);
  }, 60_000);
});
