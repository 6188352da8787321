/**
 * Rule kinds (public, optional, protected), unmatched routes, CORS preflights and report-only mode,
 * driven through `authorize(new Request(...))` with real ES256 tokens.
 */
import { describe, expect, it } from "vitest";
import { refusalResponse } from "../../src/index.js";
import { expectAllowed, expectRefused, fixture, mint, outcome, tampered } from "./fixture.js";

const routes = [
  { path: "/health", access: "public" },
  { path: "/catalog/*", access: "optional" },
  { path: "/orders/*", access: "protected" },
];

describe("each kind of route rule", () => {
  const table: Array<{
    name: string;
    path: string;
    token: "none" | "valid" | "invalid" | "garbage";
    expected: string;
  }> = [
    { name: "a public route needs no token", path: "/health", token: "none", expected: "pass:public" },
    {
      name: "a public route lets a valid token pass without looking at it",
      path: "/health",
      token: "valid",
      expected: "pass:public",
    },
    {
      name: "a public route does not even look at a badly signed token",
      path: "/health",
      token: "invalid",
      expected: "pass:public",
    },
    {
      name: "a public route does not even look at a token that is not a JWT",
      path: "/health",
      token: "garbage",
      expected: "pass:public",
    },
    {
      name: "an optional route lets an anonymous request pass",
      path: "/catalog/1",
      token: "none",
      expected: "pass:anonymous",
    },
    {
      name: "an optional route verifies a token that is present",
      path: "/catalog/1",
      token: "valid",
      expected: "pass:token",
    },
    {
      name: "an optional route refuses a badly signed token with 401",
      path: "/catalog/1",
      token: "invalid",
      expected: "401 signature_invalid",
    },
    {
      name: "an optional route refuses a malformed token with 401",
      path: "/catalog/1",
      token: "garbage",
      expected: "401 token_malformed",
    },
    {
      name: "a protected route refuses a request without a token",
      path: "/orders/1",
      token: "none",
      expected: "401 token_missing",
    },
    { name: "a protected route passes a valid token", path: "/orders/1", token: "valid", expected: "pass:token" },
    {
      name: "a protected route refuses a badly signed token",
      path: "/orders/1",
      token: "invalid",
      expected: "401 signature_invalid",
    },
  ];
  it.each(table)("$name", async ({ path, token, expected }) => {
    const f = await fixture({ routes });
    const good = await mint();
    const sent =
      token === "none" ? undefined : token === "valid" ? good : token === "invalid" ? tampered(good) : "not-a-jwt";
    expect(outcome(await f.call("GET", path, sent))).toBe(expected);
  });

  it("a public route makes no key fetch and writes no refusal log, even for a bad token", async () => {
    const f = await fixture({ routes });
    const decision = expectAllowed(await f.call("GET", "/health", tampered(await mint())), "public");
    expect(decision).toEqual({ ok: true, claims: null, headers: {}, context: {}, reason: "public" });
    expect(f.fetched).toEqual([]);
    expect(f.logs).toEqual([]);
  });

  it("an anonymous request on an optional route carries no identity headers", async () => {
    const f = await fixture({ routes });
    const decision = expectAllowed(await f.call("GET", "/catalog/1"), "anonymous");
    expect(decision.claims).toBeNull();
    expect(decision.headers).toEqual({});
    expect(decision.context).toEqual({});
    expect(decision.subject).toBeUndefined();
  });

  it("a valid token on an optional route carries the identity", async () => {
    const f = await fixture({ routes });
    const decision = expectAllowed(await f.call("GET", "/catalog/1", await mint({ sub: "bob" })), "token");
    expect(decision.subject).toBe("bob");
    expect(decision.issuer).toBe("https://idp.example/");
    expect(decision.headers["x-auth-sub"]).toBe("bob");
    expect(decision.headers["x-auth-iss"]).toBe("https://idp.example/");
  });

  it("a missing token on a protected route gets a Bearer challenge with no error attribute (RFC 6750 3.1)", async () => {
    const f = await fixture({ routes });
    const refused = expectRefused(await f.call("GET", "/orders/1"), 401, "token_missing");
    expect(refused.wwwAuthenticate).toBe('Bearer realm="api"');
    const response = refusalResponse(refused);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ error: "invalid_request", code: "token_missing" });
  });
});

