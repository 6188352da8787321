/**
 * Key checks. `checkJwk` judges a key on its own (structure and strength: RSA at least 2048 bits with
 * e = 65537, EC points on their curve, Ed25519 only), and `keyFitsAlg` whether a good key may verify a
 * token of a given `alg` (key type, curve, `alg`, `use`, `key_ops`).
 * @module
 */
import type { JWK } from "jose";
import { decodeBase64url } from "../base64url.js";
import { MIN_RSA_BITS } from "../limits.js";

export type KeyCheck = { ok: true } | { ok: false; reason: string };

const CURVES = {
  "P-256": { bytes: 32, p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n, b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn },
  "P-384": { bytes: 48, p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n, b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn },
  "P-521": { bytes: 66, p: 2n ** 521n - 1n, b: 0x051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n },
} as const;

const ALG_CURVE: Record<string, keyof typeof CURVES> = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
const HMAC_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

const bigint = (bytes: Uint8Array): bigint => {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
};
const bits = (bytes: Uint8Array): number => {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return i === bytes.length ? 0 : (bytes.length - i) * 8 - Math.clz32(bytes[i]!) + 24;
};
const mod = (a: bigint, p: bigint) => ((a % p) + p) % p;

/**
 * Judges a key on its own. A key that fails is never used; the rest of its JWKS stays usable.
 *
 * @example
 * ```ts
 * checkJwk({ kty: "RSA", n, e: "AQ" }); // { ok: false, reason: "RSA exponent must be 65537" }
 * ```
 */
export function checkJwk(jwk: JWK, alg?: string): KeyCheck {
  if (typeof jwk !== "object" || jwk === null) return { ok: false, reason: "not an object" };
  if (jwk.kid !== undefined && typeof jwk.kid !== "string") return { ok: false, reason: "kid must be a string" };
  const intrinsic = checkMaterial(jwk);
  if (!intrinsic.ok || alg === undefined) return intrinsic;
  return keyFitsAlg(jwk, alg);
}

function checkMaterial(jwk: JWK): KeyCheck {
  switch (jwk.kty) {
    case "RSA": {
      const n = typeof jwk.n === "string" ? decodeBase64url(jwk.n) : undefined;
      const e = typeof jwk.e === "string" ? decodeBase64url(jwk.e) : undefined;
      if (!n || !e) return { ok: false, reason: "RSA key needs n and e in base64url" };
      if (bigint(e) !== 65537n) return { ok: false, reason: "RSA exponent must be 65537" };
      if (bits(n) < MIN_RSA_BITS) return { ok: false, reason: `RSA modulus must be at least ${MIN_RSA_BITS} bits` };
      if ((n[n.length - 1]! & 1) === 0) return { ok: false, reason: "RSA modulus must be odd" };
      return { ok: true };
    }
    case "EC": {
      const curve = CURVES[jwk.crv as keyof typeof CURVES];
      if (!curve) return { ok: false, reason: `unsupported EC curve ${String(jwk.crv)}` };
      const xb = typeof jwk.x === "string" ? decodeBase64url(jwk.x) : undefined;
      const yb = typeof jwk.y === "string" ? decodeBase64url(jwk.y) : undefined;
      if (!xb || !yb || xb.length !== curve.bytes || yb.length !== curve.bytes) return { ok: false, reason: "EC coordinates have the wrong length" };
      const x = bigint(xb);
      const y = bigint(yb);
      const { p, b } = curve;
      if (x >= p || y >= p) return { ok: false, reason: "EC coordinate out of range" };
      // y^2 = x^3 - 3x + b (mod p) for the NIST curves.
      if (mod(y * y - (x * x * x - 3n * x + b), p) !== 0n) return { ok: false, reason: "EC point is not on the curve" };
      return { ok: true };
    }
    case "OKP": {
      if (jwk.crv !== "Ed25519") return { ok: false, reason: `unsupported OKP curve ${String(jwk.crv)}` };
      const x = typeof jwk.x === "string" ? decodeBase64url(jwk.x) : undefined;
      if (!x || x.length !== 32) return { ok: false, reason: "Ed25519 key must be 32 bytes" };
      return { ok: true };
    }
    case "oct": {
      const k = typeof jwk.k === "string" ? decodeBase64url(jwk.k) : undefined;
      if (!k || k.length < 32) return { ok: false, reason: "HMAC key must be at least 32 bytes" };
      return { ok: true };
    }
    default:
      return { ok: false, reason: `unsupported key type ${String(jwk.kty)}` };
  }
}

/** Whether a (good) key may verify a token signed with `alg`. */
export function keyFitsAlg(jwk: JWK, alg: string): KeyCheck {
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === "EdDSA" && jwk.alg === "Ed25519")) return { ok: false, reason: `key is for ${String(jwk.alg)}` };
  if (jwk.use !== undefined && jwk.use !== "sig") return { ok: false, reason: `key use is ${String(jwk.use)}` };
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return { ok: false, reason: "key_ops does not allow verify" };
  const family = alg.slice(0, 2);
  if ((family === "RS" || family === "PS") && jwk.kty === "RSA") return { ok: true };
  if (family === "ES" && jwk.kty === "EC" && jwk.crv === ALG_CURVE[alg]) return { ok: true };
  if ((alg === "EdDSA" || alg === "Ed25519") && jwk.kty === "OKP" && jwk.crv === "Ed25519") return { ok: true };
  if (family === "HS" && jwk.kty === "oct") {
    const k = decodeBase64url(String(jwk.k));
    return k && k.length >= (HMAC_BYTES[alg] ?? 64) ? { ok: true } : { ok: false, reason: `HMAC key is shorter than ${alg} needs` };
  }
  return { ok: false, reason: `a ${String(jwk.kty)} key cannot verify ${alg}` };
}

/** The public members of a key, so that a JWKS that leaks private material never yields a private key. */
export function publicPart(jwk: JWK): JWK {
  switch (jwk.kty) {
    case "RSA": return { kty: "RSA", n: jwk.n!, e: jwk.e! };
    case "EC": return { kty: "EC", crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
    case "OKP": return { kty: "OKP", crv: jwk.crv!, x: jwk.x! };
    default: return { kty: jwk.kty!, k: jwk.k! };
  }
}
