/**
 * Strict base64url (RFC 7515 2): the URL-safe alphabet, no padding, no whitespace, and canonical
 * (unused trailing bits must be zero), so one byte string has exactly one encoding.
 * @module
 */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const encoder = new TextEncoder();

/** The 6-bit value of the character at `i`, or -1 for anything outside the alphabet. */
const at = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? LOOKUP[c]! : -1;
};

/** Decodes, or returns `undefined` for anything that is not canonical unpadded base64url. */
export function decodeBase64url(input: string): Uint8Array | undefined {
  const len = input.length;
  const rest = len & 3;
  if (rest === 1) return undefined;
  const full = len - rest;
  const out = new Uint8Array((full / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = at(input, i),
      b = at(input, i + 1),
      c = at(input, i + 2),
      d = at(input, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const a = at(input, full),
      b = at(input, full + 1);
    if ((a | b) < 0 || (b & 0x0f) !== 0) return undefined;
    out[o] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = at(input, full),
      b = at(input, full + 1),
      c = at(input, full + 2);
    if ((a | b | c) < 0 || (c & 0x03) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 0x0f) << 4) | (c >> 2);
  }
  return out;
}

const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Whether a segment is canonical unpadded base64url, checked without decoding it. */
export function isCanonicalBase64url(input: string): boolean {
  const rest = input.length & 3;
  if (rest === 1 || !ALPHABET_ONLY.test(input)) return false;
  if (rest === 0) return true;
  const last = LOOKUP[input.charCodeAt(input.length - 1)]!;
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/**
 * Decodes a canonical base64url segment holding UTF-8 text, or returns `undefined`. The common case
 * (ASCII JSON) stays in native code: `atob` yields the text itself.
 */
export function decodeBase64urlText(input: string): string | undefined {
  return isCanonicalBase64url(input) ? canonicalBase64urlToText(input) : undefined;
}

/** As `decodeBase64urlText`, for a segment already checked by `isCanonicalBase64url`. */
export function canonicalBase64urlToText(input: string): string | undefined {
  const binary = atob(input.replace(/-/g, "+").replace(/_/g, "/"));
  if (ASCII_ONLY.test(binary)) return binary;
  try {
    return utf8.decode(asciiBytes(binary));
  } catch {
    return undefined;
  }
}

/** The bytes of a string whose characters are all below 256 (a signing input, an `atob` result). */
export function asciiBytes(input: string): Uint8Array {
  const out = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input.charCodeAt(i);
  return out;
}

/** Encodes bytes or a string (UTF-8) as unpadded base64url, through the runtime's native `btoa`. */
export function encodeBase64url(input: Uint8Array | string): string {
  let binary: string;
  if (typeof input === "string" && ASCII_ONLY.test(input)) binary = input;
  else {
    const bytes = typeof input === "string" ? encoder.encode(input) : input;
    binary = "";
    // In chunks: an argument list the size of a large JWKS would overflow the stack.
    for (let i = 0; i < bytes.length; i += 0x2000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * base64url(SHA-256(input)) through Web Crypto: a DPoP `ath`, a certificate thumbprint, a cache key.
 *
 * @example
 * ```ts
 * await sha256Base64url("abc"); // "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"
 * ```
 */
export async function sha256Base64url(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource)));
}
