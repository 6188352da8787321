/**
 * Issuer-level configuration that works end to end: an HMAC issuer from JWT_SECRET, and several
 * issuers from JWT_ISSUER or JWT_CONFIG.issuers.
 */
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { configFromEnv, createAuthorizer, DEFAULT_ALGORITHMS } from "../../src/index.js";

const BASE = { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" };
const SECRET = "0123456789abcdef0123456789abcdef"; // 32 bytes
const NOW_S = 1_800_000_000;

describe("an HMAC issuer (JWT_SECRET)", () => {
  const hs256 = (secret: string) =>
    new SignJWT({ sub: "alice", aud: "api" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer("https://idp.example/")
      .setIssuedAt(NOW_S)
      .setExpirationTime(NOW_S + 60)
      .sign(new TextEncoder().encode(secret));

  it("a token signed with another secret is refused as signature_invalid, with no fetch", async () => {
    const fetches: string[] = [];
    const authorizer = createAuthorizer(configFromEnv({ ...BASE, JWT_SECRET: SECRET }), {
      now: () => NOW_S * 1000,
      fetch: (async (u: RequestInfo | URL) => {
        fetches.push(String(u));
        return new Response("", { status: 404 });
      }) as typeof fetch,
    });
    await expect(authorizer.verify(await hs256(SECRET.toUpperCase()))).rejects.toMatchObject({
      status: 401,
      code: "signature_invalid",
    });
    expect(fetches).toEqual([]);
  });

  it("a token signed with JWT_SECRET is accepted", async () => {
    const authorizer = createAuthorizer(configFromEnv({ ...BASE, JWT_SECRET: SECRET }), { now: () => NOW_S * 1000 });
    await expect(authorizer.verify(await hs256(SECRET))).resolves.toMatchObject({ sub: "alice", aud: "api" });
  });
});

describe("several issuers", () => {
  it("JWT_ISSUER lists several, sharing JWT_AUDIENCE", () => {
    const config = configFromEnv({ JWT_ISSUER: "https://a.example/, https://b.example/", JWT_AUDIENCE: "api,web" });
    expect(config.issuers.map((i) => [i.issuer, i.audience])).toEqual([
      ["https://a.example/", ["api", "web"]],
      ["https://b.example/", ["api", "web"]],
    ]);
  });

  it("JWT_CONFIG.issuers gives each its own settings, with top-level fallbacks", () => {
    const config = configFromEnv({
      JWT_CONFIG: {
        audience: "shared",
        clockTolerance: 15,
        issuers: [
          {
            issuer: "https://kc.example/realms/main",
            jwksUri: "https://kc.example/certs",
            rolesClaim: "realm_access.roles",
          },
          {
            issuer: "https://cognito-idp.example/pool",
            audience: ["client-1"],
            rolesClaim: "cognito:groups",
            clockTolerance: 0,
          },
          { issuer: "https://hs.example/", secret: SECRET, audience: null },
        ],
      },
    });
    expect(
      config.issuers.map((i) => ({
        issuer: i.issuer,
        audience: i.audience,
        tol: i.clockTolerance,
        roles: i.claimPaths.roles,
        algs: i.algorithms,
        jwks: i.jwksUri,
      })),
    ).toEqual([
      {
        issuer: "https://kc.example/realms/main",
        audience: ["shared"],
        tol: 15,
        roles: ["realm_access.roles"],
        algs: DEFAULT_ALGORITHMS,
        jwks: "https://kc.example/certs",
      },
      {
        issuer: "https://cognito-idp.example/pool",
        audience: ["client-1"],
        tol: 0,
        roles: ["cognito:groups"],
        algs: DEFAULT_ALGORITHMS,
        jwks: undefined,
      },
      { issuer: "https://hs.example/", audience: null, tol: 15, roles: ["roles"], algs: ["HS256"], jwks: undefined },
    ]);
  });
});
