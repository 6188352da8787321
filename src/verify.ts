/**
 * Public entry to the signature layer, for callers that hold one key (tests, vectors, tools).
 * @module
 */
import type { JWK } from "jose";
import type { SignatureVerifier } from "./types.js";
import { fail } from "./errors.js";
import { decodeBase64url } from "./base64url.js";
import { checkJwk } from "./keys/check.js";
import { checkAlg, parseCompact, verifyParsed } from "./jws.js";

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
export async function verifyCompactJws(token: string, jwk: JWK, options: { algorithms: readonly string[]; verifySignature?: SignatureVerifier }): Promise<Uint8Array> {
  const jws = parseCompact(token);
  checkAlg(jws.header, options.algorithms);
  const check = checkJwk(jwk);
  if (!check.ok) throw fail("key_invalid", check.reason);
  await verifyParsed(jws, jwk, options.verifySignature);
  return decodeBase64url(jws.payload)!;
}
