/**
 * OIDC discovery (and RFC 8414): issuer → `jwks_uri`. The document's `issuer` must equal the
 * configured issuer exactly (or, for an issuer template, one of its spellings), and `jwks_uri` must be
 * an https URL (http only on loopback).
 * @module
 */
import { fetchJson } from "./fetch.js";
import { isFetchable } from "./bounds.js";

/** Where the discovery document of `issuer` lives. */
export const discoveryUrl = (issuer: string): string => `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;

export async function discoverJwksUri(
  fetcher: typeof fetch,
  issuer: string,
  timeoutMs: number,
  maxBytes: number,
  expected: readonly string[] = [issuer],
): Promise<string> {
  const { body } = await fetchJson(fetcher, discoveryUrl(issuer), timeoutMs, maxBytes);
  const doc = body as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (typeof doc !== "object" || doc === null) throw new Error("discovery document is not an object");
  if (typeof doc.issuer !== "string" || !expected.includes(doc.issuer))
    throw new Error("discovery document names another issuer");
  if (typeof doc.jwks_uri !== "string") throw new Error("discovery document has no jwks_uri");
  let parsed: URL;
  try {
    parsed = new URL(doc.jwks_uri);
  } catch {
    throw new Error("discovery jwks_uri is not a URL");
  }
  if (!isFetchable(parsed)) throw new Error("discovery jwks_uri is not https");
  return doc.jwks_uri;
}
