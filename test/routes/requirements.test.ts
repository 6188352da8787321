/**
 * What a valid token must hold on a route: scopes (`scope` and `scp`), roles, permissions and claim
 * conditions, each with any/all semantics; roles found per issuer by claim path; JWT_REQUIRED_SCOPES;
 * and the exact 403 answers.
 */
import { describe, expect, it } from "vitest";
import { refusalResponse } from "../../src/index.js";
import { AUTH0, COGNITO, expectRefused, fixture, ISSUER, KEYCLOAK, mint, outcome } from "./fixture.js";

type Row = {
  name: string;
  rule: Record<string, unknown>;
  claims: Record<string, unknown>;
  expected: string;
  issuer?: string;
};

/** Runs each row against `GET /r` under a single rule `{ path: "/r", ...rule }`. */
function table(rows: Row[]) {
  it.each(rows)("$name", async ({ rule, claims, expected, issuer }) => {
    const f = await fixture({ routes: [{ path: "/r", ...rule }] });
    expect(outcome(await f.call("GET", "/r", await mint(claims, issuer ?? ISSUER)))).toBe(expected);
  });
}

describe("scopes", () => {
  table([
    {
      name: "a list needs all scopes: both present passes",
      rule: { scopes: ["read", "write"] },
      claims: { scope: "write read" },
      expected: "pass:token",
    },
    {
      name: "a list needs all scopes: one missing is 403",
      rule: { scopes: ["read", "write"] },
      claims: { scope: "read" },
      expected: "403 insufficient_scope",
    },
    {
      name: "a space-separated string in the rule means all",
      rule: { scopes: "read write" },
      claims: { scope: "read" },
      expected: "403 insufficient_scope",
    },
    {
      name: "all: both present",
      rule: { scopes: { all: ["read", "write"] } },
      claims: { scope: "read write extra" },
      expected: "pass:token",
    },
    {
      name: "any: one of them is enough",
      rule: { scopes: { any: ["admin", "orders:write"] } },
      claims: { scope: "orders:write" },
      expected: "pass:token",
    },
    {
      name: "any: none of them is 403",
      rule: { scopes: { any: ["admin", "orders:write"] } },
      claims: { scope: "orders:read" },
      expected: "403 insufficient_scope",
    },
    {
      name: "scopes match exactly, not by prefix",
      rule: { scopes: ["read"] },
      claims: { scope: "reader" },
      expected: "403 insufficient_scope",
    },
    {
      name: "scopes match case-sensitively",
      rule: { scopes: ["read"] },
      claims: { scope: "READ" },
      expected: "403 insufficient_scope",
    },
    {
      name: "scp as a space-separated string counts",
      rule: { scopes: ["read", "write"] },
      claims: { scp: "read write" },
      expected: "pass:token",
    },
    {
      name: "scp as an array counts",
      rule: { scopes: ["read", "write"] },
      claims: { scp: ["read", "write"] },
      expected: "pass:token",
    },
    {
      name: "scp as an array missing one is 403",
      rule: { scopes: ["read", "write"] },
      claims: { scp: ["read"] },
      expected: "403 insufficient_scope",
    },
    {
      name: "a token without any scope claim is 403",
      rule: { scopes: ["read"] },
      claims: {},
      expected: "403 insufficient_scope",
    },
    {
      name: "a scope found in roles does not count as a scope",
      rule: { scopes: ["read"] },
      claims: { roles: ["read"] },
      expected: "403 insufficient_scope",
    },
  ]);
});

