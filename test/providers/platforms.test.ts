/**
 * Platform tokens, shaped as each platform documents them and re-signed with test keys:
 * - Cloudflare Access, "Validate JWTs"
 *   (https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/):
 *   the `Cf-Access-Jwt-Assertion` header and the `CF_Authorization` cookie, keys at
 *   `<team domain>/cdn-cgi/access/certs`, `aud` holding the application's AUD tag.
 * - AWS ALB, "Authenticate users using an Application Load Balancer", section "User claims encoding and
 *   signature verification" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
 *   listener-authenticate-users.html): `x-amzn-oidc-data`, ES256, padded base64url, a `signer` header,
 *   the PEM key per kid at `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`.
 */
import { describe, expect, it } from "vitest";
import { exportSPKI, generateKeyPair } from "jose";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import * as F from "./fixtures.js";

const code = (d: Decision) => (d.ok ? "ok" : d.code);
const TEAM = "https://acme.cloudflareaccess.com";
const AUD_TAG = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228";
const CERTS = `${TEAM}/cdn-cgi/access/certs`;

/** The application token Access sends, as in "Validate JWTs" (`type: app`, `identity_nonce`, `country`). */
const accessClaims = (aud = AUD_TAG) => ({
  aud: [aud],
  email: "user@example.com",
  exp: F.NOW + 3600,
  iat: F.NOW - 60,
  nbf: F.NOW - 60,
  iss: TEAM,
  type: "app",
  identity_nonce: "6ei69kawdKzMIAPF",
  sub: "7335d417-61da-459d-899c-0a01c76a2f94",
  country: "US",
});

function authorizerFor(config: Record<string, unknown>, fetch: typeof globalThis.fetch) {
  return createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify(config) }), {
    fetch,
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
}

describe("Cloudflare Access (developers.cloudflare.com, Validate JWTs)", () => {
  async function access() {
    const key = await F.rsaKey("access-kid");
    const fetch = F.servingFetch({ [CERTS]: { keys: [key.jwk], public_cert: { kid: "access-kid", cert: "x" } } });
    const config = { issuers: [{ preset: "cloudflare-access", teamDomain: TEAM, audience: AUD_TAG }] };
    const authorizer = authorizerFor(config, fetch);
    const call = (headers: Record<string, string>) =>
      authorizer.authorize(new Request("https://app.example.com/orders", { headers }));
    return { key, fetch, call };
  }

  it("accepts the token from the Cf-Access-Jwt-Assertion header (no scheme)", async () => {
    const { key, call, fetch } = await access();
    const token = await F.mint(key, accessClaims(), { typ: "JWT" });
    expect(code(await call({ "cf-access-jwt-assertion": token }))).toBe("ok");
    expect(fetch.urls).toEqual([CERTS]);
  });

  it("accepts the token from the CF_Authorization cookie", async () => {
    const { key, call } = await access();
    const token = await F.mint(key, accessClaims());
    expect(code(await call({ cookie: `other=1; CF_Authorization=${token}` }))).toBe("ok");
  });

  it("counts the same token in the header and the cookie once (browser requests carry both)", async () => {
    const { key, call } = await access();
    const token = await F.mint(key, accessClaims());
    expect(code(await call({ "cf-access-jwt-assertion": token, cookie: `CF_Authorization=${token}` }))).toBe("ok");
    expect(code(await call({ "cf-access-jwt-assertion": token, authorization: `Bearer ${token}` }))).toBe("ok");
  });

  it("refuses two different tokens in the header and Authorization as token_ambiguous", async () => {
    const { key, call } = await access();
    const a = await F.mint(key, accessClaims());
    const b = await F.mint(key, { ...accessClaims(), sub: "another" });
    expect(code(await call({ "cf-access-jwt-assertion": a, authorization: `Bearer ${b}` }))).toBe("token_ambiguous");
  });

  it("refuses a token of another Access application (another AUD tag)", async () => {
    const { key, call } = await access();
    const token = await F.mint(key, accessClaims("f".repeat(64)));
    expect(code(await call({ "cf-access-jwt-assertion": token }))).toBe("audience_mismatch");
  });

  it("refuses a header value that is not a token as header_malformed", async () => {
    const { call } = await access();
    expect(code(await call({ "cf-access-jwt-assertion": "Bearer x y" }))).toBe("header_malformed");
  });
});

