/** The origin verifier as Hono middleware: the verified identity on `c.get("edgeAuth")`, or 401 JSON. */
import type { MiddlewareHandler } from "hono";
import { createOriginVerifier, type OriginResult, type OriginVerifierOptions } from "../../src/assertion/verify.js";

/** The Hono `Env` of an origin app: `new Hono<EdgeAuthEnv>()`. */
export type EdgeAuthEnv = { Variables: { edgeAuth: Extract<OriginResult, { ok: true }> | null } };

/**
 * @example
 * ```ts
 * import { assertionMiddleware } from "edge-jwt-authorizer/origin";
 * app.use("/api/*", assertionMiddleware({ audience: "https://origin.example", jwks }));
 * app.get("/api/me", (c) => c.json({ sub: c.get("edgeAuth")?.subject }));
 * ```
 */
export function assertionMiddleware(
  options: OriginVerifierOptions & { required?: boolean },
): MiddlewareHandler<EdgeAuthEnv> {
  const verifier = createOriginVerifier(options);
  const required = options.required ?? true;
  return async (c, next) => {
    const result = await verifier.verify(c.req.raw);
    if (!result.ok && !(result.code === "assertion_missing" && !required))
      return c.json({ error: "invalid_token", code: result.code }, 401, { "cache-control": "no-store" });
    c.set("edgeAuth", result.ok ? result : null);
    await next();
  };
}