describe("roles and permissions", () => {
  table([
    {
      name: "roles all: both held",
      rule: { roles: ["admin", "ops"] },
      claims: { roles: ["ops", "admin"] },
      expected: "pass:token",
    },
    {
      name: "roles all: one missing is 403 forbidden_claims",
      rule: { roles: ["admin", "ops"] },
      claims: { roles: ["ops"] },
      expected: "403 forbidden_claims",
    },
    {
      name: "roles any: one is enough",
      rule: { roles: { any: ["admin", "ops"] } },
      claims: { roles: ["ops"] },
      expected: "pass:token",
    },
    {
      name: "roles any: none held is 403",
      rule: { roles: { any: ["admin", "ops"] } },
      claims: { roles: ["user"] },
      expected: "403 forbidden_claims",
    },
    {
      name: "roles as a space-separated string claim",
      rule: { roles: ["admin"] },
      claims: { roles: "user admin" },
      expected: "pass:token",
    },
    {
      name: "permissions all: both held",
      rule: { permissions: ["orders:read", "orders:write"] },
      claims: { permissions: ["orders:read", "orders:write"] },
      expected: "pass:token",
    },
    {
      name: "permissions all: one missing is 403",
      rule: { permissions: ["orders:read", "orders:write"] },
      claims: { permissions: ["orders:read"] },
      expected: "403 forbidden_claims",
    },
    {
      name: "permissions any: one is enough",
      rule: { permissions: { any: ["orders:read", "orders:write"] } },
      claims: { permissions: ["orders:write"] },
      expected: "pass:token",
    },
    {
      name: "a role held as a permission does not count",
      rule: { roles: ["admin"] },
      claims: { permissions: ["admin"] },
      expected: "403 forbidden_claims",
    },
    {
      name: "scopes are checked before roles",
      rule: { scopes: ["read"], roles: ["admin"] },
      claims: { roles: ["user"] },
      expected: "403 insufficient_scope",
    },
    {
      name: "scopes, roles and permissions together all hold",
      rule: { scopes: ["read"], roles: ["admin"], permissions: ["p"] },
      claims: { scope: "read", roles: ["admin"], permissions: ["p"] },
      expected: "pass:token",
    },
  ]);
});

describe("roles found per issuer through rolesClaim", () => {
  table([
    {
      name: "Keycloak: realm_access.roles (nested)",
      rule: { roles: ["admin"] },
      claims: { realm_access: { roles: ["admin"] } },
      issuer: KEYCLOAK,
      expected: "pass:token",
    },
    {
      name: "Keycloak: a top-level roles claim is not where its roles live",
      rule: { roles: ["admin"] },
      claims: { roles: ["admin"] },
      issuer: KEYCLOAK,
      expected: "403 forbidden_claims",
    },
    {
      name: "Keycloak: realm_access without the role",
      rule: { roles: ["admin"] },
      claims: { realm_access: { roles: ["user"] } },
      issuer: KEYCLOAK,
      expected: "403 forbidden_claims",
    },
    {
      name: "Cognito: cognito:groups",
      rule: { roles: { any: ["admins", "ops"] } },
      claims: { "cognito:groups": ["admins"] },
      issuer: COGNITO,
      expected: "pass:token",
    },
    {
      name: "Cognito: a roles claim is ignored",
      rule: { roles: ["admins"] },
      claims: { roles: ["admins"] },
      issuer: COGNITO,
      expected: "403 forbidden_claims",
    },
    {
      name: "Auth0: the namespaced https://example.com/roles claim",
      rule: { roles: ["admin"] },
      claims: { "https://example.com/roles": ["admin"] },
      issuer: AUTH0,
      expected: "pass:token",
    },
    {
      name: "Auth0: namespaced permissions",
      rule: { permissions: ["orders:write"] },
      claims: { "https://example.com/permissions": ["orders:write"] },
      issuer: AUTH0,
      expected: "pass:token",
    },
    {
      name: "the default issuer reads plain roles",
      rule: { roles: ["admin"] },
      claims: { roles: ["admin"] },
      expected: "pass:token",
    },
    {
      name: "the default issuer does not read realm_access.roles",
      rule: { roles: ["admin"] },
      claims: { realm_access: { roles: ["admin"] } },
      expected: "403 forbidden_claims",
    },
  ]);
});

