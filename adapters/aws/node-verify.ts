/**
 * A `SignatureVerifier` on `node:crypto` for Node hosts (Lambda, the CLI, the bench): one KeyObject per
 * JWK, cached, and a synchronous `crypto.verify`. The core has already checked the key and that `alg`
 * is allowed; this only checks that the key fits the algorithm and verifies.
 */
import { createPublicKey, createSecretKey, createHmac, timingSafeEqual, verify, constants, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import type { SignatureVerifier } from "../../src/index.js";

const HASH: Record<string, string> = { 256: "sha256", 384: "sha384", 512: "sha512" };
const CURVE: Record<string, string> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
const MAX_CACHED_KEYS = 256;

const byObject = new WeakMap<JWK, KeyObject>();
const byValue = new Map<string, KeyObject>();

function keyObject(jwk: JWK): KeyObject {
  const cached = byObject.get(jwk);
  if (cached) return cached;
  const id = jwk.kty === "oct" ? undefined : `${jwk.kty}|${jwk.crv ?? ""}|${jwk.n ?? jwk.x ?? ""}|${jwk.e ?? jwk.y ?? ""}`;
  let key = id ? byValue.get(id) : undefined;
  if (!key) {
    key = jwk.kty === "oct" ? createSecretKey(Buffer.from(jwk.k ?? "", "base64url")) : createPublicKey({ key: publicOnly(jwk), format: "jwk" });
    if (id) {
      if (byValue.size >= MAX_CACHED_KEYS) byValue.delete(byValue.keys().next().value as string);
      byValue.set(id, key);
    }
  }
  byObject.set(jwk, key);
  return key;
}

function publicOnly(jwk: JWK): JWK {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, v]) => v !== undefined)) as JWK;
}

/**
 * Verifies a JWS signature with `node:crypto`: RS*, PS* (salt length = hash length), ES* (raw `r||s`),
 * EdDSA/Ed25519 and HS* (constant-time compare). Returns false for a key that does not fit `alg`.
 *
 * @example
 * ```ts
 * import { createAuthorizer } from "edge-jwt-authorizer";
 * import { nodeVerifySignature } from "edge-jwt-authorizer/aws";
 * const authorizer = createAuthorizer(config, { verifySignature: nodeVerifySignature });
 * ```
 */
export const nodeVerifySignature: SignatureVerifier = (alg, jwk, input, signatureB64) => {
  try {
    // The core hands over ASCII text and canonical base64url: Buffer decodes both natively.
    const signingInput = Buffer.from(input, "latin1");
    const signature = Buffer.from(signatureB64, "base64url");
    const family = alg.slice(0, 2);
    const hash = HASH[alg.slice(2)];
    if (alg === "EdDSA" || alg === "Ed25519") {
      return jwk.kty === "OKP" && jwk.crv === "Ed25519" && verify(null, signingInput, keyObject(jwk), signature);
    }
    if (!hash) return false;
    if (family === "RS" || family === "PS") {
      if (jwk.kty !== "RSA") return false;
      const key = keyObject(jwk);
      return family === "RS"
        ? verify(hash, signingInput, key, signature)
        : verify(hash, signingInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, signature);
    }
    if (family === "ES") {
      if (jwk.kty !== "EC" || jwk.crv !== CURVE[alg]) return false;
      return verify(hash, signingInput, { key: keyObject(jwk), dsaEncoding: "ieee-p1363" }, signature);
    }
    if (family === "HS") {
      if (jwk.kty !== "oct") return false;
      const mac = createHmac(hash, keyObject(jwk)).update(signingInput).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    return false;
  } catch {
    return false;
  }
};
