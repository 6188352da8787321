/**
 * The one table of signature algorithms: for each `alg`, the key type (and curve) that may verify it,
 * its hash, and the exact signature size where the format fixes one. Web Crypto, the key checks, the
 * configuration defaults, key selection, the Node verifier and the CLI all read it here.
 * @module
 */

export type Kty = "RSA" | "EC" | "OKP" | "oct";

export interface Algorithm {
  kty: Kty;
  /** Hash size in bits (SHA-256/384/512); absent for EdDSA. */
  bits?: 256 | 384 | 512;
  /** The curve an EC or OKP key must be on. */
  crv?: "P-256" | "P-384" | "P-521" | "Ed25519";
  /** RSASSA-PSS rather than PKCS#1 v1.5. */
  pss?: boolean;
  /** ECDSA signatures are exactly r||s of this many bytes. */
  signatureBytes?: number;
  /** HMAC keys must be at least the hash size (RFC 7518 3.2), in bytes. */
  minKeyBytes?: number;
}

const rsa = (bits: 256 | 384 | 512, pss = false): Algorithm => ({ kty: "RSA", bits, ...(pss ? { pss } : {}) });
const ec = (bits: 256 | 384 | 512, crv: "P-256" | "P-384" | "P-521", signatureBytes: number): Algorithm => ({
  kty: "EC",
  bits,
  crv,
  signatureBytes,
});
const hmac = (bits: 256 | 384 | 512): Algorithm => ({ kty: "oct", bits, minKeyBytes: bits / 8 });
const ed25519: Algorithm = { kty: "OKP", crv: "Ed25519" };

export const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RS256: rsa(256),
  RS384: rsa(384),
  RS512: rsa(512),
  PS256: rsa(256, true),
  PS384: rsa(384, true),
  PS512: rsa(512, true),
  ES256: ec(256, "P-256", 64),
  ES384: ec(384, "P-384", 96),
  ES512: ec(512, "P-521", 132),
  EdDSA: ed25519,
  Ed25519: ed25519,
  HS256: hmac(256),
  HS384: hmac(384),
  HS512: hmac(512),
};

/** Asymmetric algorithms allowed by default. */
export const DEFAULT_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
];
/** The HMAC algorithms (only with a shared secret, never mixed with public keys). */
export const HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"];

/** The table entry for `alg`, or `undefined` for an algorithm we do not implement. */
export const algorithm = (alg: string): Algorithm | undefined =>
  Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;

/** `SHA-256`, `SHA-384` or `SHA-512` for an algorithm with a hash. */
export const webHash = (a: Algorithm): string | undefined => (a.bits ? `SHA-${a.bits}` : undefined);
