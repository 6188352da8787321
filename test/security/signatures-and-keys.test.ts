/**
 * Psychic ECDSA signatures (CVE-2022-21449) and bad keys in the issuer's JWKS: e=1 (a forgery jose
 * alone accepts), short RSA, EC points off the curve, and keys whose alg, use or key_ops do not fit.
 */
import { describe, expect, it } from "vitest";
import { exportJWK, type JWK } from "jose";
import { b64url, expectAllowed, expectRefused, goodClaims, harness, jwt, rawToken, testKeys } from "./harness.js";

const P256_N = BigInt("0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
const be32 = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

async function ecToken(kid: string, signature: Uint8Array): Promise<string> {
  return rawToken(JSON.stringify({ alg: "ES256", kid, typ: "JWT" }), JSON.stringify(goodClaims()), {
    signature: b64url(signature),
  });
}

describe("psychic ECDSA signatures", () => {
  it("an ES256 token whose signature is 64 zero bytes is refused as signature_invalid", async () => {
    const { ec } = await testKeys();
    await expectRefused(await harness(), await ecToken(ec.kid, new Uint8Array(64)), 401, "signature_invalid");
  });

  const values: Array<[string, bigint]> = [
    ["0", 0n],
    ["1", 1n],
    ["n", P256_N],
    ["n-1", P256_N - 1n],
  ];
  for (const [rName, r] of values) {
    for (const [sName, s] of values) {
      it(`an ES256 token with r = ${rName} and s = ${sName} is refused as signature_invalid`, async () => {
        const { ec } = await testKeys();
        await expectRefused(await harness(), await ecToken(ec.kid, concat(be32(r), be32(s))), 401, "signature_invalid");
      });
    }
  }

  it("an ES256 signature of the wrong length or in DER form is refused as signature_invalid", async () => {
    const { ec } = await testKeys();
    const h = await harness();
    const good = Buffer.from((await jwt(ec)).split(".")[2]!, "base64url");
    const der = concat(
      Uint8Array.of(0x30, 0x44, 0x02, 0x20),
      good.subarray(0, 32),
      Uint8Array.of(0x02, 0x20),
      good.subarray(32),
    );
    for (const signature of [good.subarray(0, 63), concat(good, Uint8Array.of(0)), der, new Uint8Array(0)]) {
      await expectRefused(h, await ecToken(ec.kid, signature), 401, "signature_invalid");
    }
  });
});

/** EMSA-PKCS1-v1_5 of SHA-256(input) for a 2048-bit modulus: with e=1 this is a valid "signature". */
async function eOneForgery(input: string): Promise<Uint8Array> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input)));
  const prefix = Uint8Array.from(Buffer.from("3031300d060960864801650304020105000420", "hex"));
  const padding = new Uint8Array(256 - 3 - prefix.length - hash.length).fill(0xff);
  return concat(Uint8Array.of(0x00, 0x01), padding, Uint8Array.of(0x00), prefix, hash);
}

