/**
 * Each identity provider: its good token passes, and its typical wrong tokens (an ID token where an
 * access token is required, another tenant, the wrong client) are refused with the right reason code.
 */
import { describe, expect, it } from "vitest";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import * as F from "./fixtures.js";
import { silentLogger } from "../../src/deps.js";

async function setup(config: Record<string, unknown>, routes: Record<string, unknown>) {
  const fetch = F.servingFetch(routes);
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify(config) }), {
    fetch,
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
  const call = (token: string, path = "/orders"): Promise<Decision> =>
    authorizer.authorize(
      new Request(`https://api.example.com${path}`, { headers: { authorization: `Bearer ${token}` } }),
    );
  return { authorizer, call, fetch };
}
const code = (d: Decision) => (d.ok ? "ok" : d.code);

describe("Auth0", () => {
  it("accepts an access token with two audiences and enforces permissions and a namespaced roles claim", async () => {
    const key = await F.rsaKey("auth0-kid");
    const domain = "tenant.eu.auth0.com";
    const { call, fetch } = await setup(
      {
        issuers: [
          { preset: "auth0", domain, audience: "https://api.example.com", rolesClaim: "https://example.com/roles" },
        ],
        routes: [
          { path: "/orders", methods: ["POST"], permissions: ["write:orders"] },
          { path: "/admin/*", roles: ["admin"] },
        ],
      },
      { [`https://${domain}/.well-known/jwks.json`]: { keys: [key.jwk] } },
    );
    const good = await F.mint(key, F.auth0Access(domain), { typ: "JWT" });
    expect(code(await call(good))).toBe("ok");
    expect(code(await call(good, "/admin/users"))).toBe("ok");
    const noAdmin = await F.mint(key, { ...F.auth0Access(domain), "https://example.com/roles": [] });
    expect(code(await call(noAdmin, "/admin/users"))).toBe("forbidden_claims");
    const otherApi = await F.mint(key, { ...F.auth0Access(domain), aud: "https://other.example.com" });
    expect(code(await call(otherApi))).toBe("audience_mismatch");
    // The JWKS URL Auth0 documents, fetched once, with no discovery round trip.
    expect(fetch.urls).toEqual([`https://${domain}/.well-known/jwks.json`]);
  });
});

