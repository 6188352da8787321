/**
 * The signed identity assertion: minted for requests allowed with a verified token, a standard JWS any
 * `jose` verifies against the published keys, and checked at the origin (signature, typ, iss, aud, exp,
 * htm/htu of the very request, jti once).
 */
import {
  exportJWK,
  generateKeyPair,
  jwtVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  SignJWT,
  type JWK,
} from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, configFromEnv, createAuthorizer, type Allowed } from "../../src/index.js";
import { createOriginVerifier } from "../../adapters/origin/index.js";
import { fixture, ISSUER, mint, NOW_S } from "../routes/fixture.js";

let es256: JWK & { kid: string };
let ed25519: JWK & { kid: string };
let old: JWK & { kid: string };

async function privateKey(alg: "ES256" | "EdDSA", kid: string): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  return { ...(await exportJWK(privateKey)), kid };
}

beforeAll(async () => {
  [es256, ed25519, old] = await Promise.all([
    privateKey("ES256", "a1"),
    privateKey("EdDSA", "e1"),
    privateKey("ES256", "a0"),
  ]);
});

const ORIGIN = "https://origin.example";
const clock = { ms: NOW_S * 1000 };

async function allowed(env: Record<string, unknown>, claims: Record<string, unknown> = {}) {
  const f = await fixture({ routes: [{ path: "/public/*", access: "public" }] }, env);
  const authorizer = createAuthorizer(f.config, {
    fetch: (async () => new Response("{}")) as typeof fetch,
    now: () => clock.ms,
  });
  // Reuse the fixture's authorizer for the decision (it has the JWKS), this one only mints.
  const decision = (await f.call("GET", "/orders/1", await mint(claims))) as Allowed;
  expect(decision.ok).toBe(true);
  return { f, authorizer, decision };
}

const verifier = (jwks: { keys: JWK[] }, extra: Record<string, unknown> = {}) =>
  createOriginVerifier({ audience: ORIGIN, jwks, now: () => clock.ms, ...extra });
const request = (method: string, url: string, assertion?: string) =>
  new Request(url, { method, headers: assertion ? { "x-auth-assertion": assertion } : {} });

