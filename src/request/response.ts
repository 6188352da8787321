/**
 * Refusals on the wire: RFC 6750 `WWW-Authenticate` (with RFC 9728 `resource_metadata` when a
 * resource is configured), and the JSON response every HTTP adapter sends.
 * @module
 */
import type { Refused } from "../decision.js";
import type { Authorizer } from "../authorizer.js";
import { ASSERTION_JWKS_PATH } from "../assertion/mint.js";

/** Quotes a value for an auth-param (RFC 9110 quoted-string), escaping `"` and `\`, dropping controls. */
const quote = (value: string): string => `"${value.replace(/[\u0000-\u001f\u007f]/g, "").replace(/["\\]/g, "\\$&")}"`;

/**
 * Builds the `WWW-Authenticate` value for a refusal; `undefined` for 429 and 503 (not about the token).
 * With `dpop`, a `DPoP` challenge (RFC 9449 7.1) follows the `Bearer` one, and carries the error when
 * the refusal is about DPoP (or the request used the DPoP scheme).
 */
export function wwwAuthenticate(
  refusal: Pick<Refused, "status" | "error" | "code" | "description" | "requiredScope">,
  realm: string,
  resourceMetadata?: string,
  dpop?: { algs: readonly string[]; error: boolean },
): string | undefined {
  if (refusal.status === 503 || refusal.status === 429) return undefined;
  const params = [`realm=${quote(realm)}`];
  // RFC 6750 3.1: a request without authentication information gets no error code.
  if (refusal.code !== "token_missing" && !dpop?.error) {
    params.push(`error=${quote(refusal.error)}`, `error_description=${quote(refusal.description)}`);
    if (refusal.requiredScope) params.push(`scope=${quote(refusal.requiredScope)}`);
  }
  if (resourceMetadata) params.push(`resource_metadata=${quote(resourceMetadata)}`);
  const bearer = `Bearer ${params.join(", ")}`;
  if (!dpop) return bearer;
  const proof = [`algs=${quote(dpop.algs.join(" "))}`];
  if (dpop.error) proof.push(`error=${quote(refusal.error)}`, `error_description=${quote(refusal.description)}`);
  return `${bearer}, DPoP ${proof.join(", ")}`;
}

/**
 * A `Server-Timing` entry for what authorization cost, in milliseconds (browser devtools show it).
 *
 * @example
 * ```ts
 * serverTiming(1.2345); // "auth;dur=1.23"
 * ```
 */
export const serverTiming = (durationMs: number): string => `auth;dur=${Math.round(durationMs * 100) / 100}`;

/**
 * The HTTP answer for a refusal: the status, a JSON body `{"error", "code"}`, `WWW-Authenticate`,
 * `Retry-After` on 429 and 503, `Cache-Control: no-store`, and `Server-Timing` when `timing` is given.
 *
 * @example
 * ```ts
 * const decision = await authorizer.authorize(request);
 * if (!decision.ok) return refusalResponse(decision, { durationMs: performance.now() - started });
 * ```
 */
export function refusalResponse(decision: Refused, timing?: { durationMs: number }): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (timing) headers.set("server-timing", serverTiming(timing.durationMs));
  if (decision.wwwAuthenticate) headers.set("www-authenticate", decision.wwwAuthenticate);
  if (decision.retryAfter !== undefined) headers.set("retry-after", String(decision.retryAfter));
  return new Response(JSON.stringify({ error: decision.error, code: decision.code }), {
    status: decision.status,
    headers,
  });
}

/**
 * The public documents an authorizer serves, when `request` asks for one (a `GET` of its path): the
 * RFC 9728 protected-resource metadata when a resource is configured, and the signed assertion's public
 * keys at `/.well-known/edge-jwt/jwks.json` when an assertion key is set; otherwise `undefined`.
 * Public: no token is needed.
 *
 * @example
 * ```ts
 * const metadata = metadataResponse(authorizer, request);
 * if (metadata) return metadata;
 * ```
 */
export function metadataResponse(
  authorizer: Pick<Authorizer, "protectedResource" | "assertionJwks">,
  request: Request,
): Response | undefined {
  if (request.method !== "GET") return undefined;
  const href = request.url;
  const metadata = authorizer.protectedResource();
  // Most requests ask for neither document: the URL is parsed only when it could name one.
  if (!href.includes(ASSERTION_JWKS_PATH) && !(metadata && href.includes(metadata.path))) return undefined;
  const path = new URL(href).pathname;
  if (metadata && path === metadata.path) return Response.json(metadata.document);
  const jwks = path === ASSERTION_JWKS_PATH ? authorizer.assertionJwks() : null;
  return jwks ? Response.json(jwks, { headers: { "cache-control": "public, max-age=300" } }) : undefined;
}