describe("Amazon Cognito", () => {
  const pool = "eu-west-1_AbCdEf123";
  const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`;
  const routesFor = (key: F.ProviderKeys) => ({ [`${issuer}/.well-known/jwks.json`]: { keys: [key.jwk] } });

  it("accepts an access token by client_id and reads cognito:groups as roles", async () => {
    const key = await F.rsaKey("cognito-kid");
    const { call } = await setup(
      {
        issuers: [{ preset: "cognito", region: "eu-west-1", userPoolId: pool, audience: "3n4b5c6d7e8f9g0h1i2j3k4l5m" }],
        routes: [{ path: "/orders", roles: ["admins"], scopes: ["orders/read"] }],
      },
      routesFor(key),
    );
    expect(code(await call(await F.mint(key, F.cognitoAccess(pool))))).toBe("ok");
  });

  it("refuses an ID token where access tokens are required, and an access token of another app client", async () => {
    const key = await F.rsaKey("cognito-kid");
    const { call } = await setup(
      {
        issuers: [{ preset: "cognito", region: "eu-west-1", userPoolId: pool, audience: "3n4b5c6d7e8f9g0h1i2j3k4l5m" }],
      },
      routesFor(key),
    );
    expect(code(await call(await F.mint(key, F.cognitoId(pool))))).toBe("audience_mismatch");
    const idWithClientId = await F.mint(key, { ...F.cognitoId(pool), client_id: "3n4b5c6d7e8f9g0h1i2j3k4l5m" });
    expect(code(await call(idWithClientId))).toBe("claim_condition_failed");
    expect(code(await call(await F.mint(key, { ...F.cognitoAccess(pool), client_id: "another-client" })))).toBe(
      "audience_mismatch",
    );
  });

  it("accepts ID tokens instead when tokenUse is id, and then refuses access tokens", async () => {
    const key = await F.rsaKey("cognito-kid");
    const { call } = await setup(
      {
        issuers: [
          {
            preset: "cognito",
            region: "eu-west-1",
            userPoolId: pool,
            tokenUse: "id",
            audience: "3n4b5c6d7e8f9g0h1i2j3k4l5m",
          },
        ],
      },
      routesFor(key),
    );
    expect(code(await call(await F.mint(key, F.cognitoId(pool))))).toBe("ok");
    expect(code(await call(await F.mint(key, { ...F.cognitoAccess(pool), aud: "3n4b5c6d7e8f9g0h1i2j3k4l5m" })))).toBe(
      "claim_condition_failed",
    );
  });
});

describe("Microsoft Entra ID", () => {
  const aud = "api://b2c3d4e5-0000-1111-2222-333344445555";
  async function entra(version: string) {
    const key = await F.rsaKey("entra-kid");
    const keys = {
      keys: [
        { ...key.jwk, alg: undefined, x5t: "entra-kid", issuer: `https://login.microsoftonline.com/${F.TENANT}/v2.0` },
      ],
    };
    const s = await setup(
      {
        issuers: [{ preset: "entra", tenants: [F.TENANT], version, audience: aud }],
        routes: [
          { path: "/orders", scopes: ["Orders.Read"] },
          { path: "/admin/*", roles: ["Orders.Admin"] },
        ],
      },
      {
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration": {
          issuer: "https://login.microsoftonline.com/{tenantid}/v2.0",
          jwks_uri: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
        },
        "https://login.microsoftonline.com/common/discovery/v2.0/keys": keys,
        "https://login.microsoftonline.com/common/discovery/keys": keys,
      },
    );
    return { ...s, key };
  }

  it("accepts v2 tokens of an allowed tenant, reading scp and roles", async () => {
    const { call, key } = await entra("2.0");
    const token = await F.mint(key, F.entraV2(F.TENANT), { typ: "JWT" });
    expect(code(await call(token))).toBe("ok");
    expect(code(await call(token, "/admin/x"))).toBe("ok");
  });

  it("accepts v1 and v2 tokens with version both", async () => {
    const { call, key } = await entra("both");
    expect(code(await call(await F.mint(key, F.entraV1(F.TENANT))))).toBe("ok");
    expect(code(await call(await F.mint(key, F.entraV2(F.TENANT))))).toBe("ok");
  });

  it("refuses a token from a tenant that is not on the allow-list, without fetching anything for it", async () => {
    const { call, key, fetch } = await entra("2.0");
    expect(code(await call(await F.mint(key, F.entraV2(F.OTHER_TENANT))))).toBe("issuer_unknown");
    expect(fetch.urls).toEqual([]);
  });

  it("refuses an allowed issuer carrying another tenant's tid", async () => {
    const { call, key } = await entra("2.0");
    expect(code(await call(await F.mint(key, { ...F.entraV2(F.TENANT), tid: F.OTHER_TENANT })))).toBe(
      "claim_condition_failed",
    );
  });

  it("refuses a v1 token when only v2 is configured", async () => {
    const { call, key } = await entra("2.0");
    expect(code(await call(await F.mint(key, F.entraV1(F.TENANT))))).toBe("issuer_unknown");
  });
});

describe("Google and Firebase", () => {
  it("accepts Google ID tokens under both issuer spellings from one JWKS fetch, and refuses another client's", async () => {
    const key = await F.rsaKey("google-kid");
    const { call, fetch } = await setup(
      { issuers: [{ preset: "google", audience: "1234-abc.apps.googleusercontent.com" }] },
      { "https://www.googleapis.com/oauth2/v3/certs": { keys: [key.jwk] } },
    );
    expect(code(await call(await F.mint(key, F.googleId("https://accounts.google.com"), { typ: "JWT" })))).toBe("ok");
    expect(code(await call(await F.mint(key, F.googleId("accounts.google.com"))))).toBe("ok");
    expect(fetch.urls).toEqual(["https://www.googleapis.com/oauth2/v3/certs"]);
    expect(
      code(
        await call(
          await F.mint(key, {
            ...F.googleId("https://accounts.google.com"),
            aud: "9999-other.apps.googleusercontent.com",
          }),
        ),
      ),
    ).toBe("audience_mismatch");
  });

  it("accepts a Firebase ID token of the project and refuses one of another project", async () => {
    const key = await F.rsaKey("firebase-kid");
    const { call } = await setup(
      { issuers: [{ preset: "firebase", projectId: "my-app" }] },
      {
        "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com": {
          keys: [key.jwk],
        },
      },
    );
    expect(code(await call(await F.mint(key, F.firebaseId("my-app"))))).toBe("ok");
    expect(code(await call(await F.mint(key, F.firebaseId("other-app"))))).toBe("issuer_unknown");
    expect(code(await call(await F.mint(key, { ...F.firebaseId("my-app"), aud: "other-app" })))).toBe(
      "audience_mismatch",
    );
    const { sub: _s, ...noSub } = F.firebaseId("my-app");
    expect(code(await call(await F.mint(key, noSub)))).toBe("claim_missing");
  });
});

