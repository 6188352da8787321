/**
 * Compact JWS: strict parsing of the three segments and the header checks (no `none`, no embedded
 * keys, no `crit`, the `alg` allow-list). The signature is `signature.ts`; claims are `claims.ts`.
 * @module
 */
import { fail } from "../errors.js";
import { HEADER_CACHE_ENTRIES, LOG_ALG_CHARS } from "../limits.js";
import { canonicalBase64urlToText, decodeBase64urlText, isCanonicalBase64url } from "../encoding/base64url.js";
import { parseStrictJson } from "../encoding/strict-json.js";
import { isPlainObject } from "../encoding/strict-json.js";

export interface JwsHeader {
  alg: string;
  kid?: string;
  typ?: string;
  [name: string]: unknown;
}

export interface ParsedJws {
  header: JwsHeader;
  /** The payload segment, canonical base64url, not yet decoded (a JWS payload may be any bytes). */
  payload: string;
  /** `<header>.<payload>`, ASCII. */
  signingInput: string;
  /** The signature segment, canonical base64url (possibly empty). */
  signature: string;
}

/** Header members that carry or point to keys: never trusted, whatever the algorithm. */
const KEY_HEADERS = ["jwk", "jku", "x5u", "x5c"];

/** Decodes a base64url JSON segment strictly, or throws `token_malformed`. */
function decodeJsonSegment(segment: string): unknown {
  const text = decodeBase64urlText(segment);
  if (text === undefined) throw fail("token_malformed");
  return parseJsonText(text);
}

/** Decodes a JSON segment that `parseCompact` already checked (the payload), or throws `token_malformed`. */
export function decodeCheckedJsonSegment(segment: string): unknown {
  return decodeCheckedPayload(segment).value;
}

/** As {@link decodeCheckedJsonSegment}, with the JSON text the segment carried. */
export function decodeCheckedPayload(segment: string): { value: unknown; text: string } {
  const text = canonicalBase64urlToText(segment);
  if (text === undefined) throw fail("token_malformed");
  return { value: parseJsonText(text), text };
}

/** Strict JSON from text, or throws `token_malformed`. */
function parseJsonText(text: string): unknown {
  const value = parseStrictJson(text);
  if (value === undefined) throw fail("token_malformed");
  return value;
}

/**
 * Parses a compact JWS (three base64url segments, nothing else) and checks its header's structure
 * (the `alg` allow-list is `checkAlg`). Throws `AuthError` with `token_malformed`, `alg_not_allowed`
 * (for `none`), `header_forbidden` or `crit_unsupported`.
 */
export function parseCompact(token: string, padded = false): ParsedJws {
  // Exactly three segments; the strict base64url decoder refuses every other character.
  const first = token.indexOf(".");
  const second = first < 1 ? -1 : token.indexOf(".", first + 1);
  if (second < 0 || token.indexOf(".", second + 1) !== -1) throw fail("token_malformed");
  // `padded`: AWS ALB pads its segments; the padding is checked, dropped, and stays in the signing input.
  const part = padded ? unpad : (s: string) => s;
  const header = parseHeader(part(token.slice(0, first)));
  const payload = part(token.slice(first + 1, second));
  const signature = part(token.slice(second + 1));
  if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) throw fail("token_malformed");
  return { header, payload, signature, signingInput: token.slice(0, second) };
}

/** A padded base64url segment without its padding; wrong padding is `token_malformed`. */
function unpad(segment: string): string {
  const bare = segment.replace(/={1,2}$/, "");
  if (bare.length !== segment.length && segment.length % 4 !== 0) throw fail("token_malformed");
  return bare;
}

/**
 * Headers that passed the checks, by segment: an issuer signs nearly every token with the same header,
 * so this spares decoding it again. Bounded; entries are frozen and never depend on configuration.
 */
const headers = new Map<string, JwsHeader>();

function parseHeader(segment: string): JwsHeader {
  const cached = headers.get(segment);
  if (cached) return cached;
  const header = decodeJsonSegment(segment);
  if (!isPlainObject(header)) throw fail("token_malformed");
  const h = header as Record<string, unknown>;
  if (typeof h.alg !== "string") throw fail("token_malformed");
  if (h.alg.toLowerCase() === "none") throw fail("alg_not_allowed", "none");
  for (const name of KEY_HEADERS) if (name in h) throw fail("header_forbidden", name);
  // We implement no JWS extension: any `crit`, and `b64` (RFC 7797, only meaningful under crit), is refused.
  if ("crit" in h || "b64" in h) throw fail("crit_unsupported");
  if (h.kid !== undefined && typeof h.kid !== "string") throw fail("token_malformed");
  if (h.typ !== undefined && typeof h.typ !== "string") throw fail("token_malformed");
  if (headers.size >= HEADER_CACHE_ENTRIES) headers.delete(headers.keys().next().value as string);
  const frozen = Object.freeze(h) as JwsHeader;
  headers.set(segment, frozen);
  return frozen;
}

/** Refuses an `alg` outside the allowed list (exact, case-sensitive). */
export function checkAlg(header: JwsHeader, algorithms: readonly string[]): void {
  if (!algorithms.includes(header.alg)) throw fail("alg_not_allowed", header.alg.slice(0, LOG_ALG_CHARS));
}
