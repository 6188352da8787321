/** The route rules (JWT_CONFIG.routes) of the sample API used by the handler and cached-policy tests. */
export const ROUTES = [
  { path: "/health", access: "public" },
  { path: "/admin/*", scopes: ["admin"] },
  { path: "/orders/:id", methods: ["DELETE"], scopes: ["orders:write"] },
  { path: "/orders/:id", scopes: ["orders:read"] },
  { path: "/reports", methods: ["GET"], roles: ["analyst"] },
];
