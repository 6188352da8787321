/**
 * An example protected function. It does NOT rely on the middleware alone: it verifies the bearer
 * token again with the same configuration before answering.
 *
 * Why: middleware is a front door, not a lock on every room. In Next.js CVE-2025-29927 a single
 * request header (`x-middleware-subrequest`) made Next.js skip middleware entirely, so every app whose
 * only check was its middleware served protected data to anyone. A function can also be reached by a
 * path the matcher does not cover, or by a later change to the matcher. So the origin checks identity
 * itself: here by re-verifying the token (the JWKS is cached per instance, so this is cheap); the
 * `x-auth-*` headers are a convenience, never the proof.
 */
import { configFromEnv, createAuthorizer, refusalResponse } from "edge-jwt-authorizer";

// Created once per function instance; its key cache is reused across invocations.
const authorizer = createAuthorizer(configFromEnv(process.env));

/** GET /api/hello: greets the verified subject. */
export async function GET(request: Request): Promise<Response> {
  const decision = await authorizer.authorize(request);
  if (!decision.ok) return refusalResponse(decision);
  return Response.json(
    { hello: decision.subject ?? null, issuer: decision.issuer ?? null },
    { headers: { "cache-control": "private, no-store" } },
  );
}
