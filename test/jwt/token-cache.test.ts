/**
 * The verified-token cache: a repeated valid token skips signature work, an entry dies at exp + leeway,
 * the cache holds at most `JWT_CONFIG.cache.tokens` entries (least recently used out first), refused
 * tokens are never cached, and 0 switches it off. Signature work is counted through `verifySignature`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SignatureVerifier } from "../../src/index.js";
import { webCryptoVerify } from "../../src/jwt/webcrypto.js";
import {
  ALLOWED,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type Clock,
  type TestKey,
} from "../keys/fixtures.js";

let key: TestKey;
let other: TestKey;
beforeAll(async () => {
  [key, other] = await Promise.all([makeKey("k1"), makeKey("k2")]);
});

/** An authorizer whose signature checks are counted (and really done, by the default Web Crypto verifier). */
function counted(config?: Record<string, unknown>, env?: Record<string, unknown>) {
  const clock = makeClock();
  const idp = fakeIssuer([key.jwk]);
  const signatures = { count: 0 };
  const verifySignature: SignatureVerifier = (...args) => {
    signatures.count++;
    return webCryptoVerify(...args);
  };
  const setup = { deps: { verifySignature }, ...(config ? { config } : {}), ...(env ? { env } : {}) };
  return { clock, idp, signatures, ...authorizerFor(idp, clock, setup) };
}

const tokensFor = (clock: Clock, n: number) => Promise.all(Array.from({ length: n }, () => mint(key, clock)));

describe("the verified-token cache", () => {
  it("verifies the signature of a token seen twice only once", async () => {
    const { authorizer, clock, signatures, idp } = counted();
    const token = await mint(key, clock);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(await authorizer.verify(token)).toMatchObject({ sub: "alice" });
    expect(signatures.count).toBe(1);
    expect(idp.calls).toHaveLength(1);
  });

  it("answers a cached token until exp + leeway, and refuses it with token_expired from then on", async () => {
    const { authorizer, clock, signatures } = counted();
    const token = await mint(key, clock, { exp: clock.seconds() + 60 });
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    clock.advance((60 + 30) * 1000 - 1);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(signatures.count).toBe(1);
    clock.advance(1);
    expect(await outcome(authorizer, token)).toEqual({ status: 401, code: "token_expired" });
    expect(await outcome(authorizer, token)).toEqual({ status: 401, code: "token_expired" });
  });

  it("honours a clock tolerance of 0: a cached token is refused at its exp", async () => {
    const { authorizer, clock } = counted(undefined, { JWT_CLOCK_TOLERANCE: "0" });
    const token = await mint(key, clock, { exp: clock.seconds() + 60 });
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    clock.advance(59_999);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    clock.advance(1);
    expect(await outcome(authorizer, token)).toEqual({ status: 401, code: "token_expired" });
  });

  it("never holds more than JWT_CONFIG.cache.tokens entries, evicting the least recently used first", async () => {
    const { authorizer, clock, signatures } = counted({ cache: { tokens: 3 } });
    const t = await tokensFor(clock, 10);
    for (const token of t) expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(signatures.count).toBe(10);
    // Held now, oldest first: t7, t8, t9 (0-based).
    const step = async (token: string, cost: number) => {
      const before = signatures.count;
      expect(await outcome(authorizer, token)).toEqual(ALLOWED);
      expect(signatures.count - before).toBe(cost);
    };
    await step(t[7]!, 0); // t8, t9, t7
    await step(t[0]!, 1); // t9, t7, t0 (t8 out)
    await step(t[7]!, 0); // t9, t0, t7
    await step(t[0]!, 0); // t9, t7, t0
    await step(t[8]!, 1); // t7, t0, t8 (t9 out)
    await step(t[9]!, 1); // t0, t8, t9 (t7 out)
    await step(t[7]!, 1); // t8, t9, t7 (t0 out)
    await step(t[0]!, 1); // t9, t7, t0 (t8 out)
    await step(t[9]!, 0);
    await step(t[7]!, 0);
    await step(t[0]!, 0);
    expect(signatures.count).toBe(15);
  });

  it("never caches a token with a bad signature", async () => {
    const { authorizer, clock, signatures } = counted();
    const forged = await mint(other, clock, {}, { kid: key.kid });
    expect(await outcome(authorizer, forged)).toEqual({ status: 401, code: "signature_invalid" });
    expect(await outcome(authorizer, forged)).toEqual({ status: 401, code: "signature_invalid" });
    expect(signatures.count).toBe(2);
  });

  it("never caches a well-signed token whose claims are refused", async () => {
    const { authorizer, clock, signatures } = counted();
    const wrongAudience = await mint(key, clock, { aud: "other" });
    expect(await outcome(authorizer, wrongAudience)).toEqual({ status: 401, code: "audience_mismatch" });
    expect(await outcome(authorizer, wrongAudience)).toEqual({ status: 401, code: "audience_mismatch" });
    expect(signatures.count).toBe(2);
  });

  it("never caches a refusal: a token refused as not yet valid is accepted once its nbf arrives", async () => {
    const { authorizer, clock, signatures } = counted();
    const early = await mint(key, clock, { nbf: clock.seconds() + 100 });
    expect(await outcome(authorizer, early)).toEqual({ status: 401, code: "token_not_yet_valid" });
    clock.advance(70_000);
    expect(await outcome(authorizer, early)).toEqual(ALLOWED);
    expect(await outcome(authorizer, early)).toEqual(ALLOWED);
    expect(signatures.count).toBe(2);
  });

  it("is switched off by JWT_CONFIG.cache.tokens = 0", async () => {
    const { authorizer, clock, signatures } = counted({ cache: { tokens: 0 } });
    const token = await mint(key, clock);
    for (let i = 0; i < 3; i++) expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(signatures.count).toBe(3);
  });
});

describe("the verified-token cache's keys", () => {
  const tail = "x".repeat(64);
  const entry = (sub: string) => ({ claims: { sub }, until: 2_000, issuer: "https://issuer.example/", alg: "ES256" });

  it("never answers for a token that only ends like a cached one", async () => {
    const { TokenCache } = await import("../../src/jwt/token-cache.js");
    const cache = new TokenCache(10);
    cache.set(`a.b.${tail}`, entry("alice"));
    expect(cache.get(`c.d.${tail}`, 1_000)).toBeUndefined();
    expect(cache.get(`a.b.${tail}`, 1_000)?.claims.sub).toBe("alice");
  });

  it("gives the slot to the later of two tokens that end alike, and still counts each entry once", async () => {
    const { TokenCache } = await import("../../src/jwt/token-cache.js");
    const cache = new TokenCache(10);
    cache.set(`a.b.${tail}`, entry("alice"));
    cache.set(`c.d.${tail}`, entry("carol"));
    expect(cache.size).toBe(1);
    expect(cache.get(`a.b.${tail}`, 1_000)).toBeUndefined();
    expect(cache.get(`c.d.${tail}`, 1_000)?.claims.sub).toBe("carol");
  });

  it("keeps the byte bound with short and long tokens", async () => {
    const { TokenCache } = await import("../../src/jwt/token-cache.js");
    const cache = new TokenCache(100, 1_000);
    for (let i = 0; i < 50; i++) cache.set(`${"t".repeat(100)}.${i}.${tail}${i}`, entry(`u${i}`));
    // 1,000 bytes hold 4 tokens of about 170 characters (2 bytes each).
    expect(cache.size).toBeLessThanOrEqual(4);
    expect(cache.get(`${"t".repeat(100)}.49.${tail}49`, 1_000)?.claims.sub).toBe("u49");
  });
});
