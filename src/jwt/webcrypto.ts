/**
 * The default signature primitive: Web Crypto, on every runtime. Imported keys are cached per JWK
 * object, so a key from the JWKS cache is imported once. Keys are imported by `crypto.subtle` itself,
 * with the parameters of the one algorithm table (no JWK library in the bundle).
 * @module
 */
import type { JWK } from "jose";
import { decodeBase64url } from "../encoding/base64url.js";
import type { SignatureVerifier } from "../deps.js";
import { publicJwk } from "../keys/checks.js";
import { algorithm, webHash, type Algorithm } from "./algorithms.js";

const encoder = new TextEncoder();
const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey>>>();

/** How Web Crypto imports a key for an algorithm of the table. */
function importParams(a: Algorithm): AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams {
  switch (a.kty) {
    case "RSA":
      return { name: a.pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: webHash(a)! };
    case "EC":
      return { name: "ECDSA", namedCurve: a.crv! };
    case "oct":
      return { name: "HMAC", hash: webHash(a)! } as HmacImportParams;
    default:
      return { name: "Ed25519" };
  }
}

/**
 * Imports a JWK for `alg` with only the members that define the key (`publicJwk`, plus `d` for a
 * private key): a JWK's own `alg`, `use` or `key_ops` never widen or narrow what it is used for here.
 */
export function importJwk(jwk: JWK, alg: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  const a = algorithm(alg);
  if (!a) return Promise.reject(new Error("unsupported alg"));
  const members: JWK = usage === "sign" ? { ...publicJwk(jwk), d: jwk.d! } : publicJwk(jwk);
  return crypto.subtle.importKey("jwk", members as JsonWebKey, importParams(a), false, [usage]);
}

/** Keys whose import has finished, so a verification with a known key needs no extra await. */
const ready = new WeakMap<JWK, Map<string, CryptoKey>>();

function importFor(jwk: JWK, alg: string): Promise<CryptoKey> {
  let byAlg = imported.get(jwk);
  if (!byAlg) imported.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    // An HMAC secret is raw bytes: the JWK form would also accept a key shorter than the hash.
    const a = algorithm(alg);
    key =
      a?.kty === "oct"
        ? crypto.subtle.importKey("raw", decodeBase64url(String(jwk.k))! as BufferSource, importParams(a), false, [
            "verify",
          ])
        : importJwk(jwk, alg, "verify");
    byAlg.set(alg, key);
    key.then(
      (k) => {
        let done = ready.get(jwk);
        if (!done) ready.set(jwk, (done = new Map()));
        done.set(alg, k);
      },
      () => byAlg!.delete(alg),
    );
  }
  return key;
}

/** The verify parameters per `alg`, made once. */
const verifyParams = new Map<string, ReturnType<typeof signatureParams>>();
const paramsOf = (alg: string, a: Algorithm) => {
  let p = verifyParams.get(alg);
  if (!p) verifyParams.set(alg, (p = signatureParams(a)));
  return p;
};

/** The sign and verify parameters of an algorithm of the table. */
export function signatureParams(a: Algorithm): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
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
  const key = ready.get(jwk)?.get(alg) ?? (await importFor(jwk, alg));
  return crypto.subtle.verify(
    paramsOf(alg, a),
    key,
    signature as BufferSource,
    // The signing input is ASCII (base64url and dots): its UTF-8 bytes are its bytes, encoded natively.
    encoder.encode(signingInput) as BufferSource,
  );
};
