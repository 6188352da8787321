/**
 * API Gateway caches the authorizer's answer per token (REST identity source: the Authorization header)
 * and applies it to every method of the API. These tests take the policy returned for ONE route and
 * evaluate it, IAM-style, against EVERY route of a sample API: it must allow exactly the routes the
 * handler allows when asked about each route directly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestIssuer } from "../helpers/issuer.js";
import { handlerWithIssuer, importHandler, lambdaContext, type Handler } from "./harness.js";
import { methodArn, restRequestEvent, tokenEvent } from "./events.js";
import { iamAllows, type Policy } from "./iam.js";
import { ROUTES } from "./routes.js";

/** Plain routes of the sample API, with HEAD, PATCH and OPTIONS. */
const PLAIN = [
  "GET /",
  "GET /health",
  "GET /me",
  "GET /admin",
  "GET /admin/users",
  "HEAD /admin/users",
  "POST /admin/users/7/disable",
  "GET /orders/42",
  "HEAD /orders/42",
  "PUT /orders/42",
  "PATCH /orders/42",
  "OPTIONS /orders/42",
  "DELETE /orders/42",
  "GET /orders/42/",
  "GET /reports",
  "HEAD /reports",
  "POST /reports",
];
/**
 * Paths some origin reads differently from IAM's literal ARN match: `;params`, encoded slashes and
 * backslashes, dot segments (plain and encoded), doubled slashes. The handler refuses every one of them.
 */
const WEIRD = [
  "GET /admin;x/users",
  "GET /admin%2Fusers",
  "GET /admin%2fusers",
  "GET /admin%5Cusers",
  "GET /public/..%2Fadmin",
  "GET /public/..;/admin",
  "GET /public/%2e%2e/admin",
  "GET /./admin/users",
  "GET /me/../admin/users",
  "GET /admin/..",
  "GET //admin/users",
  "GET /admin//users",
  "GET /health;jsessionid=1",
  "DELETE /orders/42;x",
  "HEAD /reports;x",
];
const API = [...PLAIN, ...WEIRD].map((r) => {
  const [method, path] = r.split(" ") as [string, string];
  return { method, path, name: r };
});
type Route = (typeof API)[number];

/** How the request reaches the authorizer: a TOKEN event, or a REQUEST event through a custom domain whose base path is /v1. */
const KINDS = {
  "TOKEN events": (r: { method: string; path: string }, token: string) =>
    tokenEvent(r.method, r.path, `Bearer ${token}`),
  "REQUEST events under a /v1 base path": (r: { method: string; path: string }, token: string) =>
    restRequestEvent(r.method, r.path, { Authorization: `Bearer ${token}` }, {}, { basePath: "/v1" }),
};
type Kind = keyof typeof KINDS;

let issuer: TestIssuer;
let handler: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ({ issuer, handler } = await handlerWithIssuer("RS256", {
    JWT_CONFIG: JSON.stringify({ routes: ROUTES }),
    JWT_REQUIRED_SCOPES: "",
  }));
});
afterAll(() => issuer.stop());

/** The policy API Gateway would cache after the first request, on `first`. */
async function policyFrom(h: Handler, token: string, first: Route, kind: Kind = "TOKEN events"): Promise<Policy> {
  return (await h(KINDS[kind](first, token), ctx)).policyDocument;
}

/** The handler's own answer for each route, asked directly (no cache). */
async function directly(
  h: Handler,
  token: string,
  routes: Route[] = API,
  kind: Kind = "TOKEN events",
): Promise<string[]> {
  const allowed: string[] = [];
  for (const r of routes) {
    try {
      const result = await h(KINDS[kind](r, token), ctx);
      if (iamAllows(result.policyDocument, methodArn(r.method, r.path))) allowed.push(r.name);
    } catch {
      // Unauthorized: not allowed
    }
  }
  return allowed;
}

const cachedAllows = (policy: Policy, routes: Route[] = API) =>
  routes.filter((r) => iamAllows(policy, methodArn(r.method, r.path))).map((r) => r.name);

