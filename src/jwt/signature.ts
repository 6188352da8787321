/**
 * The signature layer: one signature checked with a key already judged good (`verifyParsed`), and
 * the public entry for callers that hold one key (tests, vectors, tools).
 * @module
 */
import type { JWK } from "jose";
import type { SignatureVerifier } from "../deps.js";
import { fail } from "../errors.js";
import { decodeBase64url } from "../encoding/base64url.js";
import { checkJwk } from "../keys/checks.js";
import { checkAlg, parseCompact, type ParsedJws } from "./compact.js";
import { keyFitsAlg } from "../keys/checks.js";
import { webCryptoVerify } from "./webcrypto.js";

/**
 * Verifies a compact JWS against one key: strict syntax, allowed `alg`, no embedded keys, no `crit`,
 * key strength and fit, signature. Resolves to the payload bytes; rejects with an `AuthError`.
 * Judges no claims.
 *
 * @example
 * ```ts
 * const payload = await verifyCompactJws(token, publicJwk, { algorithms: ["ES256"] });
 * ```
 */
export async function verifyCompactJws(
  token: string,
  jwk: JWK,
  options: { algorithms: readonly string[]; verifySignature?: SignatureVerifier },
): Promise<Uint8Array> {
  const jws = parseCompact(token);
  checkAlg(jws.header, options.algorithms);
  const check = checkJwk(jwk);
  if (!check.ok) throw fail("key_invalid", check.reason);
  await verifyParsed(jws, jwk, options.verifySignature);
  return decodeBase64url(jws.payload)!;
}

/**
 * Verifies the signature of a parsed JWS with a key already judged good. Throws (or rejects with)
 * `key_invalid` or `signature_invalid`; stays synchronous when the verifier is.
 */
export function verifyParsed(
  jws: ParsedJws,
  jwk: JWK,
  verify: SignatureVerifier = webCryptoVerify,
): void | Promise<void> {
  const fits = keyFitsAlg(jwk, jws.header.alg);
  if (!fits.ok) throw fail("key_invalid", fits.reason);
  if (jws.signature.length === 0) throw fail("signature_invalid");
  let result: boolean | Promise<boolean>;
  try {
    result = verify(jws.header.alg, jwk, jws.signingInput, jws.signature);
  } catch {
    result = false;
  }
  if (result === true) return;
  if (result === false) throw fail("signature_invalid");
  return result.then(
    (valid) => {
      if (!valid) throw fail("signature_invalid");
    },
    () => {
      throw fail("signature_invalid");
    },
  );
}
