/**
 * Vercel edge middleware: the request goes to the core's `authorize`, the decision comes back as the
 * headers Vercel reads to continue (identity headers for the origin, see continue.ts) or the core's refusal.
 * Web APIs only: it runs in Vercel's edge runtime, in Next.js `middleware.ts` and in Next 16 `proxy.ts`.
 */
import {
  ASSERTION_HEADER,
  authorizerSource,
  forwardHeaders,
  forwardUrl,
  metadataResponse,
  refusalResponse,
  serverTiming,
  type AuthorizerOptions,
  type Tracer,
} from "../../src/index.js";
import { openTelemetryTracer } from "../node/otel.js";
import { continueWith } from "./continue.js";

/**
 * Options of {@link createMiddleware}: at most one of `authorizer`, `config`, `env` (default: `env` is
 * `process.env`), `deps` for the authorizer it creates, and `tracer` for its `jwt.authorize` spans
 * (default: `@opentelemetry/api`'s, when it is installed; `false`: none).
 */
export type VercelMiddlewareOptions = AuthorizerOptions & { tracer?: Tracer | false };

/**
 * What Vercel and Next.js pass as the middleware's second argument (Next's `NextFetchEvent`, Vercel's
 * request context): its `waitUntil` keeps a background key refresh alive after the response.
 */
export interface VercelEvent {
  waitUntil(promise: Promise<unknown>): void;
}

/** The middleware signature Vercel and Next.js call. */
export type VercelMiddleware = (request: Request, event?: VercelEvent) => Promise<Response>;

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
  const given = options.authorizer ?? options.config ?? options.env;
  const processEnv = typeof process !== "undefined" ? process.env : {};
  const tracer = options.tracer ?? openTelemetryTracer();
  const traced = () => (tracer ? { tracer } : {});
  const authorizer = authorizerSource(given ? options : { ...options, env: processEnv }, "createMiddleware", traced)();
  const strip = {
    stripAuthorization: authorizer.config.identity.stripAuthorization,
    tokenSources: authorizer.config.tokenSources,
  };

  return async (request, event) => {
    const metadata = metadataResponse(authorizer, request);
    if (metadata) return metadata;
    const started = performance.now();
    const waitUntil = typeof event?.waitUntil === "function" ? event.waitUntil.bind(event) : undefined;
    const decision = await authorizer.authorize(request, waitUntil ? { waitUntil } : {});
    const durationMs = performance.now() - started;
    if (!decision.ok) return refusalResponse(decision, { durationMs });
    const timing = serverTiming(durationMs);
    const headers = forwardHeaders(request.headers, decision, strip);
    if (authorizer.config.identity.serverTiming) headers.set("server-timing", timing);
    // A query token to strip: continue to the same URL without it (a rewrite; the client sees no redirect).
    const target = forwardUrl(request.url, strip);
    const assertion = await authorizer.assertion(decision, request.method, target);
    if (assertion) headers.set(ASSERTION_HEADER, assertion);
    const response = continueWith(headers, target === request.url ? undefined : target);
    if (authorizer.config.identity.serverTiming) response.headers.append("server-timing", timing);
    return response;
  };
}
