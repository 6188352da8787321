/**
 * The whole-request attacks every HTTP door (the Worker in workerd, the Vercel middleware in
 * edge-runtime, the Hono middleware) must refuse the same way: the path readings, `%2F` inside a
 * `:param`, method and URL overrides. Expected answers are spelled out here, not derived from the code.
 */
import type { TestIssuer } from "./issuer.js";

/** A public area, an optional area, an admin area, a DELETE rule on a :param, and a public default. */
export const ROUTES = [
  { path: "/public/*", access: "public" },
  { path: "/docs/*", access: "optional" },
  { path: "/admin/*", roles: ["admin"] },
  { path: "/orders/:id", methods: ["DELETE"], scopes: ["orders:delete"] },
];

/** The configuration the table assumes; credentials are stripped before forwarding. */
export const wholeRequestEnv = (issuer: TestIssuer): Record<string, string> => ({
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: "api",
  JWT_CONFIG: JSON.stringify({
    defaultAccess: "public",
    routes: ROUTES,
    identity: { stripAuthorization: true },
    tokenSources: { query: "access_token", cookie: "session" },
  }),
});

export interface Attack {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
}

/** Anonymous requests that some origin takes for a protected route: each is 401 `token_missing`. */
export const ATTACKS: Attack[] = [
  ...[
    "/public/..;/admin/users",
    "/public/..%2Fadmin/users",
    "/public/..%5Cadmin/users",
    "/public/%2e%2e%2fadmin/users",
    "/public/..%252fadmin/users",
    "/public/..%3B/admin/users",
    "/docs/..%2Fadmin/users",
    "/PUBLIC/..%2FADMIN/users",
  ].map((path) => ({ name: `a dot-segment after normalisation: GET ${path}`, method: "GET", path })),
  { name: "%2F inside a :param: DELETE /orders/42%2Fx", method: "DELETE", path: "/orders/42%2Fx" },
  {
    name: "X-HTTP-Method-Override: DELETE on a POST",
    method: "POST",
    path: "/orders/42",
    headers: { "x-http-method-override": "DELETE" },
  },
  { name: "a _method=DELETE query parameter on a POST", method: "POST", path: "/orders/42?_method=DELETE" },
  {
    name: "X-Original-URL: /admin/users on a public path",
    method: "GET",
    path: "/public/x",
    headers: { "x-original-url": "/admin/users" },
  },
  {
    name: "X-Rewrite-URL: /admin/users on a public path",
    method: "GET",
    path: "/public/x",
    headers: { "x-rewrite-url": "/admin/users" },
  },
];

/** The refusal every attack gets. */
export const REFUSAL = {
  status: 401,
  body: { error: "invalid_request", code: "token_missing" },
  wwwAuthenticate: 'Bearer realm="api"',
};

/** Identity headers in spellings that CGI, PHP-FPM or Rack read as `x-auth-*`. */
export const SPOOFED = {
  x_auth_sub: "admin",
  X_AUTH_ROLES: "admin",
  "x-auth_claims": "forged",
  "X.Auth.Iss": "https://evil.example",
};

/** Override headers that must never reach the origin. */
export const OVERRIDES = {
  "x-http-method-override": "GET",
  "x-http-method": "GET",
  "x-method-override": "GET",
  "x-original-url": "/public/x",
  "x-rewrite-url": "/public/x",
};