describe("a cached REST policy applied to every route and method of the API", () => {
  const cases: Array<{ who: string; claims: Record<string, unknown>; entitled: string[] }> = [
    {
      who: "a reader (orders:read)",
      claims: { scope: "orders:read" },
      entitled: [
        "GET /",
        "GET /health",
        "GET /me",
        "GET /orders/42",
        "HEAD /orders/42",
        "PUT /orders/42",
        "PATCH /orders/42",
        "OPTIONS /orders/42",
        "GET /orders/42/",
        "POST /reports",
      ],
    },
    {
      who: "a writer without read (orders:write): the DELETE rule outranks the all-methods rule",
      claims: { scope: "orders:write" },
      entitled: ["GET /", "GET /health", "GET /me", "DELETE /orders/42", "POST /reports"],
    },
    {
      who: "an administrator and analyst with every scope",
      claims: { scope: "admin orders:read orders:write", roles: ["analyst"] },
      entitled: PLAIN,
    },
    { who: "a token with no scopes", claims: {}, entitled: ["GET /", "GET /health", "GET /me", "POST /reports"] },
  ];
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for (const { who, claims, entitled } of cases) {
      it(`allows exactly what ${who} is entitled to, whichever route was cached first (${kind}; HEAD, ;params, encoded slashes, dot segments and // included)`, async () => {
        const token = await issuer.sign(claims);
        expect(await directly(handler, token, API, kind)).toEqual(entitled);
        for (const first of API)
          expect(cachedAllows(await policyFrom(handler, token, first, kind)), `cached after ${first.name}`).toEqual(
            entitled,
          );
      });
    }
  }

  it("never allows a route nested below a denied parameter rule (IAM * spans '/'): it is denied, fail-closed, even where the core allows it", async () => {
    const token = await issuer.sign({});
    const nested = [{ method: "GET", path: "/orders/42/items", name: "GET /orders/42/items" }];
    expect(await directly(handler, token, nested)).toEqual(["GET /orders/42/items"]); // asked directly: the core allows it
    expect(cachedAllows(await policyFrom(handler, token, API[2]!), nested)).toEqual([]); // from the cache (first GET /me): 403
  });
});

const routesOf = (names: string[]): Route[] =>
  names.map((r) => {
    const [method, path] = r.split(" ") as [string, string];
    return { method, path, name: r };
  });

describe("a cached policy when the token does not meet the default access (JWT_REQUIRED_SCOPES)", () => {
  let strict: Handler;
  const routes = [
    { path: "/health", access: "public" },
    { path: "/products/:id", access: "public" },
    { path: "/admin/*", scopes: ["admin"] },
  ];
  const api = routesOf([
    "GET /",
    "GET /health",
    "POST /health",
    "HEAD /health",
    "GET /products/7",
    "HEAD /products/7",
    "GET /products/7/reviews",
    "GET /me",
    "GET /admin/x",
    "GET /products/7;x",
    "GET /products/7%2Freviews",
    "GET /products//7",
    "GET /products/./7",
    "GET /health/..",
    "GET /admin%2Fx",
  ]);

  beforeAll(async () => {
    strict = await importHandler({
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: "api",
      JWT_CONFIG: JSON.stringify({ routes }),
      JWT_REQUIRED_SCOPES: "api",
    });
  });

  it("lists only the satisfied rules in the Allow, and guards a parameter against deeper paths", async () => {
    const token = await issuer.sign({ scope: "profile" });
    const entitled = ["GET /health", "POST /health", "HEAD /health", "GET /products/7", "HEAD /products/7"];
    expect(await directly(strict, token, api)).toEqual(entitled);
    for (const first of api)
      expect(cachedAllows(await policyFrom(strict, token, first), api), `cached after ${first.name}`).toEqual(entitled);
  });

  it("allows everything but the admin rule and the ambiguous paths for a token with the required scope", async () => {
    const token = await issuer.sign({ scope: "api" });
    const entitled = [
      "GET /",
      "GET /health",
      "POST /health",
      "HEAD /health",
      "GET /products/7",
      "HEAD /products/7",
      "GET /products/7/reviews",
      "GET /me",
    ];
    expect(await directly(strict, token, api)).toEqual(entitled);
    for (const first of api)
      expect(cachedAllows(await policyFrom(strict, token, first), api), `cached after ${first.name}`).toEqual(entitled);
  });
});

describe("a cached policy where GET and HEAD rules share a path (the core applies a GET rule to HEAD)", () => {
  const api = routesOf(["GET /x", "HEAD /x", "POST /x", "GET /y", "HEAD /y", "POST /y"]);
  const configs: Array<{ what: string; routes: unknown[]; entitled: string[] }> = [
    {
      what: "an earlier protected GET rule takes HEAD from a later public HEAD rule; a public GET rule takes HEAD from a protected all-methods rule",
      routes: [
        { path: "/x", methods: ["GET"], scopes: ["a"] },
        { path: "/x", methods: ["HEAD"], access: "public" },
        { path: "/y", scopes: ["b"] },
        { path: "/y", methods: ["GET"], access: "public" },
      ],
      entitled: ["POST /x", "GET /y", "HEAD /y"],
    },
    {
      what: "an earlier public HEAD rule keeps HEAD from a later protected GET rule",
      routes: [
        { path: "/x", methods: ["HEAD"], access: "public" },
        { path: "/x", methods: ["GET"], scopes: ["a"] },
        { path: "/y", methods: ["GET", "HEAD"], scopes: ["b"] },
      ],
      entitled: ["HEAD /x", "POST /x", "POST /y"],
    },
  ];
  for (const { what, routes, entitled } of configs) {
    it(`agrees with the handler on GET, HEAD and POST when ${what}`, async () => {
      const h = await importHandler({
        JWT_ISSUER: issuer.issuer,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: JSON.stringify({ routes }),
        JWT_REQUIRED_SCOPES: "",
      });
      const token = await issuer.sign({});
      expect(await directly(h, token, api)).toEqual(entitled);
      for (const first of api)
        expect(cachedAllows(await policyFrom(h, token, first), api), `cached after ${first.name}`).toEqual(entitled);
    });
  }
});