// --- AWS ALB ------------------------------------------------------------------------------------------

const REGION = "eu-west-1";
const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
const OTHER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/60dc6c495c0c9188";
const KID = "e7a6b2c1-1234-4a5b-8c9d-0123456789ab";
const KEY_URL = `https://public-keys.auth.elb.${REGION}.amazonaws.com/${KID}`;
const IDP = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf";

/** Standard base64 with `+/` made URL-safe and the padding kept, as ALB encodes. */
const padded = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

async function albKey() {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { privateKey, pem: await exportSPKI(publicKey) };
}

/** An ALB token: header with `signer`, `iss`, `client`, `exp`; payload from the IdP's user info. */
async function albToken(privateKey: CryptoKey, over: { signer?: string; kid?: string; claims?: object } = {}) {
  const header = {
    typ: "JWT",
    kid: over.kid ?? KID,
    alg: "ES256",
    iss: IDP,
    client: "3n4b5c6d7e8f9g0h1i2j3k4l5m",
    signer: over.signer ?? ARN,
    exp: F.NOW + 120,
  };
  const claims = { sub: "5f1c2a3b-aaaa", email: "alice@example.com", username: "alice", exp: F.NOW + 120, iss: IDP };
  const text = (o: object) => padded(new TextEncoder().encode(JSON.stringify(o)));
  const input = `${text(header)}.${text({ ...claims, ...over.claims })}`;
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, new TextEncoder().encode(input));
  return `${input}.${padded(new Uint8Array(sig))}`;
}

function pemFetch(pems: Record<string, string>) {
  const urls: string[] = [];
  const f = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    return url in pems ? new Response(pems[url]) : new Response("not found", { status: 404 });
  }) as typeof fetch & { urls: string[] };
  f.urls = urls;
  return f;
}

