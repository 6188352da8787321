/**
 * The origin verifier as Node middleware `(req, res, next)`: Express, Connect, or a plain `node:http`
 * server. A request without a valid assertion gets 401 JSON and never reaches the route.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { createOriginVerifier, type OriginResult, type OriginVerifierOptions } from "../../src/assertion/verify.js";

/** Options of {@link originMiddleware}. */
export interface OriginMiddlewareOptions extends OriginVerifierOptions {
  /**
   * `false` for routes that are public at the edge: a request without an assertion passes (with
   * `req.edgeAuth = null`); one with an assertion must still carry a valid one. Default `true`.
   */
  required?: boolean;
  /** The scheme the origin is reached with (default: `https` on a TLS socket, else `http`). */
  protocol?: "http" | "https";
}

/** What the middleware puts on the request: the verified identity, or `null` on a public route. */
export type EdgeAuth = Extract<OriginResult, { ok: true }> | null;

// Express handlers read `req.edgeAuth`: declared on Express's Request (merges with @types/express; harmless without).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified identity set by `originMiddleware`, or `null` on a route where it is not required. */
      edgeAuth?: EdgeAuth;
    }
  }
}

/**
 * @example
 * ```ts
 * import { originMiddleware } from "edge-jwt-authorizer/origin";
 * const jwksUri = "https://edge.example/.well-known/edge-jwt/jwks.json";
 * app.use(originMiddleware({ audience: "https://origin.example", jwksUri }));
 * app.get("/me", (req, res) => res.json({ sub: req.edgeAuth?.subject }));
 * ```
 */
export function originMiddleware(options: OriginMiddlewareOptions) {
  const verifier = createOriginVerifier(options);
  const required = options.required ?? true;
  return async (req: IncomingMessage & { edgeAuth?: EdgeAuth }, res: ServerResponse, next: (e?: unknown) => void) => {
    try {
      const scheme = options.protocol ?? ((req.socket as TLSSocket).encrypted ? "https" : "http");
      const url = `${scheme}://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
      const headers = { get: (name: string) => (req.headers[name] === undefined ? null : String(req.headers[name])) };
      const result = await verifier.verify({ method: req.method ?? "GET", url, headers });
      if (result.ok) {
        req.edgeAuth = result;
        return next();
      }
      if (!required && result.code === "assertion_missing") {
        req.edgeAuth = null;
        return next();
      }
      res.writeHead(401, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: "invalid_token", code: result.code }));
    } catch (e) {
      next(e);
    }
  };
}
