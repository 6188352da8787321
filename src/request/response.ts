/**
 * Refusals on the wire: RFC 6750 `WWW-Authenticate` (with RFC 9728 `resource_metadata` when a
 * resource is configured), and the JSON response every HTTP adapter sends.
 * @module
 */
import type { Refused } from "../decision.js";
import type { Authorizer } from "../authorizer.js";

/** Quotes a value for an auth-param (RFC 9110 quoted-string), escaping `"` and `\`, dropping controls. */
const quote = (value: string): string => `"${value.replace(/[\u0000-\u001f\u007f]/g, "").replace(/["\\]/g, "\\$&")}"`;

/** Builds the `WWW-Authenticate` value for a refusal; `undefined` for 429 and 503 (not about the token). */
export function wwwAuthenticate(
  refusal: Pick<Refused, "status" | "error" | "code" | "description" | "requiredScope">,
  realm: string,
  resourceMetadata?: string,
): string | undefined {
  if (refusal.status === 503 || refusal.status === 429) return undefined;
  const params = [`realm=${quote(realm)}`];
  // RFC 6750 3.1: a request without authentication information gets no error code.
  if (refusal.code !== "token_missing") {
    params.push(`error=${quote(refusal.error)}`, `error_description=${quote(refusal.description)}`);
    if (refusal.requiredScope) params.push(`scope=${quote(refusal.requiredScope)}`);
  }
  if (resourceMetadata) params.push(`resource_metadata=${quote(resourceMetadata)}`);
  return `Bearer ${params.join(", ")}`;
}

/**
 * The HTTP answer for a refusal: the status, a JSON body `{"error", "code"}`, `WWW-Authenticate`,
 * `Retry-After` on 429 and 503, and `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * const decision = await authorizer.authorize(request);
 * if (!decision.ok) return refusalResponse(decision);
 * ```
 */
export function refusalResponse(decision: Refused): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (decision.wwwAuthenticate) headers.set("www-authenticate", decision.wwwAuthenticate);
  if (decision.retryAfter !== undefined) headers.set("retry-after", String(decision.retryAfter));
  return new Response(JSON.stringify({ error: decision.error, code: decision.code }), {
    status: decision.status,
    headers,
  });
}

/**
 * The RFC 9728 protected-resource metadata document, when `request` asks for it (a `GET` of its
 * path) and a resource is configured; otherwise `undefined`. Public: no token is needed.
 *
 * @example
 * ```ts
 * const metadata = metadataResponse(authorizer, request);
 * if (metadata) return metadata;
 * ```
 */
export function metadataResponse(
  authorizer: Pick<Authorizer, "protectedResource">,
  request: Request,
): Response | undefined {
  const metadata = authorizer.protectedResource();
  if (!metadata || request.method !== "GET" || new URL(request.url).pathname !== metadata.path) return undefined;
  return Response.json(metadata.document);
}