describe("minting", () => {
  it("an allowed request gets a standard JWS that jose alone verifies against the published keys", async () => {
    const { authorizer, decision } = await allowed(
      { JWT_ASSERTION_KEY: JSON.stringify(es256) },
      { sub: "alice", scope: "read" },
    );
    const assertion = (await authorizer.assertion(decision, "get", `${ORIGIN}/orders/1?x=1`))!;
    const jwks = authorizer.assertionJwks()!;
    expect(jwks.keys).toEqual([
      { kty: "EC", crv: "P-256", x: es256.x, y: es256.y, kid: "a1", alg: "ES256", use: "sig" },
    ]);
    const { payload, protectedHeader } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
      currentDate: new Date(clock.ms),
    });
    expect(protectedHeader).toEqual({ alg: "ES256", kid: "a1", typ: "edge-jwt-assertion+jwt" });
    expect(payload).toMatchObject({
      iss: "edge-jwt-authorizer",
      aud: ORIGIN,
      sub: "alice",
      htm: "GET",
      htu: `${ORIGIN}/orders/1`,
      token_iss: ISSUER,
      claims: decision.claims,
    });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("each request has its own jti, and Ed25519 keys sign EdDSA", async () => {
    const { authorizer, decision } = await allowed({ JWT_ASSERTION_KEY: JSON.stringify(ed25519) });
    const [a, b] = [
      await authorizer.assertion(decision, "GET", `${ORIGIN}/x`),
      await authorizer.assertion(decision, "GET", `${ORIGIN}/x`),
    ];
    expect(decodeProtectedHeader(a!).alg).toBe("EdDSA");
    const jti = async (t: string) =>
      (await jwtVerify(t, createLocalJWKSet(authorizer.assertionJwks()!), { currentDate: new Date(clock.ms) })).payload
        .jti;
    expect(await jti(a!)).not.toBe(await jti(b!));
  });

  it("issuer, audience and ttl come from identity.assertion", async () => {
    const env = {
      JWT_ASSERTION_KEY: JSON.stringify(es256),
      JWT_CONFIG: { identity: { assertion: { issuer: "edge-eu", audience: "orders-api", ttl: 10 } } },
    };
    const f = await fixture(
      { identity: { assertion: { issuer: "edge-eu", audience: "orders-api", ttl: 10 } } },
      { JWT_ASSERTION_KEY: env.JWT_ASSERTION_KEY },
    );
    const decision = (await f.call("GET", "/x", await mint())) as Allowed;
    const payload = (
      await jwtVerify(
        (await f.authorizer.assertion(decision, "GET", `${ORIGIN}/x`))!,
        createLocalJWKSet(f.authorizer.assertionJwks()!),
        { currentDate: new Date(NOW_S * 1000) },
      )
    ).payload;
    expect(payload).toMatchObject({ iss: "edge-eu", aud: "orders-api" });
    expect(payload.exp! - payload.iat!).toBe(10);
  });

  it("requests allowed without a verified token carry no assertion", async () => {
    const f = await fixture(
      {
        routes: [
          { path: "/public/*", access: "public" },
          { path: "/open/*", access: "optional" },
        ],
      },
      { JWT_ASSERTION_KEY: JSON.stringify(es256) },
    );
    for (const path of ["/public/x", "/open/x"]) {
      const decision = (await f.call("GET", path)) as Allowed;
      expect(decision.ok).toBe(true);
      expect(await f.authorizer.assertion(decision, "GET", `${ORIGIN}${path}`), path).toBeUndefined();
    }
  });

  it("without JWT_ASSERTION_KEY nothing is minted and no keys are served", async () => {
    const f = await fixture({});
    const decision = (await f.call("GET", "/x", await mint())) as Allowed;
    expect(await f.authorizer.assertion(decision, "GET", `${ORIGIN}/x`)).toBeUndefined();
    expect(f.authorizer.assertionJwks()).toBeNull();
  });

  it("a key set signs with its first key and publishes all of them (rotation)", async () => {
    const set = { keys: [es256, old] };
    const f = await fixture({}, { JWT_ASSERTION_KEY: JSON.stringify(set) });
    const decision = (await f.call("GET", "/x", await mint())) as Allowed;
    const assertion = (await f.authorizer.assertion(decision, "GET", `${ORIGIN}/x`))!;
    expect(decodeProtectedHeader(assertion).kid).toBe("a1");
    expect(f.authorizer.assertionJwks()!.keys.map((k) => k.kid)).toEqual(["a1", "a0"]);
    expect(f.authorizer.assertionJwks()!.keys.every((k) => k.d === undefined)).toBe(true);
  });
});

describe("JWT_ASSERTION_KEY at start-up", () => {
  const config =
    (value: unknown, json: Record<string, unknown> = {}) =>
    () =>
      configFromEnv({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_ASSERTION_KEY: value, JWT_CONFIG: json });

  it.each([
    ["not JSON", "{not json"],
    ["an RSA key", JSON.stringify({ kty: "RSA", n: "AQAB", e: "AQAB", d: "AQAB", kid: "r" })],
    ["no kid", JSON.stringify({ kty: "EC", crv: "P-256", x: "x", y: "y", d: "d" })],
    ["an empty set", JSON.stringify({ keys: [] })],
  ])("refuses %s, naming JWT_ASSERTION_KEY", (_, value) => {
    expect(config(value)).toThrowError(expect.objectContaining({ name: "ConfigError", variable: "JWT_ASSERTION_KEY" }));
  });

  it("refuses a public key as the signing key, and two keys with one kid, without quoting the key", () => {
    const { d, ...pub } = es256;
    for (const value of [JSON.stringify(pub), JSON.stringify({ keys: [es256, { ...old, kid: "a1" }] })]) {
      try {
        config(value)();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as Error).message).not.toContain(String(d).slice(0, 12));
        expect((e as Error).message).not.toContain(String(es256.x).slice(0, 12));
      }
    }
  });

  it("identity.assertion without a key, an unknown key, or a ttl out of 10..300 is refused", () => {
    expect(() =>
      configFromEnv({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_CONFIG: { identity: { assertion: { ttl: 60 } } } }),
    ).toThrowError(expect.objectContaining({ variable: "JWT_ASSERTION_KEY" }));
    expect(config(JSON.stringify(es256), { identity: { assertion: { tll: 60 } } })).toThrowError(/unknown key "tll"/);
    expect(config(JSON.stringify(es256), { identity: { assertion: { ttl: 3600 } } })).toThrowError(
      expect.objectContaining({ variable: "JWT_CONFIG.identity.assertion.ttl" }),
    );
  });
});

