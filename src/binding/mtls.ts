/**
 * Certificate-bound tokens (RFC 8705): a token with `cnf["x5t#S256"]` passes only with the client
 * certificate of that SHA-256 thumbprint. The adapter reads the certificate from its platform and hands
 * the core the thumbprint (base64url); the core never parses a platform object.
 * @module
 */
import { fail } from "../errors.js";
import { encodeBase64url, sha256Base64url } from "../encoding/base64url.js";

/**
 * Refuses (`certificate_mismatch`) a token bound to a certificate other than the one presented, or
 * presented without one. `x5t` is the token's `cnf["x5t#S256"]`; `thumbprint` the adapter's.
 */
export function checkCertificate(x5t: unknown, thumbprint: string | undefined): void {
  if (typeof x5t !== "string" || thumbprint === undefined || !sameText(x5t, thumbprint))
    throw fail("certificate_mismatch", thumbprint === undefined ? "no client certificate" : "other certificate");
}

/**
 * A hex SHA-256 fingerprint (Cloudflare's `certFingerprintSHA256`) as the base64url thumbprint of
 * RFC 8705; `undefined` when it is not 64 hex digits.
 *
 * @example
 * ```ts
 * hexThumbprint("e3b0c442...b855"); // "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
 * ```
 */
export function hexThumbprint(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return encodeBase64url(bytes);
}

/**
 * The RFC 8705 thumbprint of a PEM certificate: base64url SHA-256 of its DER bytes; `undefined` when
 * it is not one PEM certificate.
 *
 * @example
 * ```ts
 * await pemThumbprint(event.requestContext.identity.clientCert.clientCertPem);
 * ```
 */
export async function pemThumbprint(pem: string): Promise<string | undefined> {
  const match = /^\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*$/.exec(pem);
  if (!match) return undefined;
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(match[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  if (der.length === 0) return undefined;
  return sha256Base64url(der);
}

/** Compares two short strings in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
