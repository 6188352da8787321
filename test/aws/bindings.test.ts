/**
 * Rules bound to path parameters on API Gateway: IAM cannot say "equals the claim", so such routes are
 * answered per request (a policy naming the requested ARN), and a policy cached for the token, whichever
 * route it was made on, is never more open than the handler's direct answers (compared exactly).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestIssuer } from "../helpers/issuer.js";
import { handlerWithIssuer, lambdaContext, type Handler } from "./harness.js";
import { methodArn, tokenEvent } from "./events.js";
import { iamAllows, type Policy } from "./iam.js";

const ROUTES = [
  { path: "/health", access: "public" },
  { path: "/orgs/:org/*", claims: [{ claim: "org_id", equalsParam: "org" }] },
  { path: "/users/:id", claims: [{ claim: "sub", equalsParam: "id" }] },
  { path: "/admin/*", scopes: ["admin"] },
];
const API = [
  "GET /health",
  "GET /me",
  "GET /orgs/A/x",
  "GET /orgs/B/x",
  "GET /orgs/a/x",
  "DELETE /orgs/A/x",
  "HEAD /orgs/B/x",
  "GET /users/alice",
  "GET /users/bob",
  "GET /admin/x",
].map((r) => {
  const [method, path] = r.split(" ") as [string, string];
  return { method, path, name: r };
});

let issuer: TestIssuer;
let handler: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ({ issuer, handler } = await handlerWithIssuer("ES256", {
    JWT_CONFIG: JSON.stringify({ routes: ROUTES }),
    JWT_REQUIRED_SCOPES: "",
  }));
});
afterAll(() => issuer.stop());

async function policy(token: string, route: string): Promise<Policy | null> {
  const [method, path] = route.split(" ") as [string, string];
  try {
    return (await handler(tokenEvent(method, path, `Bearer ${token}`), ctx)).policyDocument;
  } catch {
    return null; // Unauthorized
  }
}

/** The routes the handler allows when asked about each one directly. */
async function direct(token: string): Promise<string[]> {
  const out: string[] = [];
  for (const r of API) {
    const p = await policy(token, r.name);
    if (p && iamAllows(p, methodArn(r.method, r.path))) out.push(r.name);
  }
  return out;
}

describe("a token of tenant A (sub alice) against rules bound to the path", () => {
  it("asked directly: its own tenant and user only, compared exactly (case included)", async () => {
    const token = await issuer.sign({ org_id: "A", sub: "alice" });
    expect(await direct(token)).toEqual([
      "GET /health",
      "GET /me",
      "GET /orgs/A/x",
      "DELETE /orgs/A/x",
      "GET /users/alice",
    ]);
  });

  it("a bound route is answered with a policy for the requested ARN alone", async () => {
    const token = await issuer.sign({ org_id: "A", sub: "alice" });
    expect(await policy(token, "GET /orgs/A/x")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "execute-api:Invoke", Resource: [methodArn("GET", "/orgs/A/x")] }],
    });
    expect(await policy(token, "GET /orgs/B/x")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "execute-api:Invoke", Resource: [methodArn("GET", "/orgs/B/x")] }],
    });
  });

  for (const first of API.map((r) => r.name)) {
    it(`its policy cached on ${first} is never more open than the direct answers`, async () => {
      const token = await issuer.sign({ org_id: "A", sub: "alice" });
      const allowed = await direct(token);
      const cached = await policy(token, first);
      const cachedAllows = cached
        ? API.filter((r) => iamAllows(cached, methodArn(r.method, r.path))).map((r) => r.name)
        : [];
      for (const name of cachedAllows)
        expect(allowed, `${name} allowed by the policy cached on ${first}`).toContain(name);
      expect(cachedAllows).not.toContain("GET /orgs/B/x");
      expect(cachedAllows).not.toContain("GET /orgs/a/x");
    });
  }
});
