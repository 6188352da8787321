/**
 * The Hono middleware: one call to the core's `authorize(request)`, then either the core's refusal
 * response or `next()` with the verified claims on the context. It decides nothing on its own.
 */
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  authorizerSource,
  refusalResponse,
  serverTiming,
  type Allowed,
  type AuthorizerOptions,
  type Claims,
  type EnvRecord,
  type RequestContext,
} from "../../src/index.js";

/**
 * The Hono variables the middleware sets.
 * - `jwtPayload`: the verified claims, as `hono/jwk` sets them; `null` when the request passed without a
 *   token (a public or optional route, a CORS preflight, report-only mode).
 * - `auth`: the whole allowed decision (subject, issuer, identity headers, why it passed).
 * - `authDurationMs`: what deciding took, in milliseconds.
 */
export type JwtAuthorizerVariables = {
  jwtPayload: Claims | null;
  auth: Allowed;
  authDurationMs: number;
};

/** The Hono `Env` of an app that uses the middleware: `new Hono<JwtAuthorizerEnv>()`. */
export type JwtAuthorizerEnv = { Variables: JwtAuthorizerVariables };

// `c.get("auth")` and `c.get("jwtPayload")` are typed on a plain `new Hono()` too.
declare module "hono" {
  interface ContextVariableMap {
    jwtPayload: Claims | null;
    auth: Allowed;
    authDurationMs: number;
  }
}

/** Options of {@link jwtAuthorizer}: give at most one of `authorizer`, `config`, `env` (README, "Hono middleware"). */
export type JwtAuthorizerOptions = AuthorizerOptions & {
  /** What the platform knows about the connection (the client certificate's thumbprint, for RFC 8705). */
  requestContext?: (c: Context) => RequestContext;
};

/**
 * Hono middleware that authorizes every request with the edge-jwt-authorizer core.
 *
 * Allowed requests continue with `c.get("jwtPayload")` (the verified claims) and `c.get("auth")` (the
 * decision); refused ones get the core's response: 400/401/403/503 with `WWW-Authenticate`, a JSON
 * body `{"error","code"}` and `Server-Timing` (allowed responses get it with `identity.serverTiming`).
 * The authorizer (and its key and token caches) is created once: when the middleware is created
 * from `config` or `env`, or on the first request from `c.env` when neither is given (Cloudflare
 * Workers, where bindings exist only per request). An invalid configuration throws a
 * `ConfigError` naming the variable (at creation, or on the first request for `c.env`): never an open door.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { jwtAuthorizer, type JwtAuthorizerEnv } from "edge-jwt-authorizer/hono";
 *
 * const app = new Hono<JwtAuthorizerEnv>();
 * app.use("/api/*", jwtAuthorizer({ env: { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" } }));
 * app.get("/api/me", (c) => c.json({ sub: c.get("jwtPayload")?.sub }));
 * ```
 */
export function jwtAuthorizer(options: JwtAuthorizerOptions = {}): MiddlewareHandler<JwtAuthorizerEnv> {
  const resolve = authorizerSource(options, "jwtAuthorizer");
  return async (c, next) => {
    const authorizer = resolve((c.env ?? {}) as EnvRecord);
    const started = performance.now();
    const waitUntil = executionWaitUntil(c);
    const context = { ...options.requestContext?.(c), ...(waitUntil ? { waitUntil } : {}) };
    const pending = authorizer.authorize(c.req.raw, context);
    // On Workers, keeps this request alive until its decision settles even if the client goes away: a cold
    // JWKS fetch it started is shared with concurrent requests (single flight), and must not be cancelled.
    waitUntil?.(pending.catch(() => undefined));
    const decision = await pending;
    const durationMs = performance.now() - started;
    // Thrown, as hono/jwk does, so an app's `onError` can restyle every refusal; Hono's default error
    // handler answers with the response itself (status, WWW-Authenticate, JSON body).
    if (!decision.ok) throw new HTTPException(decision.status, { res: refusalResponse(decision, { durationMs }) });
    c.set("jwtPayload", decision.claims);
    c.set("auth", decision);
    c.set("authDurationMs", durationMs);
    await next();
    if (authorizer.config.identity.serverTiming) c.header("server-timing", serverTiming(durationMs), { append: true });
  };
}

/**
 * The platform's `waitUntil` (a Worker's `ctx.waitUntil`), when the app runs with an execution context:
 * the core hands it a key refresh that runs behind the answer. Elsewhere (Node, Bun) undefined.
 */
function executionWaitUntil(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return ctx.waitUntil.bind(ctx);
  } catch {
    return undefined; // No ExecutionContext: not a Worker.
  }
}
