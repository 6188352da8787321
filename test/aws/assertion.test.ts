/**
 * The signed identity assertion on API Gateway: the handler puts it in the authorizer context, bound
 * to the URL the integration receives (ORIGIN_URL + path); the CDK app maps it onto x-auth-assertion
 * and turns the authorizer cache off (each assertion is for one request).
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOriginVerifier } from "../../adapters/origin/index.js";
import { buildApp } from "../../infra/aws/app.js";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { ensureBuilt, importHandler, lambdaContext, type Handler } from "./harness.js";
import { httpApiEvent, tokenEvent } from "./events.js";

let issuer: TestIssuer;
let rest: Handler;
let simple: Handler;
let key: JWK & { kid: string };
const ORIGIN = "https://backend.example.com";

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("ES256");
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  key = { ...(await exportJWK(privateKey)), kid: "lambda-1" };
  const env = {
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: "api",
    JWT_ASSERTION_KEY: JSON.stringify(key),
    ORIGIN_URL: `${ORIGIN}/`,
  };
  rest = await importHandler({ ...env, JWT_AWS_RESPONSE: "iam" });
  simple = await importHandler({ ...env, JWT_AWS_RESPONSE: "simple" });
});
afterAll(() => issuer.stop());

const jwks = () => ({
  keys: [{ kty: key.kty!, crv: key.crv!, x: key.x!, y: key.y!, kid: key.kid, alg: "ES256", use: "sig" }],
});

describe("the Lambda handler with JWT_ASSERTION_KEY and ORIGIN_URL", () => {
  it("a REST TOKEN event gets context.assertion, which the origin verifies for ORIGIN_URL + path", async () => {
    const result = await rest(
      tokenEvent("GET", "/orders/42", `Bearer ${await issuer.sign({ sub: "alice" })}`),
      lambdaContext(),
    );
    const assertion = result.context.assertion as string;
    expect(typeof assertion).toBe("string");
    const origin = createOriginVerifier({ audience: ORIGIN, jwks: jwks() });
    const verified = await origin.verify(
      new Request(`${ORIGIN}/orders/42?x=1`, { headers: { "x-auth-assertion": assertion } }),
    );
    expect(verified).toMatchObject({ ok: true, subject: "alice" });
    const elsewhere = await createOriginVerifier({ audience: ORIGIN, jwks: jwks() }).verify(
      new Request(`${ORIGIN}/admin`, { headers: { "x-auth-assertion": assertion } }),
    );
    expect(elsewhere).toMatchObject({ ok: false, code: "assertion_mismatch" });
  });

  it("an HTTP API simple answer carries it too; two requests get two different assertions", async () => {
    const token = await issuer.sign({ sub: "bob" });
    const event = () => httpApiEvent("POST", "/orders", { authorization: `Bearer ${token}` }, { stage: "$default" });
    const [a, b] = [await simple(event(), lambdaContext()), await simple(event(), lambdaContext())];
    expect(a.isAuthorized).toBe(true);
    expect(a.context.assertion).not.toBe(b.context.assertion);
  });
});

describe("the CDK app with an assertion key", () => {
  it("maps context.authorizer.assertion to x-auth-assertion, sets ORIGIN_URL and caches nothing", () => {
    const context = {
      jwtIssuer: "https://login.example.com/",
      jwtAudience: "api",
      jwtAssertionKey: JSON.stringify(key),
      originUrl: ORIGIN,
    };
    const template = Template.fromStack(
      buildApp(new App({ context, outdir: mkdtempSync(join(tmpdir(), "cdk-")) })).stack,
    );
    const fn = Object.values(template.findResources("AWS::Lambda::Function")).find(
      (r) => r.Properties.Handler === "handler.handler",
    )!;
    expect(fn.Properties.Environment.Variables.ORIGIN_URL).toBe(ORIGIN);
    const rest = Object.values(template.findResources("AWS::ApiGateway::Authorizer"))[0]!.Properties;
    const http = Object.values(template.findResources("AWS::ApiGatewayV2::Authorizer"))[0]!.Properties;
    expect([rest.AuthorizerResultTtlInSeconds, http.AuthorizerResultTtlInSeconds]).toEqual([0, 0]);
    const methods = Object.values(template.findResources("AWS::ApiGateway::Method")).filter(
      (m) => m.Properties.Integration,
    );
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods)
      expect(m.Properties.Integration.RequestParameters["integration.request.header.x-auth-assertion"]).toBe(
        "context.authorizer.assertion",
      );
    const integration = Object.values(template.findResources("AWS::ApiGatewayV2::Integration"))[0]!.Properties;
    expect(integration.RequestParameters).toEqual({
      "overwrite:header.x-auth-assertion": "$context.authorizer.assertion",
    });
  }, 180_000);
});
