/**
 * Regression tests for the Lambda-authorizer bypasses found by the outside security review: base-path
 * mappings, paths that can be read more than one way, HEAD under a GET rule, and malformed events.
 * Every test drives the built bundle (dist/aws/handler.mjs) and asserts the exact answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { captureLogs, ensureBuilt, importHandler, lambdaContext, type Handler } from "./harness.js";
import { AMBIGUOUS_DENIES, httpApiEvent, methodArn, restRequestEvent, STAGE_ARN, tokenEvent } from "./events.js";
import { iamAllows } from "./iam.js";
import { ROUTES } from "./routes.js";

let issuer: TestIssuer;
let rest: Handler;
let simple: Handler;
let iam: Handler;
let admin: string;
let reader: string;
const ctx = lambdaContext();
const env = () => ({
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: "api",
  JWT_CONFIG: JSON.stringify({ routes: ROUTES }),
  JWT_REQUIRED_SCOPES: "",
  JWT_REPORT_ONLY: "",
});
const denyAll = (resource: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "execute-api:Invoke", Resource: [resource] }],
});

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("ES256");
  rest = await importHandler({ ...env(), JWT_AWS_RESPONSE: "", JWT_AWS_BASE_PATH: "" });
  simple = await importHandler({ ...env(), JWT_AWS_RESPONSE: "simple", JWT_AWS_BASE_PATH: "/v1" });
  iam = await importHandler({ ...env(), JWT_AWS_RESPONSE: "iam", JWT_AWS_BASE_PATH: "/v1" });
  admin = await issuer.sign({ scope: "admin orders:read orders:write", roles: ["analyst"] });
  reader = await issuer.sign({ scope: "orders:read" });
});
afterAll(() => issuer.stop());

describe("custom-domain base paths: the decision and the policy are about the same route", () => {
  it("denies GET /admin/users to a reader when a base-path mapping puts /v1 in the REST event's path but not in methodArn", async () => {
    const event = restRequestEvent(
      "GET",
      "/admin/users",
      { Authorization: `Bearer ${reader}` },
      {},
      { basePath: "/v1" },
    );
    expect(event.path).toBe("/v1/admin/users");
    expect(event.methodArn).toBe(`${STAGE_ARN}/GET/admin/users`);
    const { result, lines } = await captureLogs(() => rest(event, ctx));
    expect(iamAllows(result.policyDocument, methodArn("GET", "/admin/users"))).toBe(false);
    expect(result.policyDocument.Statement[1].Resource).toContain(methodArn("GET", "/admin/users"));
    expect(lines.find((l) => l.message === "authorization decision")).toMatchObject({
      route: "GET /admin/users",
      allowed: false,
      code: "insufficient_scope",
      status: 403,
    });
    const ok = await rest(
      restRequestEvent("GET", "/admin/users", { Authorization: `Bearer ${admin}` }, {}, { basePath: "/v1" }),
      ctx,
    );
    expect(iamAllows(ok.policyDocument, methodArn("GET", "/admin/users"))).toBe(true);
  });

  it("judges a REST REQUEST event on methodArn's method, not httpMethod", async () => {
    const event = {
      ...restRequestEvent("DELETE", "/orders/42", { Authorization: `Bearer ${reader}` }),
      httpMethod: "GET",
    };
    const result = await rest(event, ctx);
    expect(iamAllows(result.policyDocument, methodArn("DELETE", "/orders/42"))).toBe(false);
  });

  it("strips JWT_AWS_BASE_PATH from an HTTP API rawPath, only at a segment boundary", async () => {
    const event = (path: string, token: string) =>
      httpApiEvent("GET", path, { Authorization: `Bearer ${token}` }, { stage: "$default", basePath: "/v1" });
    expect(event("/admin/users", reader).rawPath).toBe("/v1/admin/users");
    expect(await simple(event("/admin/users", reader), ctx)).toEqual({ isAuthorized: false });
    expect(await simple(event("/admin/users", admin), ctx)).toMatchObject({ isAuthorized: true });
    expect(await simple(event("", reader), ctx)).toMatchObject({ isAuthorized: true }); // "/v1" alone is "/"
    // "/v10/admin/users" does not start with the base path "/v1" at a boundary: no rule matches it as is.
    const v10 = httpApiEvent(
      "GET",
      "0/admin/users",
      { Authorization: `Bearer ${reader}` },
      { stage: "$default", basePath: "/v1" },
    );
    expect(v10.rawPath).toBe("/v10/admin/users");
    expect(await simple(v10, ctx)).toMatchObject({ isAuthorized: true });
    const denied = await iam(event("/admin/users", reader), ctx);
    expect(iamAllows(denied.policyDocument, methodArn("GET", "/admin/users", "$default"))).toBe(false);
  });

  it("fails init on a JWT_AWS_BASE_PATH that does not start with '/' or ends with '/', naming the variable", async () => {
    for (const bad of ["v1", "/v1/", "/"]) {
      await expect(importHandler({ ...env(), JWT_AWS_BASE_PATH: bad })).rejects.toMatchObject({
        name: "ConfigError",
        variable: "JWT_AWS_BASE_PATH",
      });
    }
  });
});

/** Paths carrying a marker of the refused list, each one some origin reads differently from IAM. */
const AMBIGUOUS = [
  "/admin;x/users",
  "/admin;jsessionid=1",
  "/admin%2Fusers",
  "/admin%2fusers",
  "/admin%5Cusers",
  "/admin%5cusers",
  "/admin%3Bx/users",
  "/admin%3bx",
  "/admin%252Fusers",
  "/public/%2E%2E/admin",
  "/public/%2e%2e/admin",
  "/public/..%2Fadmin",
  "/public/..;/admin",
  "/admin\\users",
  "//admin/users",
  "/admin//users",
  "/./admin/users",
  "/me/../admin/users",
  "/admin/.",
  "/admin/..",
];

