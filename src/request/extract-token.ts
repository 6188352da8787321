/**
 * Finding the one token in a request: `Authorization: Bearer` always; a cookie or a query parameter
 * only when configured. The header and the query exclude each other; the cookie counts when neither
 * has a token, and a query token next to a different cookie token is ambiguous (the same token found
 * in both counts once). Size is checked before anything is parsed.
 * @module
 */
import { fail } from "../errors.js";
import { AUTHORIZATION_SLACK_BYTES } from "../limits.js";

export interface TokenSources {
  cookie?: string;
  query?: string;
}

/** The token's form as RFC 6750 `b64token` (RFC 6750 2.1), which covers compact JWS characters. */
const BEARER = /^[ \t]*bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
const SCHEME = /^[ \t]*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:[ \t]|$)/;

/**
 * Returns the token, `undefined` when none was sent, or throws an `AuthError`
 * (`token_ambiguous`, `header_malformed`, `token_too_large`).
 */
export function extractToken(request: Request, sources: TokenSources, maxBytes: number): string | undefined {
  const found: string[] = [];
  const header = request.headers.get("authorization");
  const fromHeader = header === null ? undefined : bearerFrom(header, maxBytes);
  if (fromHeader !== undefined) found.push(fromHeader);
  if (sources.query) {
    const values = new URL(request.url).searchParams.getAll(sources.query);
    found.push(...values.filter((v) => v !== ""));
  }
  if (found.length > 1) throw fail("token_ambiguous");
  // The cookie is read when neither the header nor the query has a token, and next to a query token:
  // a link can carry a token the user did not choose, so a different token in the cookie is ambiguous.
  if (sources.cookie && fromHeader === undefined) {
    const fromCookie = cookieValue(request.headers.get("cookie"), sources.cookie);
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
    const token = extractToken(request, sources, maxBytes);
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
