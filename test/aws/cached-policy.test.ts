/**
 * API Gateway caches the authorizer's answer per token (REST identity source: the Authorization header)
 * and applies it to every method of the API. These tests take the policy returned for ONE route and
 * evaluate it, IAM-style, against EVERY route of a sample API: it must allow exactly the routes the
 * handler allows when asked about each route directly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { ensureBuilt, importHandler, lambdaContext, type Handler } from "./harness.js";
import { methodArn, tokenEvent } from "./events.js";
import { iamAllows, type Policy } from "./iam.js";
import { ROUTES } from "./routes.js";

const API = [
  "GET /", "GET /health", "GET /me", "GET /admin", "GET /admin/users", "POST /admin/users/7/disable",
  "GET /orders/42", "PUT /orders/42", "DELETE /orders/42", "GET /orders/42/", "GET /reports", "POST /reports",
].map((r) => { const [method, path] = r.split(" ") as [string, string]; return { method, path, name: r }; });

let issuer: TestIssuer;
let handler: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("RS256");
  handler = await importHandler({ JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_CONFIG: JSON.stringify({ routes: ROUTES }), JWT_REQUIRED_SCOPES: "" });
});
afterAll(() => issuer.stop());

/** The policy API Gateway would cache after the first request, on `first`. */
async function policyFrom(h: Handler, token: string, first: string): Promise<Policy> {
  const [method, path] = first.split(" ") as [string, string];
  return (await h(tokenEvent(method, path, `Bearer ${token}`), ctx)).policyDocument;
}

/** The handler's own answer for each route, asked directly (no cache). */
async function directly(h: Handler, token: string, routes = API): Promise<string[]> {
  const allowed: string[] = [];
  for (const r of routes) {
    try {
      const result = await h(tokenEvent(r.method, r.path, `Bearer ${token}`), ctx);
      if (iamAllows(result.policyDocument, methodArn(r.method, r.path))) allowed.push(r.name);
    } catch {
      // Unauthorized: not allowed
    }
  }
  return allowed;
}

const cachedAllows = (policy: Policy, routes = API) => routes.filter((r) => iamAllows(policy, methodArn(r.method, r.path))).map((r) => r.name);

describe("a cached REST policy applied to every route of the API", () => {
  const cases: Array<{ who: string; claims: Record<string, unknown>; entitled: string[] }> = [
    { who: "a reader (orders:read)", claims: { scope: "orders:read" }, entitled: ["GET /", "GET /health", "GET /me", "GET /orders/42", "PUT /orders/42", "GET /orders/42/", "POST /reports"] },
    { who: "a writer without read (orders:write): the DELETE rule outranks the all-methods rule", claims: { scope: "orders:write" }, entitled: ["GET /", "GET /health", "GET /me", "DELETE /orders/42", "POST /reports"] },
    { who: "an administrator and analyst with every scope", claims: { scope: "admin orders:read orders:write", roles: ["analyst"] }, entitled: API.map((r) => r.name) },
    { who: "a token with no scopes", claims: {}, entitled: ["GET /", "GET /health", "GET /me", "POST /reports"] },
  ];
  for (const { who, claims, entitled } of cases) {
    for (const first of ["GET /me", "GET /health", "DELETE /orders/42", "GET /admin/users"]) {
      it(`allows exactly what ${who} is entitled to, whichever route was cached first (${first})`, async () => {
        const token = await issuer.sign(claims);
        expect(await directly(handler, token)).toEqual(entitled);
        expect(cachedAllows(await policyFrom(handler, token, first))).toEqual(entitled);
      });
    }
  }

  it("never allows a route nested below a denied parameter rule (IAM * spans '/'): it is denied, fail-closed, even where the core allows it", async () => {
    const token = await issuer.sign({});
    const nested = [{ method: "GET", path: "/orders/42/items", name: "GET /orders/42/items" }];
    expect(await directly(handler, token, nested)).toEqual(["GET /orders/42/items"]); // asked directly: the core allows it
    expect(cachedAllows(await policyFrom(handler, token, "GET /me"), nested)).toEqual([]); // from the cache: 403
  });
});

describe("a cached policy when the token does not meet the default access (JWT_REQUIRED_SCOPES)", () => {
  let strict: Handler;
  const routes = [{ path: "/health", access: "public" }, { path: "/products/:id", access: "public" }, { path: "/admin/*", scopes: ["admin"] }];
  const api = ["GET /", "GET /health", "POST /health", "GET /products/7", "GET /products/7/reviews", "GET /me", "GET /admin/x"]
    .map((r) => { const [method, path] = r.split(" ") as [string, string]; return { method, path, name: r }; });

  beforeAll(async () => {
    strict = await importHandler({ JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_CONFIG: JSON.stringify({ routes }), JWT_REQUIRED_SCOPES: "api" });
  });

  it("lists only the satisfied rules in the Allow, and guards a parameter against deeper paths", async () => {
    const token = await issuer.sign({ scope: "profile" });
    const entitled = ["GET /health", "POST /health", "GET /products/7"];
    expect(await directly(strict, token, api)).toEqual(entitled);
    for (const first of ["GET /me", "GET /health", "GET /products/7"]) {
      expect(cachedAllows(await policyFrom(strict, token, first), api)).toEqual(entitled);
    }
  });

  it("allows everything but the admin rule for a token with the required scope", async () => {
    const token = await issuer.sign({ scope: "api" });
    const entitled = api.map((r) => r.name).filter((n) => n !== "GET /admin/x");
    expect(await directly(strict, token, api)).toEqual(entitled);
    expect(cachedAllows(await policyFrom(strict, token, "GET /me"), api)).toEqual(entitled);
  });
});