describe("the origin verifier", () => {
  async function minted(method = "POST", url = `${ORIGIN}/orders/1?q=1`) {
    const f = await fixture({}, { JWT_ASSERTION_KEY: JSON.stringify({ keys: [es256, old] }) });
    const decision = (await f.call("GET", "/x", await mint({ sub: "alice", scope: "orders" }))) as Allowed;
    return {
      assertion: (await f.authorizer.assertion(decision, method, url))!,
      jwks: f.authorizer.assertionJwks()!,
      decision,
    };
  }

  it("accepts the request it was minted for and returns the identity from the assertion", async () => {
    const { assertion, jwks, decision } = await minted();
    const result = await verifier(jwks).verify(request("POST", `${ORIGIN}/orders/1?other=query`, assertion));
    expect(result).toMatchObject({ ok: true, subject: "alice", claims: decision.claims });
  });

  it("a request without an assertion is assertion_missing, whatever x-auth-* headers it carries", async () => {
    const { jwks } = await minted();
    const forged = new Request(`${ORIGIN}/orders/1`, {
      method: "POST",
      headers: { "x-auth-sub": "admin", "x-auth-claims": "e30" },
    });
    expect(await verifier(jwks).verify(forged)).toEqual({ ok: false, status: 401, code: "assertion_missing" });
  });

  it("a replayed assertion is assertion_replayed", async () => {
    const { assertion, jwks } = await minted();
    const v = verifier(jwks);
    expect((await v.verify(request("POST", `${ORIGIN}/orders/1`, assertion))).ok).toBe(true);
    expect(await v.verify(request("POST", `${ORIGIN}/orders/1`, assertion))).toEqual({
      ok: false,
      status: 401,
      code: "assertion_replayed",
    });
  });

  it("an assertion taken from one path, method or host and presented on another is assertion_mismatch", async () => {
    const { assertion, jwks } = await minted();
    for (const [method, url] of [
      ["POST", `${ORIGIN}/orders/2`],
      ["DELETE", `${ORIGIN}/orders/1`],
      ["POST", "https://other.example/orders/1"],
      ["POST", `${ORIGIN}/orders/1/`],
    ]) {
      expect(await verifier(jwks).verify(request(method!, url!, assertion)), `${method} ${url}`).toEqual({
        ok: false,
        status: 401,
        code: "assertion_mismatch",
      });
    }
  });

  it("a modified assertion, one for another audience, or a plain JWT from the same key is assertion_invalid", async () => {
    const { assertion, jwks } = await minted();
    const [h, p, s] = assertion.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: "admin" })).toString("base64url")}.${s}`;
    expect(await verifier(jwks).verify(request("POST", `${ORIGIN}/orders/1`, forged))).toMatchObject({
      code: "assertion_invalid",
    });
    expect(
      await verifier(jwks, { audience: "https://elsewhere.example" }).verify(
        request("POST", `${ORIGIN}/orders/1`, assertion),
      ),
    ).toMatchObject({ code: "assertion_invalid" });
    const { privateKey } = { privateKey: await (await import("jose")).importJWK(es256, "ES256") };
    const plain = await new SignJWT({ ...payload, jti: "other" })
      .setProtectedHeader({ alg: "ES256", kid: "a1", typ: "JWT" })
      .sign(privateKey);
    expect(await verifier(jwks).verify(request("POST", `${ORIGIN}/orders/1`, plain))).toMatchObject({
      code: "assertion_invalid",
    });
  });

  it("an expired assertion is assertion_expired; one signed by the previous key of the set still verifies", async () => {
    const { assertion, jwks } = await minted();
    clock.ms += 120_000;
    try {
      expect(await verifier(jwks).verify(request("POST", `${ORIGIN}/orders/1`, assertion))).toMatchObject({
        code: "assertion_expired",
      });
    } finally {
      clock.ms -= 120_000;
    }
    const f = await fixture({}, { JWT_ASSERTION_KEY: JSON.stringify(old) });
    const decision = (await f.call("GET", "/x", await mint())) as Allowed;
    const byOld = (await f.authorizer.assertion(decision, "GET", `${ORIGIN}/x`))!;
    expect((await verifier(jwks).verify(request("GET", `${ORIGIN}/x`, byOld))).ok).toBe(true);
  });

  it("needs an audience and exactly one of jwks or jwksUri", () => {
    expect(() => createOriginVerifier({ audience: "", jwks: { keys: [] } })).toThrowError(ConfigError);
    expect(() => createOriginVerifier({ audience: ORIGIN })).toThrowError(ConfigError);
  });
});
