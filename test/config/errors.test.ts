/**
 * Invalid configuration fails at start-up with a `ConfigError` that names the variable (or the
 * `JWT_CONFIG` field) at fault, both in `err.variable` and at the start of the message.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv } from "../../src/index.js";

const BASE = { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" };
const SECRET = "0123456789abcdef0123456789abcdef"; // 32 bytes

/** The ConfigError configFromEnv throws for `env`. */
function configError(env: Record<string, unknown>): ConfigError {
  let caught: unknown;
  try {
    configFromEnv(env);
  } catch (error) {
    caught = error;
  }
  expect(caught, "configFromEnv should throw").toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.name).toBe("ConfigError");
  expect(error.code).toBe("config_invalid");
  return error;
}

/** Asserts the error names `variable` and its message says `problem`. */
function expectNames(env: Record<string, unknown>, variable: string, problem: RegExp): ConfigError {
  const error = configError(env);
  expect(error.variable).toBe(variable);
  expect(error.message.startsWith(`${variable}: `)).toBe(true);
  expect(error.message).toMatch(problem);
  return error;
}

const routes = (...rules: unknown[]) => ({ ...BASE, JWT_CONFIG: { routes: rules } });

describe("invalid environment variables", () => {
  it.each([
    {
      name: "an unknown algorithm",
      env: { ...BASE, JWT_ALGORITHMS: "RS257" },
      variable: "JWT_ALGORITHMS",
      problem: /unknown algorithm "RS257"/,
    },
    {
      name: "alg none among the algorithms",
      env: { ...BASE, JWT_ALGORITHMS: "RS256,none" },
      variable: "JWT_ALGORITHMS",
      problem: /unknown algorithm "none"/,
    },
    {
      name: "an http issuer outside localhost",
      env: { ...BASE, JWT_ISSUER: "http://idp.example" },
      variable: "JWT_ISSUER",
      problem: /https/,
    },
    {
      name: "an issuer that is not a URL",
      env: { ...BASE, JWT_ISSUER: "idp.example" },
      variable: "JWT_ISSUER",
      problem: /absolute URL/,
    },
    { name: "no issuer at all", env: { JWT_AUDIENCE: "api" }, variable: "JWT_ISSUER", problem: /required/ },
    {
      name: "an http JWKS URL outside localhost",
      env: { ...BASE, JWT_JWKS_URI: "http://idp.example/jwks" },
      variable: "JWT_JWKS_URI",
      problem: /https/,
    },
    {
      name: "a JWT_SECRET shorter than 32 bytes",
      env: { ...BASE, JWT_SECRET: "short-secret" },
      variable: "JWT_SECRET",
      problem: /at least 32 bytes/,
    },
    {
      name: "a JWT_SECRET of 31 bytes",
      env: { ...BASE, JWT_SECRET: SECRET.slice(1) },
      variable: "JWT_SECRET",
      problem: /at least 32 bytes/,
    },
    {
      name: "a JWT_SECRET too short for HS512",
      env: { ...BASE, JWT_SECRET: SECRET, JWT_ALGORITHMS: "HS512" },
      variable: "JWT_SECRET",
      problem: /HS512/,
    },
    {
      name: "an audience missing",
      env: { JWT_ISSUER: "https://idp.example/" },
      variable: "JWT_AUDIENCE",
      problem: /required/,
    },
    { name: "an empty audience", env: { ...BASE, JWT_AUDIENCE: " , " }, variable: "JWT_AUDIENCE", problem: /required/ },
    {
      name: "HS256 without JWT_SECRET",
      env: { ...BASE, JWT_ALGORITHMS: "HS256" },
      variable: "JWT_ALGORITHMS",
      problem: /HS256 needs JWT_SECRET/,
    },
    {
      name: "JWT_SECRET with RS256 (key confusion)",
      env: { ...BASE, JWT_SECRET: SECRET, JWT_ALGORITHMS: "RS256" },
      variable: "JWT_ALGORITHMS",
      problem: /JWT_SECRET/,
    },
    {
      name: "JWT_SECRET with HMAC and RSA mixed",
      env: { ...BASE, JWT_SECRET: SECRET, JWT_ALGORITHMS: "HS256,RS256" },
      variable: "JWT_ALGORITHMS",
      problem: /JWT_SECRET/,
    },
    {
      name: "a clock tolerance of 61 seconds",
      env: { ...BASE, JWT_CLOCK_TOLERANCE: "61" },
      variable: "JWT_CLOCK_TOLERANCE",
      problem: /between 0 and 60, got 61/,
    },
    {
      name: "a clock tolerance that is not a number",
      env: { ...BASE, JWT_CLOCK_TOLERANCE: "abc" },
      variable: "JWT_CLOCK_TOLERANCE",
      problem: /whole number, got "abc"/,
    },
    {
      name: "a negative clock tolerance",
      env: { ...BASE, JWT_CLOCK_TOLERANCE: "-1" },
      variable: "JWT_CLOCK_TOLERANCE",
      problem: /between 0 and 60/,
    },
    {
      name: "a fractional clock tolerance",
      env: { ...BASE, JWT_CLOCK_TOLERANCE: "1.5" },
      variable: "JWT_CLOCK_TOLERANCE",
      problem: /whole number/,
    },
    {
      name: "JWT_JWKS_URI with two issuers",
      env: { ...BASE, JWT_ISSUER: "https://a.example/,https://b.example/", JWT_JWKS_URI: "https://a.example/jwks" },
      variable: "JWT_JWKS_URI",
      problem: /single issuer/,
    },
    {
      name: "JWT_SECRET with two issuers",
      env: { ...BASE, JWT_ISSUER: "https://a.example/,https://b.example/", JWT_SECRET: SECRET },
      variable: "JWT_SECRET",
      problem: /single issuer/,
    },
    {
      name: "the same issuer twice in JWT_ISSUER",
      env: { ...BASE, JWT_ISSUER: "https://a.example/,https://a.example/" },
      variable: "JWT_ISSUER",
      problem: /twice/,
    },
    {
      name: "a report-only flag that is not a boolean",
      env: { ...BASE, JWT_REPORT_ONLY: "maybe" },
      variable: "JWT_REPORT_ONLY",
      problem: /true or false/,
    },
    {
      name: "a token size cap out of range",
      env: { ...BASE, JWT_MAX_TOKEN_BYTES: "100" },
      variable: "JWT_MAX_TOKEN_BYTES",
      problem: /between/,
    },
  ])("$name names $variable", ({ env, variable, problem }) => {
    expectNames(env, variable, problem);
  });
});

