/**
 * OIDC discovery (and RFC 8414): issuer → `jwks_uri` (or `introspection_endpoint`). The document's
 * `issuer` must equal the configured issuer exactly (or, for an issuer template, one of its spellings),
 * and the URL must be https (http only on loopback).
 * @module
 */
import { fetchJson } from "../http/fetch.js";
import { isFetchable } from "../http/bounds.js";
import { isPlainObject } from "../encoding/strict-json.js";

/** Where the discovery document of `issuer` lives. */
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;

export const discoverJwksUri = (
  fetcher: typeof fetch,
  issuer: string,
  timeoutMs: number,
  maxBytes: number,
  expected: readonly string[] = [issuer],
) => discoverUrl(fetcher, issuer, "jwks_uri", timeoutMs, maxBytes, expected);

/**
 * One URL of the issuer's discovery document (`jwks_uri`, `introspection_endpoint`), checked.
 *
 * @example
 * ```ts
 * await discoverUrl(fetch, "https://idp.example", "introspection_endpoint", 3000, 262144);
 * ```
 */
export async function discoverUrl(
  fetcher: typeof fetch,
  issuer: string,
  field: "jwks_uri" | "introspection_endpoint",
  timeoutMs: number,
  maxBytes: number,
  expected: readonly string[] = [issuer],
): Promise<string> {
  const { body } = await fetchJson(fetcher, discoveryUrl(issuer), timeoutMs, maxBytes);
  const doc = body as Record<string, unknown> | null;
  if (!isPlainObject(doc)) throw new Error("discovery document is not an object");
  if (typeof doc.issuer !== "string" || !expected.includes(doc.issuer))
    throw new Error("discovery document names another issuer");
  const value = doc[field];
  if (typeof value !== "string") throw new Error(`discovery document has no ${field}`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`discovery ${field} is not a URL`);
  }
  if (!isFetchable(parsed)) throw new Error(`discovery ${field} is not https`);
  return value;
}
