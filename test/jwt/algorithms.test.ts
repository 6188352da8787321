/**
 * The one algorithm table: every entry verifies a genuine jose signature through Web Crypto and through
 * the node:crypto verifier alike, refuses it after one bit flips, and fits only its own key type.
 */
import { exportJWK, generateKeyPair, generateSecret, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { ALGORITHMS, DEFAULT_ALGORITHMS, HMAC_ALGORITHMS } from "../../src/jwt/algorithms.js";
import { webCryptoVerify } from "../../src/jwt/webcrypto.js";
import { keyFitsAlg } from "../../src/keys/checks.js";
import { nodeVerifySignature } from "../../adapters/node/verify.js";

async function signed(alg: string): Promise<{ jwk: JWK; input: string; signature: string }> {
  const joseAlg = alg === "Ed25519" ? "EdDSA" : alg;
  let jwk: JWK;
  let key: Parameters<SignJWT["sign"]>[0];
  if (alg.startsWith("HS")) {
    key = await generateSecret(alg, { extractable: true });
    jwk = await exportJWK(key);
  } else {
    const pair = await generateKeyPair(joseAlg, {
      extractable: true,
      crv: joseAlg === "EdDSA" ? "Ed25519" : undefined,
    });
    key = pair.privateKey;
    jwk = await exportJWK(pair.publicKey);
  }
  const token = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: joseAlg }).sign(key);
  const cut = token.lastIndexOf(".");
  return { jwk, input: token.slice(0, cut), signature: token.slice(cut + 1) };
}

const flip = (b64: string) => `${b64.slice(0, 5)}${b64[5] === "A" ? "B" : "A"}${b64.slice(6)}`;

describe("the algorithm table", () => {
  it("holds every default algorithm and every HMAC algorithm", () => {
    for (const alg of [...DEFAULT_ALGORITHMS, ...HMAC_ALGORITHMS]) expect(ALGORITHMS[alg], alg).toBeDefined();
  });

  it.each(Object.keys(ALGORITHMS))(
    "%s: Web Crypto and node:crypto accept a genuine signature and refuse a flipped one",
    async (alg) => {
      const { jwk, input, signature } = await signed(alg);
      expect(keyFitsAlg(jwk, alg)).toEqual({ ok: true });
      expect(await webCryptoVerify(alg, jwk, input, signature)).toBe(true);
      expect(await nodeVerifySignature(alg, jwk, input, signature)).toBe(true);
      expect(await webCryptoVerify(alg, jwk, input, flip(signature))).toBe(false);
      expect(await nodeVerifySignature(alg, jwk, input, flip(signature))).toBe(false);
    },
  );

  it("a key of another type or curve never fits: ES256 against a P-384 key, RS256 against an EC key", async () => {
    const p384 = await exportJWK((await generateKeyPair("ES384")).publicKey);
    expect(keyFitsAlg(p384, "ES256").ok).toBe(false);
    expect(keyFitsAlg(p384, "RS256").ok).toBe(false);
    expect(keyFitsAlg(p384, "ES384").ok).toBe(true);
  });
});
