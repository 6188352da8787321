/**
 * The identity forwarded to the origin: `x-auth-sub`, `x-auth-iss`, `x-auth-claims` (base64url JSON of
 * the verified payload) and configured claim-to-header mappings; every inbound `x-auth-*` header is
 * removed first. Values are made header-safe: control characters (CR, LF, ...) are dropped and
 * non-ASCII characters are percent-encoded (UTF-8). Arrays are joined with `,`, a `,` inside an element
 * sent as `%2C`; objects are sent as base64url JSON; `%` itself is encoded as `%25`, so the encoding is
 * reversible. The same identity in flat form (strings, numbers, booleans) serves API Gateway.
 * @module
 */
import type { Allowed, Claims, FlatContext, IdentityHeaders } from "./types.js";
import { claimAt } from "./claim-path.js";
import { encodeBase64url } from "./base64url.js";
import { METHOD_OVERRIDE_HEADERS, URL_OVERRIDE_HEADERS } from "./path-reading.js";

const PREFIX = "x-auth-";

/**
 * Whether a header name is reserved for identity (`x-auth-*`), which clients may never send. CGI,
 * PHP-FPM, Rack and others read `_` (and other punctuation) as `-`, so `x_auth_sub` and `X.Auth.Sub`
 * count as `x-auth-sub`.
 */
export const isIdentityHeader = (name: string): boolean => name.toLowerCase().replace(/[^a-z0-9]/g, "-").startsWith(PREFIX);

/** Headers that make some origins act on another method or path than the one the rule was chosen for. */
const OVERRIDES: ReadonlySet<string> = new Set([...METHOD_OVERRIDE_HEADERS, ...URL_OVERRIDE_HEADERS]);

/** A header-safe rendering of a string. */
export function headerSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, "").replace(/[^\u0020-\u0024\u0026-\u007e]+/g, (s) => encodeURIComponent(s));
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

/** Headers and flat context for verified claims. */
export function identityFor(claims: Claims, issuer: string, claimHeaders: Record<string, string>): { headers: IdentityHeaders; context: FlatContext } {
  const headers: IdentityHeaders = {};
  const context: FlatContext = { iss: issuer };
  if (typeof claims.sub === "string") {
    headers["x-auth-sub"] = headerSafe(claims.sub);
    context.sub = claims.sub;
  }
  headers["x-auth-iss"] = headerSafe(issuer);
  const json = JSON.stringify(claims);
  headers["x-auth-claims"] = encodeBase64url(json);
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

/** What to strip when forwarding: `Authorization` and the configured token cookie, when asked. */
export interface ForwardOptions {
  stripAuthorization?: boolean;
  /** The configured token sources; with `stripAuthorization`, their cookie and query token go too. */
  tokenSources?: { cookie?: string; query?: string };
}

/**
 * The headers to forward: a copy of the inbound headers without any `x-auth-*` header (in any spelling
 * a server maps onto one), without the method- and URL-override headers (`X-HTTP-Method-Override`,
 * `X-HTTP-Method`, `X-Method-Override`, `X-Original-URL`, `X-Rewrite-URL`), with the identity set, and,
 * with `stripAuthorization`, without `Authorization` and without the token cookie.
 *
 * @example
 * ```ts
 * const { stripAuthorization } = authorizer.config.identity;
 * const headers = forwardHeaders(request.headers, decision, { stripAuthorization, tokenSources: authorizer.config.tokenSources });
 * return fetch(new Request(forwardUrl(request.url, options), { method: request.method, headers, body: request.body }));
 * ```
 */
export function forwardHeaders(inbound: Headers, decision: Allowed, options: ForwardOptions = {}): Headers {
  const out = new Headers();
  const cookie = options.stripAuthorization ? options.tokenSources?.cookie : undefined;
  inbound.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (isIdentityHeader(lower) || OVERRIDES.has(lower)) return;
    if (options.stripAuthorization && lower === "authorization") return;
    if (cookie !== undefined && lower === "cookie") {
      const kept = value.split(";").filter((part) => {
        const eq = part.indexOf("=");
        return eq === -1 || part.slice(0, eq).trim() !== cookie;
      });
      if (kept.length > 0) out.append(name, kept.map((p) => p.trim()).join("; "));
      return;
    }
    out.append(name, value);
  });
  for (const [name, value] of Object.entries(decision.headers)) out.set(name, value);
  return out;
}

/**
 * The URL to forward: with `stripAuthorization` and a query token source, without that parameter (a
 * credential in a URL ends up in logs, RFC 6750 section 5.3); otherwise unchanged.
 *
 * @example
 * ```ts
 * forwardUrl("https://api.example/x?access_token=t&a=1", { stripAuthorization: true, tokenSources: { query: "access_token" } }); // https://api.example/x?a=1
 * ```
 */
export function forwardUrl(url: string, options: ForwardOptions = {}): string {
  const param = options.stripAuthorization ? options.tokenSources?.query : undefined;
  if (param === undefined) return url;
  const parsed = new URL(url);
  if (!parsed.searchParams.has(param)) return url;
  parsed.searchParams.delete(param);
  return parsed.href;
}