describe("invalid JWT_CONFIG", () => {
  it.each([
    {
      name: "JSON that does not parse",
      env: { ...BASE, JWT_CONFIG: "{ routes: [" },
      variable: "JWT_CONFIG",
      problem: /not valid JSON/,
    },
    {
      name: "a JSON array instead of an object",
      env: { ...BASE, JWT_CONFIG: "[1,2]" },
      variable: "JWT_CONFIG",
      problem: /JSON object/,
    },
    {
      name: "a JSON string instead of an object",
      env: { ...BASE, JWT_CONFIG: '"text"' },
      variable: "JWT_CONFIG",
      problem: /JSON object/,
    },
    { name: "JSON null", env: { ...BASE, JWT_CONFIG: "null" }, variable: "JWT_CONFIG", problem: /JSON object/ },
    {
      name: "a number instead of an object",
      env: { ...BASE, JWT_CONFIG: 5 },
      variable: "JWT_CONFIG",
      problem: /JSON object/,
    },
    {
      name: "an array value instead of an object",
      env: { ...BASE, JWT_CONFIG: [{ issuer: "https://idp.example/" }] },
      variable: "JWT_CONFIG",
      problem: /JSON object/,
    },
    {
      name: "issuers that are not a list",
      env: { JWT_CONFIG: { issuers: { issuer: "https://a.example/" } } },
      variable: "JWT_CONFIG.issuers",
      problem: /list of objects/,
    },
    {
      name: "an issuer that is not https",
      env: { JWT_CONFIG: { issuers: [{ issuer: "http://idp.example", audience: "api" }] } },
      variable: "JWT_CONFIG.issuers[0].issuer",
      problem: /https/,
    },
    {
      name: "an unknown algorithm for one issuer",
      env: { JWT_CONFIG: { issuers: [{ issuer: "https://a.example/", audience: "api", algorithms: ["RS257"] }] } },
      variable: "JWT_CONFIG.issuers[0].algorithms",
      problem: /RS257/,
    },
    {
      name: "a short per-issuer secret",
      env: { JWT_CONFIG: { issuers: [{ issuer: "https://a.example/", audience: "api", secret: "short" }] } },
      variable: "JWT_CONFIG.issuers[0].secret",
      problem: /32 bytes/,
    },
    {
      name: "an unknown preset",
      env: { JWT_CONFIG: { issuers: [{ issuer: "https://a.example/", audience: "api", preset: "no-such-idp" }] } },
      variable: "JWT_CONFIG.issuers[0].preset",
      problem: /unknown preset "no-such-idp"/,
    },
    {
      name: "an unknown defaultAccess",
      env: { ...BASE, JWT_CONFIG: { defaultAccess: "open" } },
      variable: "JWT_CONFIG.defaultAccess",
      problem: /public, optional or protected/,
    },
    {
      name: "an unknown preflight mode",
      env: { ...BASE, JWT_CONFIG: { preflight: "skip" } },
      variable: "JWT_CONFIG.preflight",
      problem: /pass.*authorize/,
    },
    {
      name: "an http resource identifier",
      env: { ...BASE, JWT_CONFIG: { resource: "http://api.example/" } },
      variable: "JWT_CONFIG.resource.id",
      problem: /https/,
    },
    {
      name: "a JWKS cache floor above its ceiling",
      env: { ...BASE, JWT_CONFIG: { cache: { jwks: { minTtl: 600, maxTtl: 60 } } } },
      variable: "JWT_CONFIG.cache.jwks.minTtl",
      problem: /maxTtl/,
    },
  ])("$name names $variable", ({ env, variable, problem }) => {
    expectNames(env, variable, problem);
  });

  it("a duplicate issuer in JWT_CONFIG.issuers is refused", () => {
    const error = configError({
      JWT_CONFIG: {
        issuers: [
          { issuer: "https://a.example/", audience: "api" },
          { issuer: "https://a.example/", audience: "other" },
        ],
      },
    });
    expect(error.message).toMatch(/https:\/\/a\.example\/ twice/);
  });

  it("a duplicate issuer in JWT_CONFIG.issuers names JWT_CONFIG.issuers, not JWT_ISSUER", () => {
    expectNames(
      {
        JWT_CONFIG: {
          issuers: [
            { issuer: "https://a.example/", audience: "api" },
            { issuer: "https://a.example/", audience: "other" },
          ],
        },
      },
      "JWT_CONFIG.issuers",
      /lists https:\/\/a\.example\/ twice/,
    );
  });
});

