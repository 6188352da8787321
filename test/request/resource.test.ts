/**
 * RFC 9728 protected-resource metadata (`resource_metadata` on refusals, the document the adapters
 * serve) and `entitlements(claims)`, the per-rule answer API Gateway policies are built from.
 */
import { describe, expect, it } from "vitest";
import { metadataResponse } from "../../src/index.js";
import { AUTH0, COGNITO, expectRefused, fixture, ISSUER, KEYCLOAK, mint, tampered } from "../routes/fixture.js";

describe("RFC 9728 protected-resource metadata", () => {
  const resource = {
    id: "https://api.example/",
    scopesSupported: ["orders", "admin"],
    documentation: "https://docs.example/api",
  };
  const metadata = "https://api.example/.well-known/oauth-protected-resource";

  it("every kind of refusal carries resource_metadata in WWW-Authenticate", async () => {
    const f = await fixture({ resource, routes: [{ path: "/admin/*", scopes: ["admin"] }] });
    const missing = expectRefused(await f.call("GET", "/x"), 401, "token_missing");
    expect(missing.wwwAuthenticate).toBe(`Bearer realm="api", resource_metadata="${metadata}"`);
    const invalid = expectRefused(await f.call("GET", "/x", tampered(await mint())), 401, "signature_invalid");
    expect(invalid.wwwAuthenticate).toBe(
      `Bearer realm="api", error="invalid_token", error_description="The token signature is invalid", resource_metadata="${metadata}"`,
    );
    const scope = expectRefused(await f.call("GET", "/admin/x", await mint()), 403, "insufficient_scope");
    expect(scope.wwwAuthenticate).toBe(
      `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the scope this route needs", scope="admin", resource_metadata="${metadata}"`,
    );
  });

  it("metadataResponse serves the document at a metadataUrl of its own and nothing at nearby paths", async () => {
    const f = await fixture({ resource: { id: "https://api.example/", metadataUrl: "https://api.example/meta/rs" } });
    const get = (path: string, method = "GET") =>
      metadataResponse(f.authorizer, new Request(`https://api.example${path}`, { method }));
    const served = get("/meta/rs");
    expect(served?.status).toBe(200);
    expect(((await served!.json()) as { resource: string }).resource).toBe("https://api.example/");
    for (const path of ["/meta/rs/x", "/x/meta/rs", "/meta/r", "/.well-known/oauth-protected-resource"])
      expect(get(path), path).toBeUndefined();
    expect(get("/meta/rs", "POST")).toBeUndefined();
  });

  it("protectedResource() returns the document and the path to serve it at", async () => {
    const f = await fixture({ resource });
    expect(f.authorizer.protectedResource()).toEqual({
      path: "/.well-known/oauth-protected-resource",
      document: {
        resource: "https://api.example/",
        authorization_servers: [ISSUER, KEYCLOAK, COGNITO, AUTH0],
        bearer_methods_supported: ["header"],
        scopes_supported: ["orders", "admin"],
        resource_documentation: "https://docs.example/api",
      },
    });
  });

  it("a resource with a path gets the path-suffixed well-known URL (RFC 9728 3.1)", async () => {
    const f = await fixture({ resource: "https://api.example/v1" });
    expect(f.authorizer.protectedResource()).toEqual({
      path: "/.well-known/oauth-protected-resource/v1",
      document: {
        resource: "https://api.example/v1",
        authorization_servers: [ISSUER, KEYCLOAK, COGNITO, AUTH0],
        bearer_methods_supported: ["header"],
      },
    });
    expect(expectRefused(await f.call("GET", "/v1/x"), 401, "token_missing").wwwAuthenticate).toBe(
      'Bearer realm="api", resource_metadata="https://api.example/.well-known/oauth-protected-resource/v1"',
    );
  });

  it("query tokens, when configured, are listed as a bearer method", async () => {
    const f = await fixture({ resource, tokenSources: { query: "access_token" } });
    expect(f.authorizer.protectedResource()?.document.bearer_methods_supported).toEqual(["header", "query"]);
  });

  it("without a resource there is no document and no resource_metadata", async () => {
    const f = await fixture({});
    expect(f.authorizer.protectedResource()).toBeNull();
    expect(expectRefused(await f.call("GET", "/x"), 401, "token_missing").wwwAuthenticate).toBe('Bearer realm="api"');
  });
});