describe("paths that can be read more than one way are refused, directly and from the cache", () => {
  it("denies a REST TOKEN or REQUEST event whose ARN path holds ;params, %2F, %5C, %3B, %25, %2E, a backslash, // or a dot segment, even for an administrator", async () => {
    for (const path of AMBIGUOUS) {
      const arn = methodArn("GET", path);
      for (const event of [
        tokenEvent("GET", path, `Bearer ${admin}`),
        restRequestEvent("GET", path, { Authorization: `Bearer ${admin}` }),
      ]) {
        const { result, lines } = await captureLogs(() => rest(event, ctx));
        expect(iamAllows(result.policyDocument, arn), path).toBe(false);
        expect(result.principalId).toBe("alice");
        // The token's whole policy (so the cache stays right for its other routes), which denies the path.
        expect(result.policyDocument.Statement[0]).toEqual({
          Effect: "Allow",
          Action: "execute-api:Invoke",
          Resource: [`${STAGE_ARN}/*/*`],
        });
        expect(result.policyDocument.Statement[1].Resource).toEqual([...AMBIGUOUS_DENIES, arn]);
        expect(iamAllows(result.policyDocument, methodArn("GET", "/admin/users"))).toBe(true);
        expect(lines.filter((l) => l.message === "authorization decision")).toEqual([
          expect.objectContaining({ route: `GET ${path}`, allowed: false, code: "path_ambiguous", status: 403 }),
        ]);
      }
    }
  });

  it("denies just the ARN of an ambiguous path when the token is missing or invalid", async () => {
    expect(await rest(tokenEvent("GET", "/admin;x/users", "Bearer e30.e30.AAAA"), ctx)).toEqual({
      principalId: "anonymous",
      policyDocument: denyAll(methodArn("GET", "/admin;x/users")),
    });
    expect(await rest(tokenEvent("GET", "//admin", ""), ctx)).toEqual({
      principalId: "anonymous",
      policyDocument: denyAll(methodArn("GET", "//admin")),
    });
  });

  it("denies the ambiguous-path markers in every broad policy, and nothing that merely looks like one", async () => {
    const policy = (await rest(tokenEvent("GET", "/me", `Bearer ${admin}`), ctx)).policyDocument;
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] },
      { Effect: "Deny", Action: "execute-api:Invoke", Resource: AMBIGUOUS_DENIES },
    ]);
    for (const path of AMBIGUOUS)
      for (const m of ["GET", "HEAD", "POST", "DELETE"])
        expect(iamAllows(policy, methodArn(m, path)), `${m} ${path}`).toBe(false);
    for (const path of ["/files/.hidden", "/files/a..b", "/files/...", "/files/x.", "/a%20b", "/a%2", "/orders/42/"]) {
      expect(iamAllows(policy, methodArn("GET", path)), path).toBe(true);
      expect(
        iamAllows((await rest(tokenEvent("GET", path, `Bearer ${admin}`), ctx)).policyDocument, methodArn("GET", path)),
        path,
      ).toBe(true);
    }
  });

  it("refuses an ambiguous HTTP API path: isAuthorized false in simple mode, a Deny in iam mode", async () => {
    for (const path of AMBIGUOUS) {
      expect(await simple(httpApiEvent("GET", path, { Authorization: `Bearer ${admin}` }), ctx), path).toEqual({
        isAuthorized: false,
      });
      const result = await iam(httpApiEvent("GET", path, { Authorization: `Bearer ${admin}` }), ctx);
      expect(iamAllows(result.policyDocument, methodArn("GET", path)), path).toBe(false);
      expect(iamAllows(result.policyDocument, methodArn("GET", "/admin/users")), path).toBe(true);
    }
  });

  it("only reports an ambiguous path under JWT_REPORT_ONLY, and the cached policy allows the whole stage", async () => {
    const report = await importHandler({ ...env(), JWT_REPORT_ONLY: "true" });
    const { result, lines } = await captureLogs(() =>
      report(tokenEvent("GET", "/admin;x/users", `Bearer ${reader}`), ctx),
    );
    expect(result.policyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] }],
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "WARN", message: "report_only", code: "path_ambiguous", would: 403 }),
    );
  });
});

