/**
 * The default signature primitive: Web Crypto, on every runtime. Imported keys are cached per JWK
 * object, so a key from the JWKS cache is imported once.
 * @module
 */
import { importJWK, type JWK, type CryptoKey } from "jose";
import { asciiBytes, decodeBase64url } from "./base64url.js";
import type { SignatureVerifier } from "./types.js";
import { publicPart } from "./keys/check.js";

const HASH: Record<string, string> = { "256": "SHA-256", "384": "SHA-384", "512": "SHA-512" };
const EC_SIG_BYTES: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

function importFor(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(jwk);
  if (!byAlg) imported.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    // jose hands HMAC keys back as bytes; Web Crypto needs them imported.
    key = alg.startsWith("HS")
      ? crypto.subtle.importKey("raw", decodeBase64url(String(jwk.k))! as BufferSource, { name: "HMAC", hash: HASH[alg.slice(2)]! }, false, ["verify"])
      : importJWK({ ...publicPart(jwk), ext: false } as JWK, alg);
    byAlg.set(alg, key);
    key.catch(() => byAlg!.delete(alg));
  }
  return key;
}

function params(alg: string): AlgorithmIdentifier | RsaPssParams | EcdsaParams | HmacImportParams {
  const bits = alg.slice(2);
  switch (alg.slice(0, 2)) {
    case "RS": return { name: "RSASSA-PKCS1-v1_5" };
    case "PS": return { name: "RSA-PSS", saltLength: Number(bits) / 8 } as RsaPssParams;
    case "ES": return { name: "ECDSA", hash: HASH[bits]! } as EcdsaParams;
    case "HS": return { name: "HMAC" };
    default: return { name: "Ed25519" };
  }
}

/**
 * Verifies with `crypto.subtle`. ECDSA signatures must be exactly r||s of the curve's size.
 *
 * @example
 * ```ts
 * const ok = await webCryptoVerify("ES256", jwk, signingInput, signature);
 * ```
 */
export const webCryptoVerify: SignatureVerifier = async (alg, jwk, signingInput, signatureB64) => {
  const signature = decodeBase64url(signatureB64);
  const ecBytes = EC_SIG_BYTES[alg];
  if (!signature || (ecBytes !== undefined && signature.length !== ecBytes)) return false;
  const key = await importFor(jwk, alg);
  if (key instanceof Uint8Array) return false;
  return crypto.subtle.verify(params(alg), key, signature as BufferSource, asciiBytes(signingInput) as BufferSource);
};
