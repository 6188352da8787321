/**
 * Finding the one token in a request: `Authorization: Bearer` always; a token header, a cookie or a
 * query parameter only when configured. The header and the query exclude each other; the cookie counts when neither
 * has a token, and a query token next to a different cookie token is ambiguous (the same token found
 * in both counts once). Size is checked before anything is parsed.
 * @module
 */
import { fail } from "../errors.js";
import { AUTHORIZATION_SLACK_BYTES } from "../limits.js";

export interface TokenSources {
  cookie?: string;
  query?: string;
  /** A header whose whole value is the token (no scheme), e.g. `cf-access-jwt-assertion`. */
  header?: string;
  /** Further token headers and cookies that provider presets read (Cloudflare Access, AWS ALB, Clerk). */
  headers?: string[];
  cookies?: string[];
}

/** The token's form as RFC 6750 `b64token` (RFC 6750 2.1), which covers compact JWS characters. */
const BEARER = /^[ \t]*bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
const SCHEME = /^[ \t]*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:[ \t]|$)/;

/**
 * Returns the token, `undefined` when none was sent, or throws an `AuthError`
 * (`token_ambiguous`, `header_malformed`, `token_too_large`).
 */
export function extractToken(
  request: Request,
  sources: TokenSources,
  maxBytes: number,
  header: string | null = request.headers.get("authorization"),
): string | undefined {
  const fromBearer = header === null ? undefined : bearerFrom(header, maxBytes);
  // Authorization is the only place configured: nothing else can make it ambiguous.
  if (!sources.header && !sources.headers && !sources.query && !sources.cookie && !sources.cookies) {
    if (fromBearer !== undefined && fromBearer.length > maxBytes) throw fail("token_too_large");
    return fromBearer;
  }
  const found: string[] = [];
  // Authorization and the token headers are one place: the same token in several counts once.
  const fromHeaders = distinct([fromBearer, ...tokenHeaders(request, sources, maxBytes)]);
  if (fromHeaders.length > 1) throw fail("token_ambiguous");
  const fromHeader = fromHeaders[0];
  if (fromHeader !== undefined) found.push(fromHeader);
  if (sources.query) {
    const values = new URL(request.url).searchParams.getAll(sources.query);
    found.push(...values.filter((v) => v !== ""));
  }
  if (found.length > 1) throw fail("token_ambiguous");
  // The cookie is read when neither the header nor the query has a token, and next to a query token:
  // a link can carry a token the user did not choose, so a different token in the cookie is ambiguous.
  const cookieNames = [...(sources.cookie ? [sources.cookie] : []), ...(sources.cookies ?? [])];
  if (cookieNames.length > 0 && fromHeader === undefined) {
    const cookieHeader = request.headers.get("cookie");
    const fromCookies = distinct(cookieNames.map((name) => cookieValue(cookieHeader, name)));
    if (fromCookies.length > 1) throw fail("token_ambiguous");
    const fromCookie = fromCookies[0];
    if (fromCookie !== undefined && found.length > 0 && fromCookie !== found[0]) throw fail("token_ambiguous");
    if (fromCookie !== undefined && found.length === 0) found.push(fromCookie);
  }
  const token = found[0];
  if (token !== undefined && token.length > maxBytes) throw fail("token_too_large");
  return token;
}

/** A Bearer credential, `undefined` for another scheme (Basic, ...), or an error for a broken one. */
function bearerFrom(header: string, maxBytes: number): string | undefined {
  if (header.length > maxBytes + AUTHORIZATION_SLACK_BYTES) {
    if (/^[ \t]*bearer[ \t]/i.test(header)) throw fail("token_too_large");
  } else {
    const match = BEARER.exec(header);
    if (match) return match[1];
  }
  const scheme = SCHEME.exec(header)?.[1];
  if (scheme === undefined) throw fail("header_malformed");
  if (scheme.toLowerCase() !== "bearer") return undefined;
  // Several Authorization headers arrive joined by ", ".
  if (/,[ \t]*bearer[ \t]/i.test(header)) throw fail("token_ambiguous");
  throw fail("header_malformed");
}

/** One value per distinct token, `undefined` left out. */
const distinct = (values: Array<string | undefined>): string[] =>
  [...new Set(values)].filter((v): v is string => v !== undefined);

/** A token header's value is the token itself: b64token characters (and padding, which ALB sends) only. */
const HEADER_TOKEN = /^[A-Za-z0-9\-._~+/=]+$/;

function tokenHeaders(request: Request, sources: TokenSources, maxBytes: number): Array<string | undefined> {
  const names = [...(sources.header ? [sources.header] : []), ...(sources.headers ?? [])];
  return names.map((name) => {
    const raw = request.headers.get(name);
    if (raw === null) return undefined;
    const value = raw.trim();
    if (value.length > maxBytes) throw fail("token_too_large");
    if (value === "") return undefined;
    // Several values of one header arrive joined by ", ".
    if (value.includes(",")) throw fail("token_ambiguous");
    if (!HEADER_TOKEN.test(value)) throw fail("header_malformed");
    return value;
  });
}

function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  let value: string | undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    if (value !== undefined) throw fail("token_ambiguous");
    value = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
  }
  return value === "" ? undefined : value;
}

/** A token and the scheme it came with. */
export interface Credential {
  token: string;
  scheme: "bearer" | "dpop";
}

const DPOP = /^[ \t]*dpop[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * As {@link extractToken}, also reading `Authorization: DPoP <token>` (RFC 9449 7.1), which excludes
 * a token in the query or the cookie like a Bearer one does.
 *
 * @example
 * ```ts
 * extractCredential(request, {}, 8192); // { token: "eyJ...", scheme: "dpop" }
 * ```
 */
export function extractCredential(request: Request, sources: TokenSources, maxBytes: number): Credential | undefined {
  const header = request.headers.get("authorization");
  if (header === null || !/^[ \t]*dpop(?:[ \t]|$)/i.test(header)) {
    const token = extractToken(request, sources, maxBytes, header);
    return token === undefined ? undefined : { token, scheme: "bearer" };
  }
  if (header.length > maxBytes + AUTHORIZATION_SLACK_BYTES) throw fail("token_too_large");
  const token = DPOP.exec(header)?.[1];
  if (token === undefined)
    throw fail(/,[ \t]*(?:dpop|bearer)[ \t]/i.test(header) ? "token_ambiguous" : "header_malformed");
  if (token.length > maxBytes) throw fail("token_too_large");
  // The header holds the token: any other source must be empty.
  if (sources.query && new URL(request.url).searchParams.getAll(sources.query).some((v) => v !== ""))
    throw fail("token_ambiguous");
  return { token, scheme: "dpop" };
}
