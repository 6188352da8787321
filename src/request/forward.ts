/**
 * What an allowed request carries on to the origin: the inbound headers without any identity header a
 * client could have spoofed, without method and URL override headers, with the verified identity set;
 * and, when credentials are stripped, without `Authorization`, the token cookie or the query token.
 * @module
 */
import type { TokenSources } from "./extract-token.js";
import type { Allowed } from "../decision.js";
import { isIdentityHeader } from "./identity.js";
import { METHOD_OVERRIDE_HEADERS, URL_OVERRIDE_HEADERS } from "../routes/targets.js";

/** Headers that make some origins act on another method or path than the one the rule was chosen for. */
const OVERRIDES: ReadonlySet<string> = new Set([...METHOD_OVERRIDE_HEADERS, ...URL_OVERRIDE_HEADERS]);

/** What to strip when forwarding: `Authorization` and the configured token cookie, when asked. */
export interface ForwardOptions {
  stripAuthorization?: boolean;
  /** The configured token sources; with `stripAuthorization`, their cookie and query token go too. */
  tokenSources?: TokenSources;
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
 * const options = { stripAuthorization, tokenSources: authorizer.config.tokenSources };
 * const headers = forwardHeaders(request.headers, decision, options);
 * return fetch(new Request(forwardUrl(request.url, options), { method: request.method, headers, body: request.body }));
 * ```
 */
export function forwardHeaders(inbound: Headers, decision: Allowed, options: ForwardOptions = {}): Headers {
  const out = new Headers();
  const src = options.stripAuthorization ? (options.tokenSources ?? {}) : undefined;
  // Token headers and cookies (configured or a preset's: Access, ALB, Clerk) are credentials too.
  const cookies = src ? [...(src.cookie ? [src.cookie] : []), ...(src.cookies ?? [])] : [];
  const tokenHeaders = src ? [...(src.header ? [src.header] : []), ...(src.headers ?? [])] : [];
  inbound.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (isIdentityHeader(lower) || OVERRIDES.has(lower)) return;
    if (src && (lower === "authorization" || tokenHeaders.includes(lower))) return;
    if (cookies.length > 0 && lower === "cookie") {
      const kept = value.split(";").filter((part) => {
        const eq = part.indexOf("=");
        return eq === -1 || !cookies.includes(part.slice(0, eq).trim());
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
 * const options = { stripAuthorization: true, tokenSources: { query: "access_token" } };
 * forwardUrl("https://api.example/x?access_token=t&a=1", options); // https://api.example/x?a=1
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
