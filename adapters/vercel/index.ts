/**
 * `edge-jwt-authorizer/vercel`: the authorizer as Vercel edge middleware (framework-less projects,
 * Next.js `middleware.ts`, Next 16 `proxy.ts`).
 *
 * @example
 * ```ts
 * // middleware.ts
 * import { createMiddleware } from "edge-jwt-authorizer/vercel";
 * export default createMiddleware(); // JWT_* from process.env
 * export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
 * ```
 * @module
 */
export { createMiddleware } from "./create.js";
export type { VercelEvent, VercelMiddleware, VercelMiddlewareOptions } from "./create.js";