describe("a route no rule matches", () => {
  it.each([
    { defaultAccess: undefined, token: false, expected: "401 token_missing" },
    { defaultAccess: undefined, token: true, expected: "pass:token" },
    { defaultAccess: "protected", token: false, expected: "401 token_missing" },
    { defaultAccess: "public", token: false, expected: "pass:public" },
    { defaultAccess: "public", token: true, expected: "pass:public" },
    { defaultAccess: "optional", token: false, expected: "pass:anonymous" },
    { defaultAccess: "optional", token: true, expected: "pass:token" },
  ])("with defaultAccess $defaultAccess and token $token: $expected", async ({ defaultAccess, token, expected }) => {
    const f = await fixture({ routes, ...(defaultAccess ? { defaultAccess } : {}) });
    expect(outcome(await f.call("GET", "/elsewhere", token ? await mint() : undefined))).toBe(expected);
  });

  it("an invalid token on an unmatched optional route is still a 401", async () => {
    const f = await fixture({ routes, defaultAccess: "optional" });
    expectRefused(await f.call("GET", "/elsewhere", tampered(await mint())), 401, "signature_invalid");
  });
});

describe("CORS preflight", () => {
  const preflight = { origin: "https://app.example", "access-control-request-method": "DELETE" };

  it("an OPTIONS request with Origin and Access-Control-Request-Method passes without a token", async () => {
    const f = await fixture({ routes });
    const decision = expectAllowed(await f.call("OPTIONS", "/orders/1", undefined, preflight), "preflight");
    expect(decision.headers).toEqual({});
    expect(f.fetched).toEqual([]);
  });

  it("a preflight passes even when it carries a bad token, which is not looked at", async () => {
    const f = await fixture({ routes });
    expectAllowed(await f.call("OPTIONS", "/orders/1", "garbage", preflight), "preflight");
  });

  it('with "preflight": "authorize" a preflight needs a token like any request', async () => {
    const f = await fixture({ routes, preflight: "authorize" });
    expectRefused(await f.call("OPTIONS", "/orders/1", undefined, preflight), 401, "token_missing");
    expectAllowed(await f.call("OPTIONS", "/orders/1", await mint(), preflight), "token");
  });

  it("a plain OPTIONS request without the preflight headers needs a token", async () => {
    const f = await fixture({ routes });
    expectRefused(await f.call("OPTIONS", "/orders/1"), 401, "token_missing");
    expectRefused(
      await f.call("OPTIONS", "/orders/1", undefined, { origin: "https://app.example" }),
      401,
      "token_missing",
    );
    expectRefused(
      await f.call("OPTIONS", "/orders/1", undefined, { "access-control-request-method": "GET" }),
      401,
      "token_missing",
    );
  });
});

describe("report-only mode", () => {
  it("lets a request without a token pass with reason report_only and logs what would have happened", async () => {
    const f = await fixture({ routes, reportOnly: true });
    const decision = expectAllowed(await f.call("GET", "/orders/1"), "report_only");
    expect(decision).toEqual({ ok: true, claims: null, headers: {}, context: {}, reason: "report_only" });
    const line = f.logs.find((l) => l.message === "report_only");
    expect(line).toEqual({
      level: "warn",
      message: "report_only",
      fields: { would: 401, code: "token_missing", method: "GET", route: "/orders/1" },
    });
  });

  it("lets a request that lacks a scope pass without identity headers, logging the 403 it would have been", async () => {
    const f = await fixture({ routes: [{ path: "/admin/*", scopes: ["admin"] }] }, { JWT_REPORT_ONLY: "true" });
    const token = await mint({ scope: "read" });
    const decision = expectAllowed(await f.call("POST", "/admin/users", token), "report_only");
    expect(decision.headers).toEqual({});
    expect(decision.claims).toBeNull();
    expect(f.logs.filter((l) => l.message === "report_only")).toEqual([
      {
        level: "warn",
        message: "report_only",
        fields: { would: 403, code: "insufficient_scope", method: "POST", route: "/admin/users" },
      },
    ]);
    expect(JSON.stringify(f.logs).includes(token)).toBe(false);
  });

  it("logs a badly signed token as the 401 it would have been", async () => {
    const f = await fixture({ routes, reportOnly: true });
    expectAllowed(await f.call("GET", "/orders/1", tampered(await mint())), "report_only");
    expect(f.logs.find((l) => l.message === "report_only")?.fields).toMatchObject({
      would: 401,
      code: "signature_invalid",
    });
  });

  it("still passes a valid token normally, with its identity and no report_only line", async () => {
    const f = await fixture({ routes, reportOnly: true });
    const decision = expectAllowed(await f.call("GET", "/orders/1", await mint()), "token");
    expect(decision.headers["x-auth-sub"]).toBe("alice");
    expect(f.logs.some((l) => l.message === "report_only")).toBe(false);
  });
});
