import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { ensureBuilt, importHandler, lambdaContext, type Handler } from "./harness.js";
import { httpApiEvent, methodArn, STAGE_ARN } from "./events.js";
import { iamAllows } from "./iam.js";
import { ROUTES } from "./routes.js";

let issuer: TestIssuer;
let simple: Handler;
let iam: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("EdDSA");
  const env = {
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: "api",
    JWT_CONFIG: JSON.stringify({ routes: ROUTES, tokenSources: { cookie: "session" } }),
    JWT_REQUIRED_SCOPES: "",
  };
  simple = await importHandler({ ...env, JWT_AWS_RESPONSE: "" });
  iam = await importHandler({ ...env, JWT_AWS_RESPONSE: "iam" });
});
afterAll(() => issuer.stop());

describe("HTTP API payload 2.0, simple responses (the default)", () => {
  it("answers { isAuthorized: true, context } with the flat identity for a valid token", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const result = await simple(
      httpApiEvent(
        "GET",
        "/orders/42",
        { Authorization: `Bearer ${token}` },
        { query: "expand=items&expand=customer" },
      ),
      ctx,
    );
    expect(result).toEqual({
      isAuthorized: true,
      context: expect.objectContaining({ sub: "alice", iss: issuer.issuer, scope: "orders:read" }),
    });
    for (const value of Object.values(result.context)) expect(["string", "number", "boolean"]).toContain(typeof value);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it("answers { isAuthorized: false } (API Gateway 403) for a missing, invalid or insufficient token", async () => {
    const readOnly = await issuer.sign({ scope: "orders:read" });
    const [h, p] = readOnly.split(".");
    for (const event of [
      httpApiEvent("GET", "/me", {}),
      httpApiEvent("GET", "/me", { Authorization: `Bearer ${h}.${p}.${"A".repeat(86)}` }),
      httpApiEvent("DELETE", "/orders/42", { Authorization: `Bearer ${readOnly}` }),
      httpApiEvent("GET", "/admin/users", { Authorization: `Bearer ${readOnly}` }),
    ]) {
      expect(await simple(event, ctx)).toEqual({ isAuthorized: false });
    }
  });

  it("matches route rules on the path without the stage segment that rawPath carries", async () => {
    const admin = await issuer.sign({ scope: "admin" });
    const reader = await issuer.sign({ scope: "orders:read" });
    const event = (token: string) =>
      httpApiEvent("GET", "/admin/users", { Authorization: `Bearer ${token}` }, { stage: "prod" });
    expect(event(admin).rawPath).toBe("/prod/admin/users");
    expect(await simple(event(admin), ctx)).toMatchObject({ isAuthorized: true });
    expect(await simple(event(reader), ctx)).toEqual({ isAuthorized: false });
    const onDefault = httpApiEvent("GET", "/admin/users", { Authorization: `Bearer ${reader}` }, { stage: "$default" });
    expect(onDefault.rawPath).toBe("/admin/users");
    expect(await simple(onDefault, ctx)).toEqual({ isAuthorized: false });
  });

  it("reads a token from the cookies array when a cookie source is configured", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const result = await simple(
      httpApiEvent("GET", "/orders/42", {}, { cookies: ["theme=dark", `session=${token}`] }),
      ctx,
    );
    expect(result).toMatchObject({ isAuthorized: true, context: { sub: "alice" } });
  });

  it("throws (API Gateway 500) when the keys cannot be had", async () => {
    const down = await startTestIssuer("ES256");
    down.mode = "500";
    try {
      const h = await importHandler({
        JWT_ISSUER: down.issuer,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: "",
        JWT_AWS_RESPONSE: "",
      });
      await expect(
        h(httpApiEvent("GET", "/me", { Authorization: `Bearer ${await down.sign()}` }), ctx),
      ).rejects.toThrow(/^Authorizer unavailable$/);
    } finally {
      await down.stop();
    }
  });
});

describe("HTTP API payload 2.0 with JWT_AWS_RESPONSE=iam", () => {
  it("answers an IAM policy built from routeArn, correct for every route when cached", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const result = await iam(httpApiEvent("GET", "/orders/42", { Authorization: `Bearer ${token}` }), ctx);
    expect(result.principalId).toBe("alice");
    expect(result.context).toMatchObject({ sub: "alice" });
    expect(result.policyDocument.Statement[0]).toEqual({
      Effect: "Allow",
      Action: "execute-api:Invoke",
      Resource: [`${STAGE_ARN}/*/*`],
    });
    expect(iamAllows(result.policyDocument, methodArn("GET", "/orders/42"))).toBe(true);
    expect(iamAllows(result.policyDocument, methodArn("GET", "/admin/users"))).toBe(false);
    expect(iamAllows(result.policyDocument, methodArn("DELETE", "/orders/42"))).toBe(false);
  });

  it("denies the whole stage for an invalid token, and the route for an insufficient one", async () => {
    const invalid = await iam(httpApiEvent("GET", "/me", { Authorization: "Bearer e30.e30.AAAA" }), ctx);
    expect(invalid).toEqual({
      principalId: "anonymous",
      policyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] }],
      },
    });
    const reader = await issuer.sign({ scope: "orders:read" });
    const insufficient = await iam(httpApiEvent("DELETE", "/orders/42", { Authorization: `Bearer ${reader}` }), ctx);
    expect(iamAllows(insufficient.policyDocument, methodArn("DELETE", "/orders/42"))).toBe(false);
    expect(iamAllows(insufficient.policyDocument, methodArn("GET", "/orders/42"))).toBe(true);
  });
});
