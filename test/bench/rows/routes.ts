/**
 * What the number of route rules costs `authorize(request)`: the same token (a verified-token cache hit,
 * so route matching is most of what is left) against 10 rules and against 1,000 rules, timed in
 * interleaved rounds. Both configurations hold the rule the request falls under (`/orders/:id`) and
 * distinct literal, `:param` and wildcard routes of the kinds a large API declares, so most of them rank
 * ahead of the matched rule. Requests are built before timing and cycled.
 */
import { compare, pairedRatio, round, sequential, type Measured, type Plan } from "../measure.js";
import { benchAuthorizer } from "./fresh.js";
import type { Fixtures } from "../setup.js";

export const FEW_RULES = 10;
export const MANY_RULES = 1_000;

export interface RouteRows {
  /** `authorize` with `FEW_RULES` rules. */
  few: Measured;
  /** `authorize` with `MANY_RULES` rules. */
  many: Measured;
  /** Cost of a request with `MANY_RULES` rules over one with `FEW_RULES` (median of per-round ratios). */
  manyOverFew: number;
}

/** Filler rule `i`: literal paths, `:param` patterns, method-scoped rules and wildcards, all distinct. */
function filler(i: number): Record<string, unknown> {
  const service = `/svc${i >> 2}`;
  switch (i % 4) {
    case 0:
      return { path: `${service}/items`, access: "protected", scopes: ["read"] };
    case 1:
      return { path: `${service}/items/:id`, methods: ["GET", "PUT"], scopes: ["write"] };
    case 2:
      return { path: `${service}/items/:id/notes/:note`, access: "protected", roles: ["reader"] };
    default:
      return { path: `${service}/admin/*`, scopes: ["admin"] };
  }
}

/** `JWT_CONFIG.routes` with `count` rules: a public health route, the matched rule, and fillers. */
export function routeRules(count: number): Array<Record<string, unknown>> {
  const fillers = Array.from({ length: count - 2 }, (_, i) => filler(i));
  const matched = { path: "/orders/:id", access: "protected", scopes: ["read"] };
  // The matched rule sits in the middle of the list, as it would in a real configuration.
  const middle = fillers.length >> 1;
  return [{ path: "/health", access: "public" }, ...fillers.slice(0, middle), matched, ...fillers.slice(middle)];
}

const REQUESTS = 256;
const WARM_UP = 2_000;

/** `authorize()` on the same token with few and with many rules. */
export async function routeRows(fx: Fixtures, plan: Plan): Promise<RouteRows> {
  const token = fx.tokens.ES256[0]!.token;
  const request = (path: string) =>
    new Request(`https://api.example.com${path}`, {
      headers: { authorization: `Bearer ${token}`, "user-agent": "bench", accept: "application/json" },
    });
  const requests = Array.from({ length: REQUESTS }, () => request("/orders/42?expand=items"));
  const few = await benchAuthorizer(fx, 1_000, undefined, { routes: routeRules(FEW_RULES) });
  const many = await benchAuthorizer(fx, 1_000, undefined, { routes: routeRules(MANY_RULES) });
  for (const [name, a] of [
    ["few", few],
    ["many", many],
  ] as const) {
    const d = await a.authorize(requests[0]!);
    if (!d.ok || d.reason !== "token") throw new Error(`authorize() with ${name} rules did not allow the request`);
    const wrong = await a.authorize(request("/svc0/admin/x"));
    if (wrong.ok) throw new Error(`authorize() with ${name} rules allowed a route that needs the admin scope`);
  }
  const at = (i: number) => requests[i % REQUESTS]!;
  // Warm both up well past calibration: a cold first round would be read as a cost of the rules.
  for (let i = 0; i < WARM_UP; i++) {
    await few.authorize(at(i));
    await many.authorize(at(i));
  }
  const rows = await compare(
    [
      { name: "few", batch: sequential((i) => few.authorize(at(i))) },
      { name: "many", batch: sequential((i) => many.authorize(at(i))) },
    ],
    plan,
  );
  return { few: rows.few!, many: rows.many!, manyOverFew: round(pairedRatio(rows.few!, rows.many!), 2) };
}
