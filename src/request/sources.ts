/**
 * Where tokens may come from: `JWT_CONFIG.tokenSources` (`cookie`, `query`, `header`), plus the
 * header and cookies of the platform presets in use (Cloudflare Access, AWS ALB, Clerk). All of them
 * fall under the one rule of `extractToken`.
 * @module
 */
import type { IssuerConfig } from "../config/schema.js";
import type { TokenSources } from "./extract-token.js";
import { ConfigError } from "../errors.js";
import { isObject, rejectUnknown, str } from "../config/readers.js";

/** The headers and cookies each preset's platform puts its token in. */
export const PRESET_SOURCES: Record<string, { headers?: string[]; cookies?: string[] }> = {
  // https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
  "cloudflare-access": { headers: ["cf-access-jwt-assertion"], cookies: ["CF_Authorization"] },
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
  "aws-alb": { headers: ["x-amzn-oidc-data"] },
  // https://clerk.com/docs/backend-requests/manual-jwt (same-origin requests carry `__session`)
  clerk: { cookies: ["__session"] },
};

/** A header field name (RFC 9110 5.1 token); never one the authorizer reads for something else. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
const RESERVED = ["authorization", "cookie", "host", "dpop"];

/**
 * Reads `JWT_CONFIG.tokenSources` and adds the presets' sources. Throws a `ConfigError` naming the field.
 *
 * @example
 * ```ts
 * tokenSourcesFrom({ header: "cf-access-jwt-assertion" }, issuers); // { header: "cf-access-jwt-assertion" }
 * ```
 */
export function tokenSourcesFrom(raw: unknown, issuers: IssuerConfig[]): TokenSources {
  const name = "JWT_CONFIG.tokenSources";
  if (raw !== undefined && !isObject(raw)) throw new ConfigError(name, "must be an object");
  const sources = raw ?? {};
  rejectUnknown(sources, ["cookie", "query", "header"], name);
  const out: TokenSources = {};
  const cookie = str(sources.cookie, `${name}.cookie`);
  const query = str(sources.query, `${name}.query`);
  const header = str(sources.header, `${name}.header`)?.toLowerCase();
  if (cookie) out.cookie = cookie;
  if (query) out.query = query;
  if (header !== undefined) {
    if (!HEADER_NAME.test(header) || RESERVED.includes(header))
      throw new ConfigError(`${name}.header`, `must be a header name other than ${RESERVED.join(", ")}`);
    out.header = header;
  }
  const headers = new Set<string>();
  const cookies = new Set<string>();
  for (const issuer of issuers) {
    const extra = issuer.preset ? PRESET_SOURCES[issuer.preset] : undefined;
    for (const h of extra?.headers ?? []) if (h !== header) headers.add(h);
    for (const c of extra?.cookies ?? []) if (c !== cookie) cookies.add(c);
  }
  if (headers.size > 0) out.headers = [...headers];
  if (cookies.size > 0) out.cookies = [...cookies];
  return out;
}