describe("entitlements(claims)", () => {
  const routes = [
    { path: "/health", access: "public" },
    { path: "/catalog/*", access: "optional" },
    { path: "/orders/:id", methods: ["GET"], scopes: ["orders:read"] },
    { path: "/orders/:id", methods: ["DELETE"], roles: ["admin"] },
    { path: "/admin/*", scopes: { any: ["admin", "root"] } },
  ];

  // Each rule lists the methods it decides: every method when it names none, HEAD with GET.
  const ALL = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

  it("lists every rule, in config order, with the methods it decides and whether these claims satisfy it", async () => {
    const f = await fixture({ routes });
    const claims = await f.authorizer.verify(await mint({ scope: "orders:read", roles: ["user"] }));
    expect(f.authorizer.entitlements(claims)).toEqual({
      rules: [
        { methods: ALL, path: "/health", access: "public", allowed: true },
        { methods: ALL, path: "/catalog/*", access: "optional", allowed: true },
        { methods: ["GET", "HEAD"], path: "/orders/:id", access: "protected", allowed: true },
        { methods: ["DELETE"], path: "/orders/:id", access: "protected", allowed: false },
        { methods: ALL, path: "/admin/*", access: "protected", allowed: false },
      ],
      defaultAllowed: true,
    });
  });

  it("reads roles through the token issuer's rolesClaim", async () => {
    const f = await fixture({ routes });
    const claims = await f.authorizer.verify(await mint({ realm_access: { roles: ["admin"] } }, KEYCLOAK));
    expect(f.authorizer.entitlements(claims).rules.map((r) => r.allowed)).toEqual([true, true, false, true, false]);
  });

  it("leaves out the methods a more specific rule at the same path takes: HEAD goes with the GET rule", async () => {
    const f = await fixture({
      routes: [
        { path: "/r", scopes: ["all"] },
        { path: "/r", methods: ["GET"], scopes: ["get"] },
        { path: "/r", methods: ["HEAD", "POST"], scopes: ["hp"] },
      ],
    });
    const rules = f.authorizer.entitlements(await f.authorizer.verify(await mint())).rules;
    expect(rules.map((r) => r.methods)).toEqual([["PUT", "PATCH", "DELETE", "OPTIONS"], ["GET", "HEAD"], ["POST"]]);
  });

  it("applies JWT_REQUIRED_SCOPES to protected rules and the default, not to public or optional ones", async () => {
    const f = await fixture({ routes }, { JWT_REQUIRED_SCOPES: "api" });
    const without = await f.authorizer.verify(await mint({ scope: "orders:read admin", roles: ["admin"] }));
    expect(f.authorizer.entitlements(without)).toEqual({
      rules: [
        { methods: ALL, path: "/health", access: "public", allowed: true },
        { methods: ALL, path: "/catalog/*", access: "optional", allowed: true },
        { methods: ["GET", "HEAD"], path: "/orders/:id", access: "protected", allowed: false },
        { methods: ["DELETE"], path: "/orders/:id", access: "protected", allowed: false },
        { methods: ALL, path: "/admin/*", access: "protected", allowed: false },
      ],
      defaultAllowed: false,
    });
    const withApi = await f.authorizer.verify(await mint({ scope: "api orders:read admin", roles: ["admin"] }));
    expect(f.authorizer.entitlements(withApi).rules.every((r) => r.allowed)).toBe(true);
    expect(f.authorizer.entitlements(withApi).defaultAllowed).toBe(true);
  });

  it("agrees with authorize for the same token on each rule", async () => {
    const f = await fixture({ routes });
    const token = await mint({ scope: "admin", roles: ["admin"] });
    const rules = f.authorizer.entitlements(await f.authorizer.verify(token)).rules;
    const requests: Array<[string, string]> = [
      ["GET", "/health"],
      ["GET", "/catalog/1"],
      ["GET", "/orders/1"],
      ["DELETE", "/orders/1"],
      ["GET", "/admin/x"],
    ];
    const actual = await Promise.all(requests.map(async ([m, p]) => (await f.call(m, p, token)).ok));
    expect(actual).toEqual(rules.map((r) => r.allowed));
    expect(actual).toEqual([true, true, false, true, true]);
  });
});