describe("claim conditions", () => {
  table([
    {
      name: "equals a string",
      rule: { claims: [{ claim: "tenant", equals: "acme" }] },
      claims: { tenant: "acme" },
      expected: "pass:token",
    },
    {
      name: "equals is exact (no case folding)",
      rule: { claims: [{ claim: "tenant", equals: "acme" }] },
      claims: { tenant: "ACME" },
      expected: "403 forbidden_claims",
    },
    {
      name: 'equals a boolean is not met by the string "true"',
      rule: { claims: [{ claim: "email_verified", equals: true }] },
      claims: { email_verified: "true" },
      expected: "403 forbidden_claims",
    },
    {
      name: "equals a boolean",
      rule: { claims: [{ claim: "email_verified", equals: true }] },
      claims: { email_verified: true },
      expected: "pass:token",
    },
    {
      name: "equals on a nested path",
      rule: { claims: [{ claim: "org.id", equals: 42 }] },
      claims: { org: { id: 42 } },
      expected: "pass:token",
    },
    {
      name: "contains an array element",
      rule: { claims: [{ claim: "groups", contains: "staff" }] },
      claims: { groups: ["x", "staff"] },
      expected: "pass:token",
    },
    {
      name: "contains a word of a space-separated string",
      rule: { claims: [{ claim: "amr", contains: "mfa" }] },
      claims: { amr: "pwd mfa" },
      expected: "pass:token",
    },
    {
      name: "contains does not match a substring",
      rule: { claims: [{ claim: "amr", contains: "mfa" }] },
      claims: { amr: "nomfa" },
      expected: "403 forbidden_claims",
    },
    {
      name: "oneOf: a listed value",
      rule: { claims: [{ claim: "tier", oneOf: ["gold", "platinum"] }] },
      claims: { tier: "gold" },
      expected: "pass:token",
    },
    {
      name: "oneOf: an unlisted value",
      rule: { claims: [{ claim: "tier", oneOf: ["gold", "platinum"] }] },
      claims: { tier: "silver" },
      expected: "403 forbidden_claims",
    },
    {
      name: "exists: true with the claim",
      rule: { claims: [{ claim: "email", exists: true }] },
      claims: { email: "a@b.example" },
      expected: "pass:token",
    },
    {
      name: "exists: true without the claim",
      rule: { claims: [{ claim: "email", exists: true }] },
      claims: {},
      expected: "403 forbidden_claims",
    },
    {
      name: "exists: false without the claim",
      rule: { claims: [{ claim: "act", exists: false }] },
      claims: {},
      expected: "pass:token",
    },
    {
      name: "exists: false with the claim",
      rule: { claims: [{ claim: "act", exists: false }] },
      claims: { act: { sub: "svc" } },
      expected: "403 forbidden_claims",
    },
    {
      name: "a list means all conditions: one fails",
      rule: {
        claims: [
          { claim: "tenant", equals: "acme" },
          { claim: "tier", equals: "gold" },
        ],
      },
      claims: { tenant: "acme", tier: "silver" },
      expected: "403 forbidden_claims",
    },
    {
      name: "all: both hold",
      rule: {
        claims: {
          all: [
            { claim: "tenant", equals: "acme" },
            { claim: "tier", equals: "gold" },
          ],
        },
      },
      claims: { tenant: "acme", tier: "gold" },
      expected: "pass:token",
    },
    {
      name: "any: one holds",
      rule: {
        claims: {
          any: [
            { claim: "tenant", equals: "acme" },
            { claim: "tier", equals: "gold" },
          ],
        },
      },
      claims: { tenant: "other", tier: "gold" },
      expected: "pass:token",
    },
    {
      name: "any: none holds",
      rule: {
        claims: {
          any: [
            { claim: "tenant", equals: "acme" },
            { claim: "tier", equals: "gold" },
          ],
        },
      },
      claims: { tenant: "other", tier: "silver" },
      expected: "403 forbidden_claims",
    },
    {
      name: "a prototype name finds nothing",
      rule: { claims: [{ claim: "constructor", exists: true }] },
      claims: {},
      expected: "403 forbidden_claims",
    },
  ]);
});

