/** The CDK app keys the authorizer cache on the method and path when a rule binds claims to the path. */
import { describe, expect, it } from "vitest";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../infra/aws/app.js";
import { ensureBuilt } from "./harness.js";

const BASE = { jwtIssuer: "https://login.example.com/", jwtAudience: "api" };
const BOUND = { routes: [{ path: "/orgs/:org/*", claims: [{ claim: "org_id", equalsParam: "org" }] }] };

function authorizers(context: Record<string, unknown>) {
  const app = new App({ context, outdir: mkdtempSync(join(tmpdir(), "cdk-")) });
  const template = Template.fromStack(buildApp(app).stack);
  const rest = Object.values(template.findResources("AWS::ApiGateway::Authorizer"))[0]!.Properties;
  const http = Object.values(template.findResources("AWS::ApiGatewayV2::Authorizer"))[0]!.Properties;
  return { rest, http };
}

describe("the CDK app with rules bound to path parameters", () => {
  it("keys the REST cache on Authorization, the method and the path", () => {
    ensureBuilt();
    const { rest } = authorizers({ ...BASE, jwtConfig: JSON.stringify(BOUND) });
    expect(rest.IdentitySource).toBe("method.request.header.Authorization,context.httpMethod,context.path");
  }, 180_000);

  it("keys the HTTP API cache (IAM answers) on Authorization, the method and the path", () => {
    const { http } = authorizers({ ...BASE, jwtConfig: JSON.stringify(BOUND), httpResponse: "iam" });
    expect(http.IdentitySource).toEqual(["$request.header.Authorization", "$context.httpMethod", "$context.path"]);
  }, 180_000);

  it("keeps one cache entry per token when no rule is bound to the path", () => {
    const { rest } = authorizers({
      ...BASE,
      jwtConfig: JSON.stringify({ routes: [{ path: "/admin/*", scopes: ["admin"] }] }),
    });
    expect(rest.IdentitySource).toBe("method.request.header.Authorization");
  }, 180_000);
});

describe("the CDK app's side effects and errors", () => {
  it("manages no account-wide API Gateway CloudWatch role unless asked", () => {
    ensureBuilt();
    const app = new App({ context: BASE, outdir: mkdtempSync(join(tmpdir(), "cdk-")) });
    const template = Template.fromStack(buildApp(app).stack);
    expect(Object.keys(template.findResources("AWS::ApiGateway::Account"))).toEqual([]);
  }, 180_000);

  it("a bare synth without the issuer says what to set in one line, no stack trace", async () => {
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync("npx", ["tsx", "infra/aws/app.ts"], {
      cwd: join(import.meta.dirname, "../.."),
      encoding: "utf8",
      env: { ...process.env, CDK_CONTEXT_JSON: "{}" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "edge-jwt-authorizer: JWT_ISSUER: is required (or list issuers in JWT_CONFIG.issuers) (set it with: cdk synth -c jwtIssuer=...)",
    );
  }, 180_000);
});