describe("HEAD under a GET rule", () => {
  it("denies HEAD /reports, directly and from a cached policy, to a token that may not GET /reports", async () => {
    const viewer = await issuer.sign({ roles: ["viewer"] });
    const direct = await rest(tokenEvent("HEAD", "/reports", `Bearer ${viewer}`), ctx);
    expect(iamAllows(direct.policyDocument, methodArn("HEAD", "/reports"))).toBe(false);
    const cached = (await rest(tokenEvent("GET", "/me", `Bearer ${viewer}`), ctx)).policyDocument;
    expect(iamAllows(cached, methodArn("HEAD", "/reports"))).toBe(false);
    expect(iamAllows(cached, methodArn("GET", "/reports"))).toBe(false);
    expect(iamAllows(cached, methodArn("POST", "/reports"))).toBe(true);
  });
});

describe("malformed API Gateway events get a documented answer, never a TypeError", () => {
  const arn = methodArn("GET", "/me");
  const good = () => restRequestEvent("GET", "/me", { Authorization: `Bearer ${admin}` });
  const restEvents: Array<[string, unknown]> = [
    ["null", null],
    ["a string", "GET /me"],
    ["a number", 42],
    ["an array", []],
    ["an unknown type", { type: "OTHER", methodArn: arn }],
    ["TOKEN, methodArn a number", { type: "TOKEN", authorizationToken: "Bearer x", methodArn: 42 }],
    ["TOKEN, methodArn missing", { type: "TOKEN", authorizationToken: "Bearer x" }],
    ["TOKEN, methodArn not an ARN", { type: "TOKEN", authorizationToken: "Bearer x", methodArn: "GET /me" }],
    ["TOKEN, authorizationToken an object", { type: "TOKEN", authorizationToken: { a: 1 }, methodArn: arn }],
    ["REQUEST, methodArn an object", { ...good(), methodArn: {} }],
    ["REQUEST, headers an array", { ...good(), headers: ["Authorization"] }],
    ["REQUEST, a header value a number", { ...good(), headers: { Authorization: 7 }, multiValueHeaders: null }],
    ["REQUEST, multiValueHeaders values not arrays", { ...good(), multiValueHeaders: { Authorization: "Bearer x" } }],
    ["REQUEST, queryStringParameters a string", { ...good(), queryStringParameters: "a=b" }],
    ["REQUEST, multiValueQueryStringParameters an array", { ...good(), multiValueQueryStringParameters: [["a", "b"]] }],
    ["REQUEST, requestContext a string", { ...good(), requestContext: "prod" }],
    [
      "REQUEST, a header value with a line break",
      { ...good(), headers: { Authorization: `Bearer ${admin}\r\nX: y` }, multiValueHeaders: null },
    ],
  ];
  for (const [what, event] of restEvents) {
    it(`answers a REST event with ${what} with Error('Unauthorized') (401), logged as malformed_event`, async () => {
      const { error, lines, raw } = await captureLogs(() => rest(event, ctx));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).constructor).toBe(Error);
      expect((error as Error).message).toBe("Unauthorized");
      expect(lines.filter((l) => l.message === "authorization decision")).toEqual([
        expect.objectContaining({ allowed: false, code: "malformed_event", status: 401 }),
      ]);
      expect(raw).not.toContain(admin.split(".")[2]);
    });
  }

  const http = () => httpApiEvent("GET", "/me", { Authorization: `Bearer ${admin}` });
  const httpEvents: Array<[string, Record<string, unknown>, string]> = [
    ["requestContext missing", { ...http(), requestContext: undefined }, `${STAGE_ARN}/*/*`],
    [
      "requestContext.http missing",
      { ...http(), requestContext: { ...http().requestContext, http: undefined } },
      `${STAGE_ARN}/*/*`,
    ],
    [
      "the method a number",
      { ...http(), requestContext: { ...http().requestContext, http: { method: 1 } } },
      `${STAGE_ARN}/*/*`,
    ],
    [
      "a method the platform refuses (CONNECT)",
      { ...http(), requestContext: { ...http().requestContext, http: { method: "CONNECT" } } },
      `${STAGE_ARN}/*/*`,
    ],
    ["rawPath a number", { ...http(), rawPath: 7 }, `${STAGE_ARN}/*/*`],
    ["rawQueryString an object", { ...http(), rawQueryString: { a: "b" } }, `${STAGE_ARN}/*/*`],
    ["headers an array", { ...http(), headers: [] }, `${STAGE_ARN}/*/*`],
    ["cookies a string", { ...http(), cookies: "session=x" }, `${STAGE_ARN}/*/*`],
    ["routeArn missing", { ...http(), routeArn: undefined }, "*"],
  ];
  for (const [what, event, resource] of httpEvents) {
    it(`answers an HTTP API 2.0 event with ${what}: isAuthorized false (simple), Deny (iam)`, async () => {
      const { result, lines } = await captureLogs(() => simple(event, ctx));
      expect(result).toEqual({ isAuthorized: false });
      expect(lines.filter((l) => l.message === "authorization decision")).toEqual([
        expect.objectContaining({ allowed: false, code: "malformed_event", status: 403 }),
      ]);
      expect(await iam(event, ctx)).toEqual({ principalId: "anonymous", policyDocument: denyAll(resource) });
    });
  }
});