describe("AWS ALB (docs.aws.amazon.com, listener-authenticate-users: signature verification)", () => {
  async function alb(extra: Record<string, unknown> = {}) {
    const key = await albKey();
    const fetch = pemFetch({ [KEY_URL]: key.pem });
    const config = { issuers: [{ preset: "aws-alb", region: REGION, albArn: ARN, ...extra }] };
    const authorizer = authorizerFor(config, fetch);
    const call = (token: string) =>
      authorizer.authorize(new Request("https://app.example.com/orders", { headers: { "x-amzn-oidc-data": token } }));
    return { key, fetch, call, authorizer };
  }

  it("accepts x-amzn-oidc-data with padded segments and the ALB's signer, fetching the PEM key once", async () => {
    const { key, call, fetch } = await alb();
    const token = await albToken(key.privateKey);
    expect(token.endsWith("==")).toBe(true); // a 64-byte ES256 signature always pads
    const decision = await call(token);
    expect(code(decision)).toBe("ok");
    expect(decision.ok && decision.issuer).toBe(IDP);
    expect(code(await call(await albToken(key.privateKey, { claims: { sub: "other" } })))).toBe("ok");
    expect(fetch.urls).toEqual([KEY_URL]);
  });

  it("refuses a token signed by another ALB before any key fetch", async () => {
    const { key, call, fetch } = await alb();
    expect(code(await call(await albToken(key.privateKey, { signer: OTHER_ARN })))).toBe("issuer_unknown");
    expect(fetch.urls).toEqual([]);
  });

  it("checks iss when the entry names the IdP's issuer", async () => {
    const { key, call } = await alb({ issuer: "https://idp.example.com" });
    expect(code(await call(await albToken(key.privateKey)))).toBe("issuer_unknown");
  });

  it("refuses any alg but ES256, before a key is fetched", async () => {
    const { key, call, fetch } = await alb();
    const [, payload, sig] = (await albToken(key.privateKey)).split(".");
    for (const alg of ["ES384", "RS256", "HS256", "none"]) {
      const header = { typ: "JWT", kid: KID, alg, iss: IDP, signer: ARN, exp: F.NOW + 120 };
      const token = `${padded(new TextEncoder().encode(JSON.stringify(header)))}.${payload}.${sig}`;
      expect(code(await call(token))).toBe("alg_not_allowed");
    }
    expect(fetch.urls).toEqual([]);
  });

  it("refuses a wrong key, an expired token, and an unknown kid (made-up kids share a fetch budget)", async () => {
    const { key, call, fetch } = await alb();
    const other = await albKey();
    expect(code(await call(await albToken(other.privateKey)))).toBe("signature_invalid");
    expect(code(await call(await albToken(key.privateKey, { claims: { exp: F.NOW - 600 } })))).toBe("token_expired");
    const made = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    // The endpoint said the first made-up kid does not exist: a bad token.
    expect(code(await call(await albToken(key.privateKey, { kid: made(0) })))).toBe("kid_unknown");
    // The window's free fetches are spent: the others are not looked at yet (503, not a verdict on the token).
    for (let i = 1; i < 20; i++) {
      const d = await call(await albToken(key.privateKey, { kid: made(i) }));
      expect([code(d), !d.ok && d.status]).toEqual(["keys_unavailable", 503]);
    }
    expect(fetch.urls.length).toBe(2); // the known kid once, the first made-up kid once
  });

  it("refuses padded segments for every issuer that is not an ALB", async () => {
    const key = await F.rsaKey("k1");
    const fetch = F.servingFetch({ "https://idp.example.com/jwks": { keys: [key.jwk] } });
    const authorizer = authorizerFor(
      {
        issuers: [{ issuer: "https://idp.example.com", jwksUri: "https://idp.example.com/jwks", audience: "api" }],
        tokenSources: { header: "x-token" },
      },
      fetch,
    );
    const good = await F.mint(key, { iss: "https://idp.example.com", aud: "api", exp: F.NOW + 60, sub: "s" });
    const [h, p, s] = good.split(".") as [string, string, string];
    const pad = (x: string) => x + "=".repeat((4 - (x.length % 4)) % 4);
    // A token header may carry `=` anywhere (ALB pads every segment), so the verifier itself must refuse it.
    const call = (t: string) =>
      authorizer.authorize(new Request("https://a.example.com/", { headers: { "x-token": t } }));
    expect(code(await call(good))).toBe("ok");
    const variants = [`${pad(h)}.${pad(p)}.${pad(s)}`, `${h}.${p}.${s}==`, `${h}.${pad(p)}.${s}`].filter(
      (t) => t !== good,
    );
    expect(variants.length).toBeGreaterThan(0);
    for (const t of variants) expect(code(await call(t))).toBe("token_malformed");
  });
});

describe("platform preset configuration errors name the field", () => {
  it.each([
    [{ preset: "cloudflare-access", audience: AUD_TAG }, "JWT_CONFIG.issuers[0].teamDomain"],
    [{ preset: "cloudflare-access", teamDomain: "https://a b", audience: AUD_TAG }, "JWT_CONFIG.issuers[0].teamDomain"],
    [{ preset: "cloudflare-access", teamDomain: TEAM }, "JWT_CONFIG.issuers[0].audience"],
    [{ preset: "aws-alb", region: REGION }, "JWT_CONFIG.issuers[0].albArn"],
    [{ preset: "aws-alb", region: REGION, albArn: "arn:aws:iam::1:role/x" }, "JWT_CONFIG.issuers[0].albArn"],
    [{ preset: "aws-alb", region: "us-east-1", albArn: ARN }, "JWT_CONFIG.issuers[0].region"],
    [{ preset: "aws-alb", region: REGION, albArn: ARN, audience: "x" }, "JWT_CONFIG.issuers[0].audience"],
    [{ preset: "aws-alb", albArn: ARN }, "JWT_CONFIG.issuers[0].region"],
  ])("%j fails naming %s", (issuer, variable) => {
    expect(() => configFromEnv({ JWT_CONFIG: { issuers: [issuer] } })).toThrowError(
      expect.objectContaining({ variable }),
    );
  });

  it("tokenSources.header refuses reserved and malformed names", () => {
    for (const header of ["authorization", "Cookie", "a b", ""])
      expect(() =>
        configFromEnv({ JWT_ISSUER: "https://i.example", JWT_AUDIENCE: "a", JWT_CONFIG: { tokenSources: { header } } }),
      ).toThrowError(expect.objectContaining({ variable: "JWT_CONFIG.tokenSources.header" }));
  });
});
