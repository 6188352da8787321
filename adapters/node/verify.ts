/**
 * A `SignatureVerifier` on `node:crypto` for Node hosts (Lambda, the CLI, the bench): one KeyObject per
 * JWK, cached, and a synchronous `crypto.verify`. The core has already checked the key and that `alg`
 * is allowed; this only checks that the key fits the algorithm and verifies.
 */
import {
  createPublicKey,
  createSecretKey,
  createHmac,
  timingSafeEqual,
  verify,
  constants,
  type KeyObject,
} from "node:crypto";
import type { JWK } from "jose";
import { algorithm, limits, publicJwk, type SignatureVerifier } from "../../src/index.js";

const byObject = new WeakMap<JWK, KeyObject>();
const byValue = new Map<string, KeyObject>();

function keyObject(jwk: JWK): KeyObject {
  const cached = byObject.get(jwk);
  if (cached) return cached;
  const id =
    jwk.kty === "oct" ? undefined : `${jwk.kty}|${jwk.crv ?? ""}|${jwk.n ?? jwk.x ?? ""}|${jwk.e ?? jwk.y ?? ""}`;
  let key = id ? byValue.get(id) : undefined;
  if (!key) {
    key =
      jwk.kty === "oct"
        ? createSecretKey(Buffer.from(jwk.k ?? "", "base64url"))
        : createPublicKey({ key: publicJwk(jwk), format: "jwk" });
    if (id) {
      if (byValue.size >= limits.NODE_KEY_OBJECTS) byValue.delete(byValue.keys().next().value as string);
      byValue.set(id, key);
    }
  }
  byObject.set(jwk, key);
  return key;
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
    const a = algorithm(alg);
    if (!a || jwk.kty !== a.kty || (a.crv !== undefined && jwk.crv !== a.crv)) return false;
    const key = keyObject(jwk);
    if (a.kty === "OKP") return verify(null, signingInput, key, signature);
    const hash = `sha${a.bits}`;
    if (a.kty === "RSA") {
      const padding = a.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: a.bits! / 8 } : {};
      return verify(hash, signingInput, { key, ...padding }, signature);
    }
    if (a.kty === "EC") return verify(hash, signingInput, { key, dsaEncoding: "ieee-p1363" }, signature);
    const mac = createHmac(hash, key).update(signingInput).digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  } catch {
    return false;
  }
};