describe("Okta, Keycloak and Clerk", () => {
  it("Okta: accepts a custom authorization server token with scp array and groups, refuses another client", async () => {
    const key = await F.rsaKey("okta-kid");
    const issuer = "https://dev-123.okta.com/oauth2/default";
    const { call } = await setup(
      {
        issuers: [{ preset: "okta", issuer, audience: "api://default", clientIds: ["0oa1client"] }],
        routes: [{ path: "/orders", scopes: ["orders.read"], roles: ["Admins"] }],
      },
      {
        [`${issuer}/.well-known/openid-configuration`]: { issuer, jwks_uri: `${issuer}/v1/keys` },
        [`${issuer}/v1/keys`]: { keys: [key.jwk] },
      },
    );
    expect(code(await call(await F.mint(key, F.oktaAccess(issuer))))).toBe("ok");
    expect(code(await call(await F.mint(key, { ...F.oktaAccess(issuer), cid: "0oa2other" })))).toBe(
      "claim_condition_failed",
    );
  });

  it("Keycloak: reads realm and client roles, refuses an ID token", async () => {
    const key = await F.rsaKey("kc-kid");
    const issuer = "https://sso.example.com/realms/acme";
    const { call } = await setup(
      {
        issuers: [{ preset: "keycloak", issuer, audience: "orders-api", client: "orders-api" }],
        routes: [
          { path: "/admin/*", roles: ["admin"] },
          { path: "/orders", methods: ["POST"], roles: ["orders:write"] },
        ],
      },
      {
        [`${issuer}/.well-known/openid-configuration`]: { issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` },
        [`${issuer}/protocol/openid-connect/certs`]: { keys: [key.jwk] },
      },
    );
    const token = await F.mint(key, F.keycloakAccess(issuer));
    expect(code(await call(token, "/admin/x"))).toBe("ok");
    const post = await (
      await setup({ issuers: [{ preset: "keycloak", issuer, audience: "orders-api", client: "orders-api" }] }, {})
    ).authorizer;
    expect(post.config.issuers[0]!.claimPaths.roles).toEqual([
      "realm_access.roles",
      "resource_access.orders-api.roles",
    ]);
    expect(code(await call(await F.mint(key, { ...F.keycloakAccess(issuer), typ: "ID" })))).toBe(
      "claim_condition_failed",
    );
  });

  it("Clerk: accepts a session token without aud from an allowed origin, refuses another origin and a missing azp", async () => {
    const key = await F.rsaKey("clerk-kid");
    const issuer = "https://clerk.example.com";
    const { call } = await setup(
      { issuers: [{ preset: "clerk", issuer, authorizedParties: ["https://app.example.com"] }] },
      {
        [`${issuer}/.well-known/openid-configuration`]: { issuer, jwks_uri: `${issuer}/.well-known/jwks.json` },
        [`${issuer}/.well-known/jwks.json`]: { keys: [key.jwk] },
      },
    );
    expect(code(await call(await F.mint(key, F.clerkSession(issuer, "https://app.example.com"))))).toBe("ok");
    expect(code(await call(await F.mint(key, F.clerkSession(issuer, "https://evil.example.com"))))).toBe(
      "claim_condition_failed",
    );
    const { azp: _a, ...noAzp } = F.clerkSession(issuer, "x");
    expect(code(await call(await F.mint(key, noAzp)))).toBe("claim_condition_failed");
  });
});

describe("preset configuration errors name the field", () => {
  it.each([
    [{ preset: "entra", audience: "a" }, "JWT_CONFIG.issuers[0].tenants"],
    [{ preset: "entra", tenants: ["not-a-guid"], audience: "a" }, "JWT_CONFIG.issuers[0].tenants"],
    [{ preset: "cognito", region: "eu-west-1", audience: "a" }, "JWT_CONFIG.issuers[0].userPoolId"],
    [{ preset: "clerk", issuer: "https://clerk.example.com" }, "JWT_CONFIG.issuers[0].authorizedParties"],
    [{ preset: "nope", issuer: "https://x.example.com", audience: "a" }, "JWT_CONFIG.issuers[0].preset"],
    [{ preset: "keycloak", issuer: "https://sso.example.com", audience: "a" }, "JWT_CONFIG.issuers[0].issuer"],
    [
      { preset: "keycloak", issuer: "https://sso.example.com/realms/acme/", audience: "a" },
      "JWT_CONFIG.issuers[0].issuer",
    ],
  ])("%j fails naming %s", (issuer, variable) => {
    expect(() => configFromEnv({ JWT_CONFIG: { issuers: [issuer] } })).toThrowError(
      expect.objectContaining({ variable }),
    );
  });
});
