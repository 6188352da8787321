/**
 * Vercel edge middleware: the request goes to the core's `authorize`, the decision comes back as the
 * `next()` response of `@vercel/functions` (identity headers for the origin) or the core's refusal.
 * Web APIs only: it runs in Vercel's edge runtime, in Next.js `middleware.ts` and in Next 16 `proxy.ts`.
 */
import { next, rewrite } from "@vercel/functions/middleware";
import { configFromEnv, createAuthorizer, forwardHeaders, forwardUrl, refusalResponse } from "../../src/index.js";
import type { Authorizer, AuthorizerConfig, Deps } from "../../src/index.js";

/** Options of {@link createMiddleware}; all optional, the default reads `process.env`. */
export interface VercelMiddlewareOptions {
  /** Environment to read `JWT_*` from (CONTRACT section 2). Default `process.env`. */
  env?: Record<string, unknown>;
  /** A ready configuration; wins over `env`. */
  config?: AuthorizerConfig;
  /** IO and clock for the core (tests, custom fetch). */
  deps?: Deps;
  /** A ready authorizer; wins over `config` and `env`. */
  authorizer?: Authorizer;
}

/** The middleware signature Vercel and Next.js call. */
export type VercelMiddleware = (request: Request) => Promise<Response>;

/** Vercel's list of request headers the origin gets; a name without `x-middleware-request-<name>` is dropped. */
const OVERRIDE = "x-middleware-override-headers";

/**
 * Creates the middleware. The configuration is validated here, once (an invalid one throws a
 * `ConfigError` naming the variable), and the authorizer with its key caches lives as long as the isolate.
 *
 * @example
 * ```ts
 * // middleware.ts (Next.js: middleware.ts, or proxy.ts in Next 16; or a framework-less Vercel project)
 * import { createMiddleware } from "edge-jwt-authorizer/vercel";
 * export default createMiddleware();
 * export const config = { matcher: ["/api/:path*"] };
 * ```
 */
export function createMiddleware(options: VercelMiddlewareOptions = {}): VercelMiddleware {
  const env = options.env ?? (typeof process !== "undefined" ? process.env : {});
  const authorizer = options.authorizer ?? createAuthorizer(options.config ?? configFromEnv(env), options.deps);
  const metadata = authorizer.protectedResource();
  const strip = { stripAuthorization: authorizer.config.identity.stripAuthorization, tokenSources: authorizer.config.tokenSources };

  return async (request) => {
    if (metadata && request.method === "GET" && new URL(request.url).pathname === metadata.path) {
      return Response.json(metadata.document);
    }
    const decision = await authorizer.authorize(request);
    if (!decision.ok) return refusalResponse(decision);
    const init = { request: { headers: forwardHeaders(request.headers, decision, strip) } };
    // A query token to strip: continue to the same URL without it (a rewrite; the client sees no redirect).
    const target = forwardUrl(request.url, strip);
    const response = target === request.url ? next(init) : rewrite(target, init);
    // An empty list reads as "change nothing" to Vercel, which would keep spoofed x-auth-* headers:
    // name one header that has no value, so every inbound header is dropped instead.
    if (!response.headers.get(OVERRIDE)) response.headers.set(OVERRIDE, "x-auth-sub");
    return response;
  };
}