describe("JWT_REQUIRED_SCOPES", () => {
  const routes = [
    { path: "/health", access: "public" },
    { path: "/catalog/*", access: "optional" },
    { path: "/orders/*", scopes: ["orders"] },
  ];

  it.each([
    { name: "a protected route needs them", path: "/orders/1", scope: "orders", expected: "403 insufficient_scope" },
    {
      name: "a protected route passes with them and the rule's own",
      path: "/orders/1",
      scope: "api orders",
      expected: "pass:token",
    },
    {
      name: "an unmatched protected route needs them",
      path: "/other",
      scope: "orders",
      expected: "403 insufficient_scope",
    },
    { name: "an unmatched protected route passes with them", path: "/other", scope: "api", expected: "pass:token" },
    { name: "an optional route does not need them", path: "/catalog/1", scope: "", expected: "pass:token" },
    { name: "a public route does not need them", path: "/health", scope: "", expected: "pass:public" },
  ])("$name", async ({ path, scope, expected }) => {
    const f = await fixture({ routes }, { JWT_REQUIRED_SCOPES: "api" });
    expect(outcome(await f.call("GET", path, await mint(scope ? { scope } : {})))).toBe(expected);
  });

  it("names the globally required scopes in the challenge", async () => {
    const f = await fixture({}, { JWT_REQUIRED_SCOPES: "api, read" });
    const refused = expectRefused(await f.call("GET", "/x", await mint({ scope: "api" })), 403, "insufficient_scope");
    expect(refused.requiredScope).toBe("api read");
    expect(refused.wwwAuthenticate).toContain('scope="api read"');
  });
});

describe("the 403 answers", () => {
  it("a missing scope is 403 insufficient_scope naming what was needed", async () => {
    const f = await fixture({ routes: [{ path: "/admin/*", scopes: ["admin", "write"] }] });
    const refused = expectRefused(
      await f.call("GET", "/admin/x", await mint({ scope: "read" })),
      403,
      "insufficient_scope",
    );
    expect(refused.error).toBe("insufficient_scope");
    expect(refused.requiredScope).toBe("admin write");
    expect(refused.wwwAuthenticate).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the scope this route needs", scope="admin write"',
    );
    const response = refusalResponse(refused);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("www-authenticate")).toBe(refused.wwwAuthenticate);
    expect(await response.text()).toBe('{"error":"insufficient_scope","code":"insufficient_scope"}');
  });

  it("a missing role is 403 forbidden_claims, with the RFC 6750 error insufficient_scope", async () => {
    const f = await fixture({ routes: [{ path: "/admin/*", roles: { any: ["admin", "root"] } }] });
    const refused = expectRefused(
      await f.call("GET", "/admin/x", await mint({ roles: ["user"] })),
      403,
      "forbidden_claims",
    );
    expect(refused.error).toBe("insufficient_scope");
    expect(refused.requiredScope).toBe("admin root");
    expect(refused.wwwAuthenticate).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the roles, permissions or claims this route needs", scope="admin root"',
    );
    expect(await refusalResponse(refused).json()).toEqual({ error: "insufficient_scope", code: "forbidden_claims" });
  });

  it("a missing permission is 403 forbidden_claims", async () => {
    const f = await fixture({ routes: [{ path: "/orders/:id", methods: ["DELETE"], permissions: ["orders:delete"] }] });
    const refused = expectRefused(
      await f.call("DELETE", "/orders/7", await mint({ permissions: ["orders:read"] })),
      403,
      "forbidden_claims",
    );
    expect(refused.requiredScope).toBe("orders:delete");
  });

  it("a 403 refusal keeps the verified claims for the adapter, and the log names the code", async () => {
    const f = await fixture({ routes: [{ path: "/admin/*", scopes: ["admin"] }] });
    const refused = expectRefused(
      await f.call("GET", "/admin/x", await mint({ scope: "read" })),
      403,
      "insufficient_scope",
    );
    expect(refused.claims?.sub).toBe("alice");
    expect(f.logs.find((l) => l.message === "jwt_refused")?.fields).toMatchObject({
      code: "insufficient_scope",
      status: 403,
      iss: ISSUER,
    });
  });

  it("an optional route with scopes refuses a present token that lacks them, and passes anonymous requests", async () => {
    const f = await fixture({ routes: [{ path: "/feed", access: "optional", scopes: ["feed"] }] });
    expectRefused(await f.call("GET", "/feed", await mint({ scope: "other" })), 403, "insufficient_scope");
    expect(outcome(await f.call("GET", "/feed"))).toBe("pass:anonymous");
  });
});
