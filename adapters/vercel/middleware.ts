/**
 * The deployable Vercel middleware (`dist/vercel/middleware.js`): configured from `process.env`
 * (`JWT_ISSUER`, `JWT_AUDIENCE`, ... see the README), validated when the isolate loads it.
 */
import { createMiddleware } from "./create.js";

/** Authorizes every matched request; refusals never reach the origin. */
export default createMiddleware({ env: typeof process !== "undefined" ? process.env : {} });

/**
 * Which paths run the middleware: everything except static assets. Vercel and Next.js read this
 * statically, so a project that re-exports the middleware must write its own literal `config`.
 */
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt|sitemap.xml).*)"],
};
