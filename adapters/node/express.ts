/**
 * The authorizer as Node middleware `(req, res, next)` for Express, Connect, Fastify's middie, or a plain
 * `node:http` server: the core decides, refusals are its status, `WWW-Authenticate` and JSON body, and
 * an allowed request continues with `req.auth` (the decision). Signatures are checked with `node:crypto`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { authorizerSource, refusalResponse, type Allowed, type AuthorizerOptions } from "../../src/index.js";
import { nodeVerifySignature } from "./verify.js";

/** Options of {@link nodeAuthorizer}: the one adapter rule (`authorizer` | `config` | `env`, `deps`). */
export interface NodeAuthorizerOptions extends AuthorizerOptions {
  /** The scheme clients used (default: `https` on a TLS socket, else `http`); behind a TLS proxy, `https`. */
  protocol?: "http" | "https";
}

/** The request as the middleware leaves it: `req.auth` holds the allowed decision. */
export type AuthorizedRequest = IncomingMessage & { auth?: Allowed };

// Express handlers read `req.auth`: declared on Express's Request (merges with @types/express; harmless without).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The allowed decision, set by `nodeAuthorizer`. */
      auth?: Allowed;
    }
  }
}

/** A standard `Request` for the core: method, URL and headers (the body plays no part in the decision). */
export function toWebRequest(req: IncomingMessage, protocol?: "http" | "https"): Request {
  const scheme = protocol ?? ((req.socket as TLSSocket | undefined)?.encrypted ? "https" : "http");
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Request(`${scheme}://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
  });
}

/**
 * @example
 * ```ts
 * import express from "express";
 * import { nodeAuthorizer } from "edge-jwt-authorizer/node";
 * const app = express();
 * app.use(nodeAuthorizer({ env: process.env }));
 * app.get("/me", (req, res) => res.json({ sub: req.auth?.subject }));
 * ```
 */
export function nodeAuthorizer(options: NodeAuthorizerOptions = {}) {
  const given = options.authorizer ?? options.config ?? options.env;
  const source = given ? options : { ...options, env: process.env };
  const authorizer = authorizerSource(source, "nodeAuthorizer", () => ({ verifySignature: nodeVerifySignature }))();
  return async (req: AuthorizedRequest, res: ServerResponse, next: (error?: unknown) => void): Promise<void> => {
    try {
      const decision = await authorizer.authorize(toWebRequest(req, options.protocol));
      if (decision.ok) {
        req.auth = decision;
        return next();
      }
      const response = refusalResponse(decision);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    } catch (error) {
      next(error);
    }
  };
}