describe("invalid route rules", () => {
  it.each([
    {
      name: "a path without a leading /",
      env: routes({ path: "admin/*" }),
      variable: "JWT_CONFIG.routes[0].path",
      problem: /starting with \//,
    },
    {
      name: "a * in the middle of a path",
      env: routes({ path: "/a/*/b" }),
      variable: "JWT_CONFIG.routes[0].path",
      problem: /only as the last segment/,
    },
    {
      name: "a * glued to a segment",
      env: routes({ path: "/admin*" }),
      variable: "JWT_CONFIG.routes[0].path",
      problem: /only as the last segment/,
    },
    {
      name: "an unknown method",
      env: routes({ path: "/a", methods: ["FETCH"] }),
      variable: "JWT_CONFIG.routes[0].methods",
      problem: /unknown method FETCH/,
    },
    {
      name: "a public route with scopes",
      env: routes({ path: "/a", access: "public", scopes: ["x"] }),
      variable: "JWT_CONFIG.routes[0]",
      problem: /public route cannot require/,
    },
    {
      name: "a public route with roles",
      env: routes({ path: "/a", access: "public", roles: ["x"] }),
      variable: "JWT_CONFIG.routes[0]",
      problem: /public route cannot require/,
    },
    {
      name: "a public route with claim conditions",
      env: routes({ path: "/a", access: "public", claims: [{ claim: "x", exists: true }] }),
      variable: "JWT_CONFIG.routes[0]",
      problem: /public route cannot require/,
    },
    {
      name: "a requirement with both any and all",
      env: routes({ path: "/a", scopes: { any: ["x"], all: ["y"] } }),
      variable: "JWT_CONFIG.routes[0].scopes",
      problem: /exactly one of "any" or "all"/,
    },
    {
      name: "a requirement with an unknown key",
      env: routes({ path: "/a", roles: { some: ["x"] } }),
      variable: "JWT_CONFIG.routes[0].roles",
      problem: /exactly one of "any" or "all"/,
    },
    {
      name: "an empty scopes list",
      env: routes({ path: "/a", scopes: [] }),
      variable: "JWT_CONFIG.routes[0].scopes",
      problem: /must not be empty/,
    },
    {
      name: "an empty any list",
      env: routes({ path: "/a", permissions: { any: [] } }),
      variable: "JWT_CONFIG.routes[0].permissions.any",
      problem: /must not be empty/,
    },
    {
      name: "an empty scope string",
      env: routes({ path: "/a", scopes: " " }),
      variable: "JWT_CONFIG.routes[0].scopes",
      problem: /must not be empty/,
    },
    {
      name: "a scope list with a number in it",
      env: routes({ path: "/a", scopes: ["x", 1] }),
      variable: "JWT_CONFIG.routes[0].scopes",
      problem: /list of strings/,
    },
    {
      name: "an unknown access",
      env: routes({ path: "/a", access: "private" }),
      variable: "JWT_CONFIG.routes[0].access",
      problem: /public, optional, protected/,
    },
    {
      name: "a claim condition with two operators",
      env: routes({ path: "/a", claims: [{ claim: "x", equals: 1, exists: true }] }),
      variable: "JWT_CONFIG.routes[0].claims[0]",
      problem: /exactly one of/,
    },
    {
      name: "a claim condition without a claim",
      env: routes({ path: "/a", claims: [{ equals: 1 }] }),
      variable: "JWT_CONFIG.routes[0].claims[0]",
      problem: /claim path/,
    },
    {
      name: "an empty oneOf",
      env: routes({ path: "/a", claims: [{ claim: "x", oneOf: [] }] }),
      variable: "JWT_CONFIG.routes[0].claims[0].oneOf",
      problem: /non-empty/,
    },
    {
      name: "routes that are not a list",
      env: { ...BASE, JWT_CONFIG: { routes: { path: "/a" } } },
      variable: "JWT_CONFIG.routes",
      problem: /list of rules/,
    },
    {
      name: "the second rule is named by its index",
      env: routes({ path: "/ok" }, { path: "bad" }),
      variable: "JWT_CONFIG.routes[1].path",
      problem: /starting with \//,
    },
  ])("$name names $variable", ({ env, variable, problem }) => {
    expectNames(env, variable, problem);
  });
});

