/**
 * Issuer templates (`{tenant}` with an allow-list or "*") and inline keys. Token shapes: Microsoft
 * identity platform "Access tokens" (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens),
 * whose "Validate tokens" section has multi-tenant apps check the tenant in `iss` against `tid`, with keys
 * from the common discovery document (https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration).
 */
import { describe, expect, it } from "vitest";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import * as F from "./fixtures.js";

const code = (d: Decision) => (d.ok ? "ok" : d.code);
const AUD = "api://b2c3d4e5-0000-1111-2222-333344445555";
const COMMON = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";
const COMMON_KEYS = "https://login.microsoftonline.com/common/discovery/v2.0/keys";
const guid = (i: number) => `${i.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;

async function setup(issuer: Record<string, unknown>) {
  const key = await F.rsaKey("entra-kid");
  const fetch = F.servingFetch({
    [COMMON]: { issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", jwks_uri: COMMON_KEYS },
    [COMMON_KEYS]: { keys: [key.jwk] },
  });
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers: [issuer] }) }), {
    fetch,
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
  const call = async (claims: Record<string, unknown>) =>
    code(
      await authorizer.authorize(
        new Request("https://api.example.com/", {
          headers: { authorization: `Bearer ${await F.mint(key, claims, { typ: "JWT" })}` },
        }),
      ),
    );
  return { call, fetch, key };
}

describe("issuer templates: one entry for many tenants", () => {
  it("entra preset: an allowed tenant passes, another is refused without any fetch", async () => {
    const { call, fetch } = await setup({ preset: "entra", tenants: [F.TENANT], audience: AUD });
    expect(await call(F.entraV2(F.OTHER_TENANT))).toBe("issuer_unknown");
    expect(fetch.urls).toEqual([]);
    expect(await call(F.entraV2(F.TENANT))).toBe("ok");
    expect(fetch.urls).toEqual([COMMON, COMMON_KEYS]);
  });

  it('tenants "*" accepts any tenant whose tid equals the tenant in iss', async () => {
    const { call } = await setup({ preset: "entra", tenants: "*", audience: AUD });
    expect(await call(F.entraV2(F.TENANT))).toBe("ok");
    expect(await call(F.entraV2(F.OTHER_TENANT))).toBe("ok");
    expect(await call({ ...F.entraV2(F.TENANT), tid: F.OTHER_TENANT })).toBe("claim_condition_failed");
    const { tid: _t, ...noTid } = F.entraV2(F.TENANT);
    expect(await call(noTid)).toBe("claim_condition_failed");
  });

  it("a flood of made-up tenants costs no fetch of its own", async () => {
    const { call, fetch } = await setup({ preset: "entra", tenants: "*", audience: AUD });
    expect(await call(F.entraV2(F.TENANT))).toBe("ok");
    const before = fetch.urls.length;
    for (let i = 0; i < 200; i++) expect(await call(F.entraV2(guid(i)))).toBe("ok");
    expect(fetch.urls.length).toBe(before);
  });

  it("a plain template entry with jwksUri; iss outside the template, or with a path in the tenant, is unknown", async () => {
    const { call } = await setup({
      issuer: "https://login.microsoftonline.com/{tenant}/v2.0",
      tenants: [F.TENANT],
      jwksUri: COMMON_KEYS,
      audience: AUD,
    });
    expect(await call(F.entraV2(F.TENANT))).toBe("ok");
    const iss = (i: string) => ({ ...F.entraV2(F.TENANT), iss: i });
    expect(await call(iss(`https://login.microsoftonline.com/${F.TENANT}/x/v2.0`))).toBe("issuer_unknown");
    expect(await call(iss("https://login.microsoftonline.com/{tenant}/v2.0"))).toBe("issuer_unknown");
    expect(await call(iss(`https://login.microsoftonline.com/${F.TENANT}/v2.0/`))).toBe("issuer_unknown");
  });

  it.each([
    [{ issuer: "https://x.example.com/{tenant}", audience: "a", jwksUri: "https://x.example.com/k" }, ".tenants"],
    [{ issuer: "https://x.example.com/", tenants: ["a"], audience: "a" }, ".tenants"],
    [
      { issuer: "https://x.example.com/{tenant}", tenants: ["a/b"], audience: "a", jwksUri: "https://x.example.com/k" },
      ".tenants",
    ],
    [{ issuer: "https://x.example.com/{tenant}", tenants: "*", audience: "a" }, ""],
    [{ issuer: "https://x.example.com/", discovery: "https://x.example.com/", audience: "a" }, ".discovery"],
  ])("%j is a config error naming JWT_CONFIG.issuers[0]%s", (issuer, field) => {
    expect(() => configFromEnv({ JWT_CONFIG: { issuers: [issuer] } })).toThrowError(
      expect.objectContaining({ variable: `JWT_CONFIG.issuers[0]${field}` }),
    );
  });
});

describe("inline keys", () => {
  it("verifies with keys pinned in the configuration and never fetches", async () => {
    const key = await F.rsaKey("pinned");
    const other = await F.rsaKey("other");
    const fetch = F.servingFetch({});
    const issuer = { issuer: "https://idp.example.com", audience: "api", jwks: { keys: [key.jwk] } };
    const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers: [issuer] }) }), {
      fetch,
      now: () => F.NOW * 1000,
      logger: silentLogger,
    });
    const claims = { iss: "https://idp.example.com", aud: "api", sub: "s", exp: F.NOW + 60 };
    const call = async (token: string) =>
      code(
        await authorizer.authorize(
          new Request("https://a.example/", { headers: { authorization: `Bearer ${token}` } }),
        ),
      );
    expect(await call(await F.mint(key, claims))).toBe("ok");
    expect(await call(await F.mint(other, claims))).toBe("kid_unknown");
    expect(await call(await F.mint(other, claims, { kid: "pinned" }))).toBe("signature_invalid");
    expect(fetch.urls).toEqual([]);
  });

  it.each([
    [{ keys: [] }, ".jwks.keys"],
    [{ keys: [{ kty: "RSA", n: "AQAB", e: "AQAB" }] }, ".jwks.keys[0]"],
    [{ keys: [{ kty: "oct", k: "c2VjcmV0" }] }, ".jwks.keys[0]"],
    [[{ kty: "RSA" }], ".jwks"],
  ])("inline jwks %j is a config error naming JWT_CONFIG.issuers[0]%s", (jwks, field) => {
    const issuer = { issuer: "https://idp.example.com", audience: "api", jwks };
    expect(() => configFromEnv({ JWT_CONFIG: { issuers: [issuer] } })).toThrowError(
      expect.objectContaining({ variable: `JWT_CONFIG.issuers[0]${field}` }),
    );
  });

  it("refuses a private key in inline jwks, naming the member", async () => {
    const { privateKey } = await F.rsaKey("p");
    const { exportJWK } = await import("jose");
    const jwk = await exportJWK(privateKey);
    const issuer = { issuer: "https://idp.example.com", audience: "api", jwks: { keys: [jwk] } };
    expect(() => configFromEnv({ JWT_CONFIG: { issuers: [issuer] } })).toThrowError(/private/);
  });
});
