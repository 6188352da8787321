/**
 * Framework-less Vercel middleware: every matched request needs a valid bearer token; the origin gets
 * the verified identity as `x-auth-sub`, `x-auth-iss`, `x-auth-claims`. Configured from the project's
 * environment variables (JWT_ISSUER, JWT_AUDIENCE, ...); see README.md.
 */
import { createMiddleware } from "edge-jwt-authorizer/vercel";

export default createMiddleware();

// Vercel reads `config` statically from this file: it must be a literal here, not an import.
export const config = {
  matcher: ["/api/:path*", "/.well-known/oauth-protected-resource"],
};
