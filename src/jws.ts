/**
 * The signature layer: strict compact JWS parsing and header checks, then one signature verification.
 * No claims are judged here (see claims.ts).
 * @module
 */
import type { JWK } from "jose";
import type { SignatureVerifier } from "./types.js";
import { fail } from "./errors.js";
import { decodeBase64url } from "./base64url.js";
import { parseStrictJson } from "./json.js";
import { keyFitsAlg } from "./keys/check.js";
import { webCryptoVerify } from "./webcrypto.js";

export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

export interface ParsedJws {
  header: JwsHeader;
  payload: Uint8Array;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** Header members that carry or point to keys: never trusted, whatever the algorithm. */
const KEY_HEADERS = ["jwk", "jku", "x5u", "x5c"];
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Decodes a base64url JSON segment strictly, or throws `token_malformed`. */
export function decodeJsonSegment(segment: string): unknown {
  const bytes = decodeBase64url(segment);
  if (!bytes) throw fail("token_malformed");
  return parseJsonBytes(bytes);
}

/** Strict JSON from UTF-8 bytes, or throws `token_malformed`. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw fail("token_malformed");
  }
  const value = parseStrictJson(text);
  if (value === undefined) throw fail("token_malformed");
  return value;
}

/**
 * Parses a compact JWS (three base64url segments, nothing else) and checks its header's structure
 * (the `alg` allow-list is `checkAlg`). Throws `AuthError` with `token_malformed`, `alg_not_allowed`
 * (for `none`), `header_forbidden` or `crit_unsupported`.
 */
export function parseCompact(token: string): ParsedJws {
  if (!COMPACT.test(token)) throw fail("token_malformed");
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  const header = decodeJsonSegment(token.slice(0, first));
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw fail("token_malformed");
  const h = header as Record<string, unknown>;
  if (typeof h.alg !== "string") throw fail("token_malformed");
  if (h.alg.toLowerCase() === "none") throw fail("alg_not_allowed", "none");
  for (const name of KEY_HEADERS) if (name in h) throw fail("header_forbidden", name);
  // We implement no JWS extension: any `crit`, and `b64` (RFC 7797, only meaningful under crit), is refused.
  if ("crit" in h || "b64" in h) throw fail("crit_unsupported");
  if (h.kid !== undefined && typeof h.kid !== "string") throw fail("token_malformed");
  if (h.typ !== undefined && typeof h.typ !== "string") throw fail("token_malformed");
  const payload = decodeBase64url(token.slice(first + 1, second));
  const signature = decodeBase64url(token.slice(second + 1));
  if (!payload || !signature) throw fail("token_malformed");
  return { header: h as JwsHeader, payload, signature, signingInput: encoder.encode(token.slice(0, second)) };
}

/** Refuses an `alg` outside the allowed list (exact, case-sensitive). */
export function checkAlg(header: JwsHeader, algorithms: readonly string[]): void {
  if (!algorithms.includes(header.alg)) throw fail("alg_not_allowed", header.alg.slice(0, 16));
}

/** Verifies the signature of a parsed JWS with a key already judged good. Throws `key_invalid` or `signature_invalid`. */
export async function verifyParsed(jws: ParsedJws, jwk: JWK, verify: SignatureVerifier = webCryptoVerify): Promise<void> {
  const fits = keyFitsAlg(jwk, jws.header.alg);
  if (!fits.ok) throw fail("key_invalid", fits.reason);
  if (jws.signature.length === 0) throw fail("signature_invalid");
  let valid: boolean;
  try {
    valid = await verify(jws.header.alg, jwk, jws.signingInput, jws.signature);
  } catch {
    valid = false;
  }
  if (!valid) throw fail("signature_invalid");
}