describe("misspelt keys", () => {
  it("a route rule with an unknown key (role instead of roles) is refused, naming the rule and the key", () => {
    expectNames(routes({ path: "/admin/*", role: ["admin"] }), "JWT_CONFIG.routes[0]", /unknown key "role"/);
  });

  it("an unknown top-level JWT_CONFIG key (route instead of routes) is refused", () => {
    expectNames(
      { ...BASE, JWT_CONFIG: { route: [{ path: "/admin/*", roles: ["admin"] }] } },
      "JWT_CONFIG",
      /unknown key "route"/,
    );
  });

  it("an unknown issuer key (claim instead of claims) is refused", () => {
    expectNames(
      {
        JWT_CONFIG: {
          issuers: [{ issuer: "https://a.example/", audience: "api", claim: [{ claim: "tid", equals: "t1" }] }],
        },
      },
      "JWT_CONFIG.issuers[0]",
      /unknown key "claim"/,
    );
  });
});

describe("invalid claim headers", () => {
  it.each([
    { header: "x-user-email", problem: /starting with x-auth-/ },
    { header: "authorization", problem: /starting with x-auth-/ },
    { header: "x-auth-bad name", problem: /letters, digits, dashes/ },
    { header: "x-auth-a\r\nx-evil", problem: /letters, digits, dashes/ },
  ])("a claim header $header is refused, naming the mapping", ({ header, problem }) => {
    expectNames(
      { ...BASE, JWT_CONFIG: { identity: { claimHeaders: { email: header } } } },
      "JWT_CONFIG.identity.claimHeaders.email",
      problem,
    );
  });
});

describe("nested settings refuse what they do not know", () => {
  const config = (json: Record<string, unknown>) => ({ ...BASE, JWT_CONFIG: json });
  it.each([
    [{ cache: { jwks: { staleWhileRevalidat: 60 } } }, "JWT_CONFIG.cache.jwks", /unknown key "staleWhileRevalidat"/],
    [{ cache: { token: 10 } }, "JWT_CONFIG.cache", /unknown key "token"/],
    [{ identity: { claimHeader: { email: "x-auth-email" } } }, "JWT_CONFIG.identity", /unknown key "claimHeader"/],
    [{ resource: { id: "https://api.example/", scopes: ["read"] } }, "JWT_CONFIG.resource", /unknown key "scopes"/],
    [{ cache: 5 }, "JWT_CONFIG.cache", /must be an object/],
    [{ identity: "strip" }, "JWT_CONFIG.identity", /must be an object/],
    [{ cache: { jwks: [] } }, "JWT_CONFIG.cache.jwks", /must be an object/],
  ])("%j is refused, naming %s", (json, variable, problem) => {
    expectNames(config(json), variable, problem);
  });

  it("the settings the docs list are accepted", () => {
    const jwks = { defaultTtl: 600, minTtl: 60, maxTtl: 86400, cooldown: 30, staleFor: 86400 };
    const more = { staleWhileRevalidate: 300, timeoutMs: 3000, maxBytes: 262144 };
    const parsed = configFromEnv(
      config({
        cache: { jwks: { ...jwks, ...more }, tokens: 100 },
        identity: { claimHeaders: { email: "x-auth-email" }, stripAuthorization: true, serverTiming: true },
        resource: { id: "https://api.example/", scopesSupported: ["read"], documentation: "https://api.example/docs" },
      }),
    );
    expect([parsed.cache.tokens, parsed.cache.jwks.staleWhileRevalidate, parsed.identity.serverTiming]).toEqual([
      100,
      300,
      true,
    ]);
  });
});
