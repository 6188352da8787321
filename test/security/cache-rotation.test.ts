/**
 * Caches: a verified-token cache hit must be exactly as strong as a fresh verification against the
 * current key set. A cached token without `kid`, or whose `kid` now names new key material, must be
 * refused once the key set shows the rotation, with the code a fresh authorizer gives; a refresh that
 * keeps the key keeps the hit (and costs no signature check). Past the TTL the cached keys answer while
 * one background refresh runs (refresh-ahead); the rotation shows once that refresh is in, or at once
 * with `staleWhileRevalidate: 0`.
 */
import { describe, expect, it } from "vitest";
import type { SignatureVerifier } from "../../src/index.js";
import { webCryptoVerify } from "../../src/jwt/webcrypto.js";
import {
  expectAllowed,
  expectRefused,
  goodClaims,
  harness,
  jsonToken,
  jwt,
  makeKey,
  NOW_S,
  rawToken,
  testKeys,
  type Harness,
  type HarnessOptions,
} from "./harness.js";

/** The default JWKS freshness (no Cache-Control from the test issuer), plus one second. */
const PAST_TTL_MS = 601_000;
/** Tokens live an hour, so they outlast a JWKS refresh. */
const claims = () => goodClaims({ exp: NOW_S + 3600 });

/** A harness whose signature checks are counted (and really done by Web Crypto). */
async function counted(options: HarnessOptions = {}): Promise<Harness & { signatures: () => number }> {
  let count = 0;
  const verifySignature: SignatureVerifier = (...args) => {
    count++;
    return webCryptoVerify(...args);
  };
  const h = await harness({ ...options, verifySignature });
  return { ...h, signatures: () => count };
}

/**
 * Moves past the JWKS TTL: the next request is still answered from the cached keys (it starts one
 * background refresh), and the rotation is seen once that refresh is in.
 */
async function pastTtl(h: Harness, token: string): Promise<void> {
  h.clock.ms += PAST_TTL_MS;
  await expectAllowed(h, token);
  await h.settle();
}

/** A new authorizer, at the same time, serving the same keys, refuses the token with the same code. */
async function expectFreshAgrees(h: Harness, token: string, status: number, code: string): Promise<void> {
  const fresh = await harness({ keys: h.jwks.keys, startMs: h.clock.ms });
  await expectRefused(fresh, token, status, code);
}

describe("a cached token after key rotation", () => {
  it("a cached token without kid is refused after the only key is rotated to new material", async () => {
    const { rsa, ec } = await testKeys();
    const h = await counted();
    const token = await jsonToken(rsa, claims(), { kid: undefined });
    await expectAllowed(h, token);
    expect(h.signatures()).toBe(1);

    const next = await makeKey("RS256", "rsa-2");
    h.jwks.keys = [next.jwk, ec.jwk];
    await pastTtl(h, token);
    await expectRefused(h, token, 401, "signature_invalid");
    expect(h.jwksFetches()).toBe(2);
    await expectFreshAgrees(h, token, 401, "signature_invalid");
  });

  it("a cached token whose kid is reused for a new key is refused after the refresh", async () => {
    const { rsa, ec } = await testKeys();
    const h = await counted();
    const token = await jwt(rsa, claims());
    await expectAllowed(h, token);

    const impostor = await makeKey("RS256", "rsa-1");
    h.jwks.keys = [impostor.jwk, ec.jwk];
    await pastTtl(h, token);
    await expectRefused(h, token, 401, "signature_invalid");
    await expectFreshAgrees(h, token, 401, "signature_invalid");
  });

  it("a cached token whose kid is reused for a key of another alg is refused as key_invalid, like a fresh authorizer", async () => {
    const { rsa, ec } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, claims());
    await expectAllowed(h, token);

    h.jwks.keys = [{ ...rsa.jwk, alg: "RS512" }, ec.jwk];
    await pastTtl(h, token);
    await expectRefused(h, token, 401, "key_invalid");
    await expectFreshAgrees(h, token, 401, "key_invalid");
  });

  it("a cached token whose key was removed by rotation is refused as kid_unknown", async () => {
    const { rsa, ec } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, claims());
    await expectAllowed(h, token);

    h.jwks.keys = [(await makeKey("RS256", "rsa-2")).jwk, ec.jwk];
    await pastTtl(h, token);
    await expectRefused(h, token, 401, "kid_unknown");
    await expectFreshAgrees(h, token, 401, "kid_unknown");
  });

  it("a cached token whose key was removed is refused by the first request past the TTL with staleWhileRevalidate 0", async () => {
    const { rsa, ec } = await testKeys();
    const h = await harness({ env: { JWT_CONFIG: { cache: { jwks: { staleWhileRevalidate: 0 } } } } });
    const token = await jwt(rsa, claims());
    await expectAllowed(h, token);

    h.jwks.keys = [(await makeKey("RS256", "rsa-2")).jwk, ec.jwk];
    h.clock.ms += PAST_TTL_MS;
    await expectRefused(h, token, 401, "kid_unknown");
    await expectFreshAgrees(h, token, 401, "kid_unknown");
  });

  it("a cached token is refused at once when a refetch for a new kid reveals its kid now names another key", async () => {
    const { rsa, ec } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, claims());
    await expectAllowed(h, token);

    // The issuer rotates: rsa-1 is reissued with new material, and a token signed by a new kid arrives
    // before the JWKS went stale; its unknown kid makes the authorizer refetch.
    const impostor = await makeKey("RS256", "rsa-1");
    const newcomer = await makeKey("RS256", "rsa-3");
    h.jwks.keys = [impostor.jwk, newcomer.jwk, ec.jwk];
    await expectAllowed(h, await jwt(newcomer, claims()));
    expect(h.jwksFetches()).toBe(2);
    await expectRefused(h, token, 401, "signature_invalid");
    await expectFreshAgrees(h, token, 401, "signature_invalid");
  });

  it("a cached token still passes after a refresh that keeps its key, with no new signature check", async () => {
    const { rsa, ec } = await testKeys();
    const h = await counted();
    const withKid = await jwt(rsa, claims());
    const withoutKid = await jsonToken(rsa, claims(), { kid: undefined });
    await expectAllowed(h, withKid);
    await expectAllowed(h, withoutKid);
    expect(h.signatures()).toBe(2);

    // The same keys republished (new objects after the refetch), with another key added.
    h.jwks.keys = [{ ...rsa.jwk }, { ...ec.jwk }, (await makeKey("ES256", "ec-2")).jwk];
    for (let i = 1; i <= 3; i++) {
      h.clock.ms += PAST_TTL_MS;
      await expectAllowed(h, withKid);
      await h.settle();
      await expectAllowed(h, withoutKid);
    }
    expect(h.jwksFetches()).toBe(4);
    expect(h.signatures()).toBe(2);
  });

  it("a cached token from an HMAC issuer keeps passing with no new signature check", async () => {
    const secret = "s".repeat(40);
    const h = await counted({ secret });
    const token = await rawToken(JSON.stringify({ alg: "HS256", typ: "JWT" }), JSON.stringify(claims()), {
      alg: "HS256",
      key: new TextEncoder().encode(secret),
    });
    await expectAllowed(h, token);
    h.clock.ms += PAST_TTL_MS;
    await expectAllowed(h, token);
    expect(h.signatures()).toBe(1);
    expect(h.fetched).toEqual([]);
  });
});
