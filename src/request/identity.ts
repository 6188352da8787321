/**
 * The identity forwarded to the origin: `x-auth-sub`, `x-auth-iss`, `x-auth-claims` (base64url JSON of
 * the verified payload, as the issuer signed it) and configured claim-to-header mappings; every inbound
 * `x-auth-*` header is removed first. Values are made header-safe: control characters (CR, LF, ...) are dropped and
 * non-ASCII characters are percent-encoded (UTF-8). Arrays are joined with `,`, a `,` inside an element
 * sent as `%2C`; objects are sent as base64url JSON; `%` itself is encoded as `%25`, so the encoding is
 * reversible. The same identity in flat form (strings, numbers, booleans) serves API Gateway.
 * @module
 */
import type { Allowed, FlatContext, IdentityHeaders } from "../decision.js";
import type { Claims, TokenMemo } from "../jwt/claims.js";
import { claimAt } from "../jwt/claim-path.js";
import { encodeBase64url } from "../encoding/base64url.js";

const PREFIX = "x-auth-";
/** Which path binding passed (set by the authorizer, never mappable from a claim). */
export const BINDING_HEADER = "x-auth-binding";

/**
 * Whether a header name is reserved for identity (`x-auth-*`), which clients may never send. CGI,
 * PHP-FPM, Rack and others read `_` (and other punctuation) as `-`, so `x_auth_sub` and `X.Auth.Sub`
 * count as `x-auth-sub`.
 */
export const isIdentityHeader = (name: string): boolean =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "-")
    .startsWith(PREFIX);

/** Printable ASCII but `%`: already header-safe, returned as it is (the common case, no copy). */
const HEADER_SAFE = /^[\u0020-\u0024\u0026-\u007e]*$/;

/**
 * A header-safe rendering of a string. A lone surrogate (JSON allows `"\ud800"`) has no UTF-8 form and
 * makes encodeURIComponent throw: it becomes U+FFFD first.
 */
export function headerSafe(value: string): string {
  if (HEADER_SAFE.test(value)) return value;
  return value
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[^\u0020-\u0024\u0026-\u007e]+/g, (s) => encodeURIComponent(s));
}

function render(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return headerSafe(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => ["string", "number", "boolean"].includes(typeof v))) {
    // `%` is encoded by headerSafe, so `%2C` inside an element can only mean a comma of that element.
    return value.map((v) => headerSafe(String(v)).replace(/,/g, "%2C")).join(",");
  }
  return encodeBase64url(JSON.stringify(value));
}

/** What is forwarded for one verified token. */
export interface Identity {
  headers: IdentityHeaders;
  context: FlatContext;
}

/**
 * Headers and flat context for verified claims; `payload`, the token's payload as signed, is forwarded
 * as it is (claims from elsewhere, introspection, are encoded here).
 */
export function identityFor(
  claims: Claims,
  issuer: string,
  claimHeaders: Record<string, string>,
  payload?: TokenMemo["payload"],
): Identity {
  const headers: IdentityHeaders = {};
  const context: FlatContext = { iss: issuer };
  if (typeof claims.sub === "string") {
    headers["x-auth-sub"] = headerSafe(claims.sub);
    context.sub = claims.sub;
  }
  headers["x-auth-iss"] = headerSafe(issuer);
  const json = payload?.json ?? JSON.stringify(claims);
  headers["x-auth-claims"] = payload?.segment ?? encodeBase64url(json);
  context.claims = json;
  if (typeof claims.scope === "string") context.scope = claims.scope;
  for (const [path, header] of Object.entries(claimHeaders)) {
    const value = claimAt(claims, path);
    const rendered = render(value);
    if (rendered === undefined) continue;
    headers[header] = rendered;
    context[header.slice(PREFIX.length)] = typeof value === "number" || typeof value === "boolean" ? value : rendered;
  }
  return { headers, context };
}

/**
 * The decision with the path bindings that passed: `bindings`, the `x-auth-binding` header (comma-
 * separated) and `context.binding`, so the origin can log which binding let the request through.
 */
export function withBindings(allowed: Allowed, bindings: string[]): Allowed {
  if (bindings.length === 0) return { ...allowed, bindings };
  const value = headerSafe(bindings.join(", "));
  return {
    ...allowed,
    bindings,
    headers: { ...allowed.headers, [BINDING_HEADER]: value },
    context: { ...allowed.context, binding: value },
  };
}
