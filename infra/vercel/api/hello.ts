/**
 * An example protected function. It does NOT rely on the middleware alone.
 *
 * Why: middleware is a front door, not a lock on every room. In Next.js CVE-2025-29927 a single
 * request header (`x-middleware-subrequest`) made Next.js skip middleware entirely, so every app whose
 * only check was its middleware served protected data to anyone. A function can also be reached by a
 * path the matcher does not cover, or by a later change to the matcher. So the function checks the
 * identity itself; the plain `x-auth-*` headers are a convenience, never the proof:
 * - with `JWT_ASSERTION_KEY` set (the same project variable the middleware signs with), it verifies the
 *   signed `x-auth-assertion` the middleware forwarded: bound to this method and URL, used once;
 * - without it, it verifies the bearer token again (the JWKS is cached per instance, so this is cheap).
 */
import { configFromEnv, createAuthorizer, parseAssertionKeys, refusalResponse } from "edge-jwt-authorizer";
import { createOriginVerifier, type OriginVerifier } from "edge-jwt-authorizer/origin";

// Created once per function instance; key caches and the replay memory are reused across invocations.
const authorizer = createAuthorizer(configFromEnv(process.env));
const keys = parseAssertionKeys(process.env.JWT_ASSERTION_KEY);
const verifiers = new Map<string, OriginVerifier>();

/** The assertion verifier for this deployment's origin (the `aud` the middleware gives it). */
function originVerifier(request: Request): OriginVerifier {
  const origin = new URL(request.url).origin;
  let verifier = verifiers.get(origin);
  if (!verifier) verifiers.set(origin, (verifier = createOriginVerifier({ audience: origin, jwks: keys!.jwks })));
  return verifier;
}

/** GET /api/hello: greets the verified subject. */
export async function GET(request: Request): Promise<Response> {
  const noStore = { headers: { "cache-control": "private, no-store" } };
  if (keys) {
    const result = await originVerifier(request).verify(request);
    if (!result.ok) return Response.json({ error: "invalid_token", code: result.code }, { status: 401, ...noStore });
    return Response.json({ hello: result.subject ?? null, issuer: result.assertion.token_iss ?? null }, noStore);
  }
  const decision = await authorizer.authorize(request);
  if (!decision.ok) return refusalResponse(decision);
  return Response.json({ hello: decision.subject ?? null, issuer: decision.issuer ?? null }, noStore);
}
