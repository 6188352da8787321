/**
 * Valid configurations: defaults, environment variables over `JWT_CONFIG`, `JWT_CONFIG` as an object
 * (wrangler `[vars]`) or a string, `"audience": null` only through `JWT_CONFIG`.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv, DEFAULT_ALGORITHMS, limits } from "../../src/index.js";
import { fixture, ISSUER, mint } from "../routes/fixture.js";

const BASE = { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" };
const SECRET = "0123456789abcdef0123456789abcdef"; // 32 bytes

describe("defaults", () => {
  it("a minimal config gets the documented secure defaults", () => {
    const config = configFromEnv(BASE);
    expect(config.issuers).toHaveLength(1);
    const [issuer] = config.issuers;
    expect(issuer).toMatchObject({
      issuer: "https://idp.example/",
      audience: ["api"],
      algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"],
    });
    expect(issuer!.algorithms).toEqual(DEFAULT_ALGORITHMS);
    expect(issuer!.jwksUri).toBeUndefined();
    expect(issuer!.secret).toBeUndefined();
    expect(issuer!.clockTolerance).toBeGreaterThanOrEqual(0);
    expect(issuer!.clockTolerance).toBeLessThanOrEqual(60);
    expect(issuer!.claimPaths).toEqual({ roles: ["roles"], permissions: ["permissions"], scopes: ["scope", "scp"] });
    expect(config.maxTokenBytes).toBe(8192);
    expect(config.maxTokenBytes).toBe(limits.MAX_TOKEN_BYTES);
    expect(config.defaultAccess).toBe("protected");
    expect(config.requiredScopes).toEqual([]);
    expect(config.routes).toEqual([]);
    expect(config.tokenSources).toEqual({});
    expect(config.authorizePreflight).toBe(false);
    expect(config.reportOnly).toBe(false);
    expect(config.identity).toEqual({ claimHeaders: {}, stripAuthorization: false });
    expect(config.resource).toBeUndefined();
  });

  it("environment keys the core does not know (ORIGIN_URL, JWT_AWS_RESPONSE) are ignored", () => {
    expect(
      configFromEnv({ ...BASE, ORIGIN_URL: "http://origin.example", JWT_AWS_RESPONSE: "iam", PATH: "/usr/bin" }),
    ).toEqual(configFromEnv(BASE));
  });

  it("http is allowed for localhost and 127.0.0.1 issuers (local development)", () => {
    expect(configFromEnv({ ...BASE, JWT_ISSUER: "http://localhost:8787" }).issuers[0]!.issuer).toBe(
      "http://localhost:8787",
    );
    expect(
      configFromEnv({ ...BASE, JWT_ISSUER: "http://127.0.0.1:9000/", JWT_JWKS_URI: "http://127.0.0.1:9000/jwks" })
        .issuers[0]!.jwksUri,
    ).toBe("http://127.0.0.1:9000/jwks");
  });

  it("clock tolerance accepts 0 and 60", () => {
    expect(configFromEnv({ ...BASE, JWT_CLOCK_TOLERANCE: "0" }).issuers[0]!.clockTolerance).toBe(0);
    expect(configFromEnv({ ...BASE, JWT_CLOCK_TOLERANCE: "60" }).issuers[0]!.clockTolerance).toBe(60);
  });

  it("JWT_REQUIRED_SCOPES may be space- or comma-separated", () => {
    expect(configFromEnv({ ...BASE, JWT_REQUIRED_SCOPES: "read write" }).requiredScopes).toEqual(["read", "write"]);
    expect(configFromEnv({ ...BASE, JWT_REQUIRED_SCOPES: "read, write" }).requiredScopes).toEqual(["read", "write"]);
  });

  it("a JWT_SECRET makes an HMAC issuer with no JWKS, allowing only what the secret is long enough for", () => {
    const short = configFromEnv({ ...BASE, JWT_SECRET: SECRET }).issuers[0]!;
    expect(short).toMatchObject({ secret: SECRET, algorithms: ["HS256"] });
    expect(short.jwksUri).toBeUndefined();
    expect(configFromEnv({ ...BASE, JWT_SECRET: SECRET + SECRET }).issuers[0]!.algorithms).toEqual([
      "HS256",
      "HS384",
      "HS512",
    ]);
    expect(configFromEnv({ ...BASE, JWT_SECRET: SECRET, JWT_ALGORITHMS: "HS256" }).issuers[0]!.algorithms).toEqual([
      "HS256",
    ]);
  });
});

describe("JWT_CONFIG as an object or a string", () => {
  const json = {
    issuers: [
      {
        issuer: "https://idp.example/",
        audience: ["api", "web"],
        jwksUri: "https://idp.example/keys",
        rolesClaim: "realm_access.roles",
        typ: "at+jwt",
      },
    ],
    routes: [
      { path: "/health", access: "public" },
      { path: "/admin/*", methods: ["get", "POST"], roles: { any: ["admin"] } },
    ],
    defaultAccess: "optional",
    preflight: "authorize",
    tokenSources: { cookie: "session" },
    identity: { claimHeaders: { email: "X-Auth-Email" }, stripAuthorization: true },
    resource: { id: "https://api.example/" },
  };

  it("an object (wrangler [vars]) and the same JSON as a string give the same config", () => {
    expect(configFromEnv({ JWT_CONFIG: json })).toEqual(configFromEnv({ JWT_CONFIG: JSON.stringify(json) }));
  });

  it("every field is read", () => {
    const config = configFromEnv({ JWT_CONFIG: JSON.stringify(json) });
    expect(config.issuers[0]).toMatchObject({
      issuer: "https://idp.example/",
      audience: ["api", "web"],
      jwksUri: "https://idp.example/keys",
      typ: ["at+jwt"],
    });
    expect(config.issuers[0]!.claimPaths.roles).toEqual(["realm_access.roles"]);
    expect(config.routes).toEqual([
      { path: "/health", access: "public" },
      { path: "/admin/*", access: "protected", methods: ["GET", "POST"], roles: { values: ["admin"], match: "any" } },
    ]);
    expect(config.defaultAccess).toBe("optional");
    expect(config.authorizePreflight).toBe(true);
    expect(config.tokenSources).toEqual({ cookie: "session" });
    expect(config.identity).toEqual({ claimHeaders: { email: "x-auth-email" }, stripAuthorization: true });
    expect(config.resource).toEqual({
      id: "https://api.example/",
      metadataUrl: "https://api.example/.well-known/oauth-protected-resource",
    });
  });

  it("an empty JWT_CONFIG string is the same as none", () => {
    expect(configFromEnv({ ...BASE, JWT_CONFIG: "" })).toEqual(configFromEnv(BASE));
  });
});

describe("environment variables override JWT_CONFIG fields", () => {
  const json = {
    issuers: [
      {
        issuer: "https://idp.example/",
        audience: "json-aud",
        clockTolerance: 10,
        algorithms: ["ES256"],
        jwksUri: "https://idp.example/json-keys",
        rolesClaim: "realm_access.roles",
      },
    ],
    requiredScopes: ["json-scope"],
    maxTokenBytes: 4096,
    reportOnly: false,
  };

  it("each variable wins over the same JWT_CONFIG field, and the other JSON fields of that issuer stay", () => {
    const config = configFromEnv({
      JWT_CONFIG: json,
      JWT_ISSUER: "https://idp.example/",
      JWT_AUDIENCE: "env-aud",
      JWT_CLOCK_TOLERANCE: "5",
      JWT_ALGORITHMS: "RS256,PS256",
      JWT_JWKS_URI: "https://idp.example/env-keys",
      JWT_REQUIRED_SCOPES: "a b",
      JWT_MAX_TOKEN_BYTES: "2048",
      JWT_REPORT_ONLY: "true",
    });
    expect(config.issuers).toHaveLength(1);
    expect(config.issuers[0]).toMatchObject({
      issuer: "https://idp.example/",
      audience: ["env-aud"],
      clockTolerance: 5,
      algorithms: ["RS256", "PS256"],
      jwksUri: "https://idp.example/env-keys",
    });
    expect(config.issuers[0]!.claimPaths.roles).toEqual(["realm_access.roles"]);
    expect(config.requiredScopes).toEqual(["a", "b"]);
    expect(config.maxTokenBytes).toBe(2048);
    expect(config.reportOnly).toBe(true);
  });

  it("without the variables, the JWT_CONFIG values apply", () => {
    const config = configFromEnv({ JWT_CONFIG: json });
    expect(config.issuers[0]).toMatchObject({
      audience: ["json-aud"],
      clockTolerance: 10,
      algorithms: ["ES256"],
      jwksUri: "https://idp.example/json-keys",
    });
    expect(config.requiredScopes).toEqual(["json-scope"]);
    expect(config.maxTokenBytes).toBe(4096);
    expect(config.reportOnly).toBe(false);
  });

  it("JWT_ISSUER replaces the issuer list of JWT_CONFIG", () => {
    const config = configFromEnv({ JWT_CONFIG: json, JWT_ISSUER: "https://other.example/", JWT_AUDIENCE: "api" });
    expect(config.issuers.map((i) => i.issuer)).toEqual(["https://other.example/"]);
    expect(config.issuers[0]!.claimPaths.roles).toEqual(["roles"]);
  });

  it("empty variables do not override (an unset variable in some platforms is an empty string)", () => {
    const config = configFromEnv({
      JWT_CONFIG: json,
      JWT_AUDIENCE: "",
      JWT_ISSUER: "",
      JWT_CLOCK_TOLERANCE: "",
      JWT_REQUIRED_SCOPES: undefined,
    });
    expect(config.issuers[0]).toMatchObject({ audience: ["json-aud"], clockTolerance: 10 });
  });
});

describe('"audience": null switches the audience check off, only through JWT_CONFIG', () => {
  const issuer = "https://idp.example/";

  it("per issuer in JWT_CONFIG.issuers", () => {
    expect(configFromEnv({ JWT_CONFIG: { issuers: [{ issuer, audience: null }] } }).issuers[0]!.audience).toBeNull();
  });

  it("at the top of JWT_CONFIG, with JWT_ISSUER from the environment", () => {
    expect(configFromEnv({ JWT_ISSUER: issuer, JWT_CONFIG: { audience: null } }).issuers[0]!.audience).toBeNull();
    expect(configFromEnv({ JWT_ISSUER: issuer, JWT_CONFIG: '{"audience":null}' }).issuers[0]!.audience).toBeNull();
  });

  it("JWT_AUDIENCE still wins over a null in JWT_CONFIG", () => {
    expect(
      configFromEnv({ JWT_ISSUER: issuer, JWT_AUDIENCE: "api", JWT_CONFIG: { audience: null } }).issuers[0]!.audience,
    ).toEqual(["api"]);
  });

  it.each([
    { name: "a JWT_AUDIENCE of null in the environment record", env: { JWT_ISSUER: issuer, JWT_AUDIENCE: null } },
    { name: "an empty JWT_AUDIENCE", env: { JWT_ISSUER: issuer, JWT_AUDIENCE: "" } },
    { name: "an issuer in JWT_CONFIG with no audience key", env: { JWT_CONFIG: { issuers: [{ issuer }] } } },
  ])("$name does not switch it off", ({ env }) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
  });

  it('a JWT_AUDIENCE of "null" is an audience named null, not an open door', () => {
    expect(configFromEnv({ JWT_ISSUER: issuer, JWT_AUDIENCE: "null" }).issuers[0]!.audience).toEqual(["null"]);
  });

  it("with audience null a token for any audience (or none) is accepted; with an audience, others are refused", async () => {
    const jwksUri = `${ISSUER.replace(/\/$/, "")}/jwks.json`;
    const open = await fixture({ issuers: [{ issuer: ISSUER, audience: null, jwksUri }] });
    await expect(open.authorizer.verify(await mint({ aud: "anything" }))).resolves.toMatchObject({ aud: "anything" });
    await expect(open.authorizer.verify(await mint({ aud: undefined }))).resolves.toMatchObject({ sub: "alice" });
    const strict = await fixture({ issuers: [{ issuer: ISSUER, audience: "api", jwksUri }] });
    await expect(strict.authorizer.verify(await mint({ aud: "anything" }))).rejects.toMatchObject({
      status: 401,
      code: "audience_mismatch",
    });
    await expect(strict.authorizer.verify(await mint({ aud: undefined }))).rejects.toMatchObject({
      status: 401,
      code: "audience_mismatch",
    });
    await expect(strict.authorizer.verify(await mint({ aud: ["other", "api"] }))).resolves.toMatchObject({
      sub: "alice",
    });
  });
});
