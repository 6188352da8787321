/**
 * Claims bound to path parameters: `/orgs/:org/*` for a token whose `org_id` is that `:org`, `/users/:id`
 * for the user whose `sub` is that `:id`. The segment is read as matching reads the path, and compared
 * exactly, so no spelling of another tenant's path passes.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv } from "../../src/index.js";
import { expectAllowed, expectRefused, fixture, ISSUER, mint, outcome } from "./fixture.js";

const ROUTES = {
  routes: [
    { path: "/orgs/:org/*", claims: [{ claim: "org_id", equalsParam: "org" }] },
    { path: "/members/:org/*", claims: [{ claim: "orgs", containsParam: "org" }] },
    { path: "/users/:id", methods: ["GET", "PUT"], claims: [{ claim: "sub", equalsParam: "id" }] },
    { path: "/public/*", access: "public" },
  ],
};

describe("equalsParam: your own tenant only", () => {
  it("a token for tenant acme reaches /orgs/acme/projects, and the identity says which binding passed", async () => {
    const f = await fixture(ROUTES);
    const d = expectAllowed(await f.call("GET", "/orgs/acme/projects", await mint({ org_id: "acme" })), "token");
    expect(d.bindings).toEqual(["org_id equals :org"]);
    expect(d.headers["x-auth-binding"]).toBe("org_id equals :org");
    expect(d.context.binding).toBe("org_id equals :org");
  });

  it("the same token on another tenant's path is 403 forbidden_claims, marked as bound to the path", async () => {
    const f = await fixture(ROUTES);
    const d = expectRefused(
      await f.call("GET", "/orgs/globex/projects", await mint({ org_id: "acme" })),
      403,
      "forbidden_claims",
    );
    expect(d.pathBound).toBe(true);
  });

  it.each([
    ["case", "/orgs/ACME/projects"],
    ["case, the other way", "/orgs/Acme/projects"],
    ["percent-encoding of another tenant", "/orgs/%67lobex/projects"],
    ["a dot-segment into another tenant", "/orgs/acme/..%2Fglobex/projects"],
    ["an encoded dot-segment", "/orgs/acme/%2e%2e%2fglobex/x"],
    ["a ;param after the tenant", "/orgs/globex;acme/projects"],
    ["a ;param dot-segment", "/orgs/acme/..;/globex/projects"],
    ["a double-encoded slash", "/orgs/acme%252f..%252fglobex/x"],
    ["an encoded slash inside the segment", "/orgs/acme%2Fglobex/projects"],
  ])("another spelling (%s: %s) is 403 for a token of tenant acme", async (_, path) => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", path, await mint({ org_id: "acme" })))).toBe("403 forbidden_claims");
  });

  it("a tenant written ACME in the token matches /orgs/ACME and not /orgs/acme: compared exactly", async () => {
    const f = await fixture(ROUTES);
    const token = await mint({ org_id: "ACME" });
    expect(outcome(await f.call("GET", "/orgs/ACME/x", token))).toBe("pass:token");
    expect(outcome(await f.call("GET", "/orgs/acme/x", token))).toBe("403 forbidden_claims");
  });

  it("a numeric claim equals its decimal segment, and nothing else", async () => {
    const f = await fixture(ROUTES);
    const token = await mint({ org_id: 42 });
    expect(outcome(await f.call("GET", "/orgs/42/x", token))).toBe("pass:token");
    for (const path of ["/orgs/042/x", "/orgs/42.0/x", "/orgs/43/x"])
      expect(outcome(await f.call("GET", path, token)), path).toBe("403 forbidden_claims");
  });

  it("a claim that is missing, an object, or a boolean never equals a segment", async () => {
    const f = await fixture(ROUTES);
    for (const claims of [{}, { org_id: { id: "acme" } }, { org_id: true }, { org_id: ["acme"] }, { org_id: null }]) {
      expect(outcome(await f.call("GET", "/orgs/acme/x", await mint(claims))), JSON.stringify(claims)).toBe(
        "403 forbidden_claims",
      );
    }
  });

  it("/users/:id is open to the user whose sub is that id, for GET and PUT", async () => {
    const f = await fixture(ROUTES);
    const alice = await mint({ sub: "alice" });
    expect(outcome(await f.call("GET", "/users/alice", alice))).toBe("pass:token");
    expect(outcome(await f.call("PUT", "/users/alice", alice))).toBe("pass:token");
    expect(outcome(await f.call("PUT", "/users/bob", alice))).toBe("403 forbidden_claims");
    expect(outcome(await f.call("HEAD", "/users/bob", alice))).toBe("403 forbidden_claims");
  });

  it("no token on a bound route is 401 token_missing, as on any protected route", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", "/orgs/acme/x"))).toBe("401 token_missing");
  });

  it("a dodge from a public path into another tenant's area needs that tenant's token", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", "/public/..%2Forgs/globex/x", await mint({ org_id: "acme" })))).toBe(
      "403 forbidden_claims",
    );
    expect(outcome(await f.call("GET", "/public/..%2Forgs/globex/x", await mint({ org_id: "globex" })))).toBe(
      "pass:token",
    );
  });
});

describe("containsParam: any of your tenants", () => {
  it("an array claim that contains the segment passes; one that does not is 403", async () => {
    const f = await fixture(ROUTES);
    const token = await mint({ orgs: ["acme", "initech", 7] });
    expect(outcome(await f.call("GET", "/members/initech/x", token))).toBe("pass:token");
    expect(outcome(await f.call("GET", "/members/7/x", token))).toBe("pass:token");
    expect(outcome(await f.call("GET", "/members/globex/x", token))).toBe("403 forbidden_claims");
    expect(outcome(await f.call("GET", "/members/INITECH/x", token))).toBe("403 forbidden_claims");
  });

  it("a space-separated string claim is read as a list", async () => {
    const f = await fixture(ROUTES);
    const token = await mint({ orgs: "acme initech" });
    expect(outcome(await f.call("GET", "/members/acme/x", token))).toBe("pass:token");
    expect(outcome(await f.call("GET", "/members/acme%20initech/x", token))).toBe("403 forbidden_claims");
  });
});

describe("bindings in the configuration", () => {
  const config = (routes: unknown[]) => () =>
    configFromEnv({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_CONFIG: { routes } });

  it("a param the path lacks is refused at start-up, naming the condition and the path's parameters", () => {
    const bad = config([{ path: "/orgs/:org/*", claims: [{ claim: "org_id", equalsParam: "organisation" }] }]);
    expect(bad).toThrowError(ConfigError);
    expect(bad).toThrowError(
      expect.objectContaining({
        variable: "JWT_CONFIG.routes[0].claims[0].equalsParam",
        message: expect.stringContaining(":org"),
      }),
    );
    const none = config([{ path: "/orgs", claims: [{ claim: "org_id", containsParam: "org" }] }]);
    expect(none).toThrowError(
      expect.objectContaining({
        variable: "JWT_CONFIG.routes[0].claims[0].containsParam",
        message: expect.stringContaining("it has none"),
      }),
    );
  });

  it("an issuer-wide condition cannot compare with a path parameter", () => {
    const bad = () =>
      configFromEnv({
        JWT_CONFIG: {
          issuers: [{ issuer: ISSUER, audience: "api", claims: [{ claim: "org_id", equalsParam: "org" }] }],
        },
      });
    expect(bad).toThrowError(expect.objectContaining({ variable: "JWT_CONFIG.issuers[0].claims[0].equalsParam" }));
  });

  it("a condition with two operators, or an unknown key, is refused", () => {
    expect(config([{ path: "/o/:org", claims: [{ claim: "a", equalsParam: "org", equals: "x" }] }])).toThrowError(
      ConfigError,
    );
    expect(config([{ path: "/o/:org", claims: [{ claim: "a", equalParam: "org" }] }])).toThrowError(
      /unknown key "equalParam"/,
    );
  });

  it("x-auth-binding is the authorizer's own header: a claim cannot be mapped onto it", () => {
    const bad = () =>
      configFromEnv({
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: { identity: { claimHeaders: { org: "x-auth-binding" } } },
      });
    expect(bad).toThrowError(expect.objectContaining({ variable: "JWT_CONFIG.identity.claimHeaders.org" }));
  });
});

describe("entitlements of a bound rule", () => {
  it("is never allowed for the token alone, and says it is answered per path", async () => {
    const f = await fixture(ROUTES);
    const claims = await f.authorizer.verify(await mint({ org_id: "acme" }));
    const orgs = f.authorizer.entitlements(claims).rules[0]!;
    expect(orgs).toMatchObject({ path: "/orgs/:org/*", allowed: false, pathBound: true });
  });
});
