/**
 * The default signature primitive: Web Crypto, on every runtime. Imported keys are cached per JWK
 * object, so a key from the JWKS cache is imported once.
 * @module
 */
import { importJWK, type JWK, type CryptoKey } from "jose";
import { asciiBytes, decodeBase64url } from "../encoding/base64url.js";
import type { SignatureVerifier } from "../deps.js";
import { publicJwk } from "../keys/checks.js";
import { algorithm, webHash, type Algorithm } from "./algorithms.js";

const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

function importFor(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(jwk);
  if (!byAlg) imported.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    // jose hands HMAC keys back as bytes; Web Crypto needs them imported.
    const a = algorithm(alg);
    key =
      a?.kty === "oct"
        ? crypto.subtle.importKey(
            "raw",
            decodeBase64url(String(jwk.k))! as BufferSource,
            { name: "HMAC", hash: webHash(a)! },
            false,
            ["verify"],
          )
        : importJWK({ ...publicJwk(jwk), ext: false } as JWK, alg);
    byAlg.set(alg, key);
    key.catch(() => byAlg!.delete(alg));
  }
  return key;
}

function params(a: Algorithm): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (a.kty) {
    case "RSA":
      return a.pss ? ({ name: "RSA-PSS", saltLength: a.bits! / 8 } as RsaPssParams) : { name: "RSASSA-PKCS1-v1_5" };
    case "EC":
      return { name: "ECDSA", hash: webHash(a)! } as EcdsaParams;
    case "oct":
      return { name: "HMAC" };
    default:
      return { name: "Ed25519" };
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
  const a = algorithm(alg);
  const signature = decodeBase64url(signatureB64);
  if (!a || !signature || (a.signatureBytes !== undefined && signature.length !== a.signatureBytes)) return false;
  const key = await importFor(jwk, alg);
  if (key instanceof Uint8Array) return false;
  return crypto.subtle.verify(params(a), key, signature as BufferSource, asciiBytes(signingInput) as BufferSource);
};
