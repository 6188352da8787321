/**
 * Keys are checked when a JWKS is loaded: RSA `e` = 65537 and at least 2048 bits, EC points on their
 * curve. A bad key is skipped and logged (without key material); the good keys of the same set still work.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import {
  ALLOWED,
  ISSUER,
  JWKS_URL,
  KID_UNKNOWN,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type Clock,
  type TestKey,
} from "./fixtures.js";

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");

/** A compact JWS built by hand (jose refuses to sign with a 1024-bit key, and cannot express a forgery). */
async function handToken(
  clock: Clock,
  kid: string,
  alg: string,
  sign: (input: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  const iat = clock.seconds();
  const input = `${b64(JSON.stringify({ alg, kid, typ: "JWT" }))}.${b64(JSON.stringify({ iss: ISSUER, aud: "api", sub: "mallory", iat, exp: iat + 3600 }))}`;
  return `${input}.${b64(await sign(new TextEncoder().encode(input)))}`;
}

/** RS256 "signature" valid under e = 1: the PKCS#1 v1.5 encoded digest itself (s^1 mod n = EM). */
async function eOneForgery(input: Uint8Array, modulusBytes: number): Promise<Uint8Array> {
  const digestInfo = Buffer.from("3031300d060960864801650304020105000420", "hex");
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", input as BufferSource));
  const em = new Uint8Array(modulusBytes).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em.set([0, ...digestInfo, ...hash], modulusBytes - digestInfo.length - hash.length - 1);
  return em;
}

let good: TestKey;
let rsa: TestKey;
let ecTwin: TestKey;
let enc: TestKey;
let leaky: { kid: string; jwk: JWK; privateKey: CryptoKey };
let small: { jwk: JWK; privateKey: CryptoKey };
let bad: { eOne: JWK; rsa1024: JWK; offCurve: JWK };

beforeAll(async () => {
  [good, rsa, ecTwin, enc] = await Promise.all([
    makeKey("good"),
    makeKey("rsa-e1-source", "RS256"),
    makeKey("ec-off"),
    makeKey("rsa-enc", "RS256"),
  ]);
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  small = {
    jwk: { ...(await exportJWK(pair.publicKey)), kid: "rsa-1024", alg: "RS256", use: "sig" },
    privateKey: pair.privateKey,
  };
  const y = Buffer.from(ecTwin.jwk.y!, "base64url");
  y[31]! ^= 1;
  bad = { eOne: { ...rsa.jwk, kid: "rsa-e1", e: "AQ" }, rsa1024: small.jwk, offCurve: { ...ecTwin.jwk, y: b64(y) } };
  enc.jwk = { ...enc.jwk, use: "enc" };
  const lk = await generateKeyPair("ES256", { extractable: true });
  leaky = {
    kid: "leaky",
    privateKey: lk.privateKey,
    jwk: { ...(await exportJWK(lk.privateKey)), kid: "leaky", alg: "ES256", use: "sig" },
  };
});

function setup() {
  const idp = fakeIssuer([bad.eOne, bad.rsa1024, bad.offCurve, enc.jwk, leaky.jwk, good.jwk]);
  const clock = makeClock();
  return { idp, clock, ...authorizerFor(idp, clock) };
}

describe("keys checked on load", () => {
  it("skips an e=1 key, a 1024-bit key and an off-curve EC key, logging jwks_key_skipped once for each", async () => {
    const { authorizer, logger } = setup();
    await authorizer.warmUp();
    const skipped = logger.find("jwks_key_skipped").map((l) => [l.level, l.fields?.kid, l.fields?.reason]);
    expect(skipped).toEqual([
      ["warn", "rsa-e1", "RSA exponent must be 65537"],
      ["warn", "rsa-1024", "RSA modulus must be at least 2048 bits"],
      ["warn", "ec-off", "EC point is not on the curve"],
    ]);
    expect(logger.find("jwks_key_skipped").every((l) => l.fields?.iss === ISSUER)).toBe(true);
  });

  it("never writes key material into a log line", async () => {
    const { authorizer, logger, clock } = setup();
    await authorizer.warmUp();
    await outcome(authorizer, await mint(good, clock, {}, { kid: "rsa-e1" }));
    const logged = JSON.stringify(logger.lines);
    const material = [bad.eOne.n, bad.rsa1024.n, bad.offCurve.x, bad.offCurve.y, leaky.jwk.x, leaky.jwk.d, enc.jwk.n];
    for (const value of material) expect(logged).not.toContain(String(value).slice(0, 24));
  });

  it("still accepts a token signed by the good key of the same set", async () => {
    const { authorizer, clock, idp } = setup();
    expect(await outcome(authorizer, await mint(good, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(1);
  });

  it("refuses an e=1 forgery naming the skipped key with kid_unknown", async () => {
    const { authorizer, clock } = setup();
    const modulusBytes = Buffer.from(bad.eOne.n!, "base64url").length;
    const forged = await handToken(clock, "rsa-e1", "RS256", (input) => eOneForgery(input, modulusBytes));
    expect(await outcome(authorizer, forged)).toEqual(KID_UNKNOWN);
  });

  it("refuses a token really signed by the 1024-bit key with kid_unknown", async () => {
    const { authorizer, clock } = setup();
    const token = await handToken(
      clock,
      "rsa-1024",
      "RS256",
      async (input) =>
        new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", small.privateKey, input as BufferSource)),
    );
    expect(await outcome(authorizer, token)).toEqual(KID_UNKNOWN);
  });

  it("refuses a token naming the off-curve key with kid_unknown", async () => {
    const { authorizer, clock } = setup();
    expect(await outcome(authorizer, await mint(ecTwin, clock))).toEqual(KID_UNKNOWN);
  });

  it("costs one refetch for the first token naming a skipped key, and none for the others within the cooldown", async () => {
    const { authorizer, clock, idp } = setup();
    await authorizer.warmUp();
    expect(await outcome(authorizer, await mint(ecTwin, clock))).toEqual(KID_UNKNOWN);
    expect(await outcome(authorizer, await mint(good, clock, {}, { kid: "rsa-e1" }))).toEqual(KID_UNKNOWN);
    expect(await outcome(authorizer, await mint(good, clock, {}, { kid: "rsa-1024" }))).toEqual(KID_UNKNOWN);
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("never verifies with an enc-use key: a token naming it is refused with 401", async () => {
    const { authorizer, clock } = setup();
    // The core keeps enc keys in the set and refuses them at use (key_invalid), rather than skipping them at load.
    expect(await outcome(authorizer, await mint(enc, clock))).toEqual({ status: 401, code: "key_invalid" });
  });

  it("accepts a token whose kid is shared by an enc key listed first and the signing key", async () => {
    const clock = makeClock();
    const idp = fakeIssuer([
      { ...enc.jwk, kid: "shared" },
      { ...rsa.jwk, kid: "shared" },
    ]);
    const { authorizer } = authorizerFor(idp, clock);
    expect(await outcome(authorizer, await mint({ ...rsa, kid: "shared" }, clock))).toEqual(ALLOWED);
  });

  it("uses a key published with private material only through its public part", async () => {
    const { authorizer, clock } = setup();
    const token = await mint({ kid: leaky.kid, alg: "ES256", privateKey: leaky.privateKey, jwk: leaky.jwk }, clock);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
  });
});