describe("bad keys in the JWKS", () => {
  it("a forgery against an RSA key with e=1 is refused as kid_unknown, and a good key in the same set still verifies", async () => {
    const { rsa, ec } = await testKeys();
    const eOne: JWK = { ...rsa.jwk, e: "AQ", kid: "rsa-e1" };
    const h = await harness({ keys: [eOne, rsa.jwk, ec.jwk] });
    const header = b64url(JSON.stringify({ alg: "RS256", kid: "rsa-e1", typ: "JWT" }));
    const payload = b64url(JSON.stringify(goodClaims({ sub: "admin" })));
    const forged = `${header}.${payload}.${b64url(await eOneForgery(`${header}.${payload}`))}`;
    await expectRefused(h, forged, 401, "kid_unknown");
    await expectAllowed(h, await jwt(rsa));
  });

  it("a token signed by a 1024-bit RSA key in the JWKS is refused as kid_unknown", async () => {
    const { rsa } = await testKeys();
    const small = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const jwk: JWK = { ...(await exportJWK(small.publicKey)), kid: "rsa-1024", alg: "RS256", use: "sig" };
    const h = await harness({ keys: [jwk, rsa.jwk] });
    const token = await rawToken(
      JSON.stringify({ alg: "RS256", kid: "rsa-1024", typ: "JWT" }),
      JSON.stringify(goodClaims()),
      { alg: "RS256", key: small.privateKey },
    );
    await expectRefused(h, token, 401, "kid_unknown");
    await expectAllowed(h, await jwt(rsa));
  });

  it("a token naming an EC key whose point is off the curve is refused as kid_unknown", async () => {
    const { ec, rsa } = await testKeys();
    const y = Buffer.from(ec.jwk.y!, "base64url");
    y[31] = y[31]! ^ 0x01;
    const off: JWK = { ...ec.jwk, y: y.toString("base64url"), kid: "ec-off" };
    const h = await harness({ keys: [off, ec.jwk, rsa.jwk] });
    const token = await rawToken(
      JSON.stringify({ alg: "ES256", kid: "ec-off", typ: "JWT" }),
      JSON.stringify(goodClaims()),
      { alg: "ES256", key: ec.privateKey },
    );
    await expectRefused(h, token, 401, "kid_unknown");
    await expectAllowed(h, await jwt(ec));
  });

  it("a token naming an EC key that claims P-384 with P-256 coordinates is refused as kid_unknown", async () => {
    const { ec } = await testKeys();
    const wrong: JWK = { ...ec.jwk, crv: "P-384", alg: "ES384", kid: "ec-wrong-crv" };
    const h = await harness({ keys: [wrong, ec.jwk] });
    const token = await rawToken(
      JSON.stringify({ alg: "ES384", kid: "ec-wrong-crv", typ: "JWT" }),
      JSON.stringify(goodClaims()),
      { signature: b64url(new Uint8Array(96).fill(7)) },
    );
    await expectRefused(h, token, 401, "kid_unknown");
  });

  const mismatches: Array<[string, Partial<JWK>]> = [
    ['alg "RS512"', { alg: "RS512" }],
    ['alg "PS256"', { alg: "PS256" }],
    ['use "enc"', { use: "enc" }],
    ['key_ops ["encrypt"]', { key_ops: ["encrypt"] }],
  ];
  for (const [name, change] of mismatches) {
    it(`an RS256 token naming a good RSA key with ${name} is refused as key_invalid`, async () => {
      const { rsa, ec } = await testKeys();
      const odd: JWK = { ...rsa.jwk, ...change, kid: "rsa-odd" };
      const h = await harness({ keys: [odd, ec.jwk] });
      await expectRefused(h, await jwt(rsa, {}, { kid: "rsa-odd" }), 401, "key_invalid");
    });
  }

  // Proposal (Wycheproof JWK tcId 4, "DuplicateKid": best practice is to reject): a kid shared by two
  // keys of one type names no single key, so a token naming it is refused as kid_unknown.
  it("a token naming a kid that two RSA keys in the JWKS share is refused as kid_unknown", async () => {
    const { rsa, ec } = await testKeys();
    const twin = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const twinJwk: JWK = { ...(await exportJWK(twin.publicKey)), kid: rsa.kid, alg: "RS256", use: "sig" };
    const h = await harness({ keys: [rsa.jwk, twinJwk, ec.jwk] });
    const byTwin = await rawToken(
      JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }),
      JSON.stringify(goodClaims()),
      { alg: "RS256", key: twin.privateKey },
    );
    await expectRefused(h, byTwin, 401, "kid_unknown");
    await expectRefused(h, await jwt(rsa), 401, "kid_unknown");
    await expectAllowed(h, await jwt(ec));
  });

  it("a symmetric key published in the JWKS is never used: an HS256 token naming it is refused as alg_not_allowed", async () => {
    const { rsa } = await testKeys();
    const secret = new Uint8Array(32).fill(9);
    const oct: JWK = { kty: "oct", k: b64url(secret), kid: "oct-1", alg: "HS256" };
    const h = await harness({ keys: [oct, rsa.jwk] });
    const token = await rawToken(
      JSON.stringify({ alg: "HS256", kid: "oct-1", typ: "JWT" }),
      JSON.stringify(goodClaims()),
      { alg: "HS256", key: secret },
    );
    await expectRefused(h, token, 401, "alg_not_allowed");
    expect(h.fetched.every((u) => u.startsWith("https://idp.example/"))).toBe(true);
  });
});