describe("origin-interpretation headers in a REST REQUEST event", () => {
  it("judges a POST with X-HTTP-Method-Override: DELETE as a DELETE too: a reader is denied that ARN", async () => {
    const plain = await rest(restRequestEvent("POST", "/orders/42", { Authorization: `Bearer ${reader}` }), ctx);
    expect(iamAllows(plain.policyDocument, methodArn("POST", "/orders/42"))).toBe(true);
    const { result, lines } = await captureLogs(() =>
      rest(
        restRequestEvent("POST", "/orders/42", {
          Authorization: `Bearer ${reader}`,
          "X-HTTP-Method-Override": "DELETE",
        }),
        ctx,
      ),
    );
    expect(iamAllows(result.policyDocument, methodArn("POST", "/orders/42"))).toBe(false);
    expect(lines.find((l) => l.message === "authorization decision")).toMatchObject({
      allowed: false,
      code: "insufficient_scope",
      status: 403,
    });
  });

  it("judges X-Original-URL: /admin/users on GET /health (public) as /admin/users too: no token is 401", async () => {
    await expect(rest(restRequestEvent("GET", "/health", {}), ctx)).resolves.toMatchObject({
      principalId: "anonymous",
    });
    await expect(rest(restRequestEvent("GET", "/health", { "X-Original-URL": "/admin/users" }), ctx)).rejects.toThrow(
      "Unauthorized",
    );
  });
});

describe("a raw token in a REST TOKEN event", () => {
  it("a TOKEN event holding the bare JWT (no Bearer) is read as a Bearer token", async () => {
    const result = await rest(tokenEvent("GET", "/orders/42", reader), ctx);
    expect(iamAllows(result.policyDocument, methodArn("GET", "/orders/42"))).toBe(true);
  });

  it("another scheme (Basic) is still no token: Unauthorized", async () => {
    await expect(rest(tokenEvent("GET", "/orders/42", `Basic ${reader}`), ctx)).rejects.toThrow("Unauthorized");
  });
});
