/**
 * Route requirements: whether verified claims meet a rule's scopes, roles, permissions and claim
 * conditions (and, on protected routes, the globally required scopes).
 * @module
 */
import type { IssuerConfig, Requirement, RouteRule } from "../config/schema.js";
import type { Claims } from "../jwt/claims.js";
import type { ReasonCode } from "../errors.js";
import { conditionHolds, stringsAt } from "../jwt/claim-path.js";

export type PolicyResult =
  { ok: true } | { ok: false; code: Extract<ReasonCode, "insufficient_scope" | "forbidden_claims">; needed: string };

const meets = (have: string[], need: Requirement): boolean =>
  need.match === "any" ? need.values.some((v) => have.includes(v)) : need.values.every((v) => have.includes(v));

const gather = (claims: Claims, paths: string[]): string[] => paths.flatMap((p) => stringsAt(claims, p));

/** The scopes verified claims hold, read where the issuer keeps them (`scope`, `scp`, or its `scopesClaim`). */
export const scopesOf = (claims: Claims, issuer: IssuerConfig): string[] => gather(claims, issuer.claimPaths.scopes);

/**
 * Whether claims meet a rule (and, for protected routes, the globally required scopes). `params` are the
 * `:param` values of the path reading the rule was matched in, for `equalsParam` / `containsParam`.
 */
export function checkRule(
  rule: RouteRule | undefined,
  claims: Claims,
  issuer: IssuerConfig,
  requiredScopes: string[],
  params: Record<string, string> = {},
  scopes: () => string[] = () => scopesOf(claims, issuer),
): PolicyResult {
  // `scopes`: the token's scopes, gathered only when something asks (by the caller, once per token).
  const protectedRoute = (rule?.access ?? "protected") === "protected";
  if (protectedRoute && requiredScopes.length > 0 && !meets(scopes(), { values: requiredScopes, match: "all" }))
    return { ok: false, code: "insufficient_scope", needed: requiredScopes.join(" ") };
  if (!rule) return { ok: true };
  if (rule.scopes && !meets(scopes(), rule.scopes))
    return { ok: false, code: "insufficient_scope", needed: rule.scopes.values.join(" ") };
  if (rule.roles && !meets(gather(claims, issuer.claimPaths.roles), rule.roles))
    return { ok: false, code: "forbidden_claims", needed: rule.roles.values.join(" ") };
  if (rule.permissions && !meets(gather(claims, issuer.claimPaths.permissions), rule.permissions))
    return { ok: false, code: "forbidden_claims", needed: rule.permissions.values.join(" ") };
  if (rule.claims && rule.claims.conditions.length > 0) {
    const held = rule.claims.conditions.map((c) => conditionHolds(claims, c, params));
    if (!(rule.claims.match === "any" ? held.some(Boolean) : held.every(Boolean)))
      return { ok: false, code: "forbidden_claims", needed: rule.claims.conditions.map((c) => c.claim).join(" ") };
  }
  return { ok: true };
}

/** Whether a rule compares claims with its path's parameters (its answer differs per path, not per token). */
export const bindsParams = (rule: RouteRule | undefined): boolean =>
  rule?.claims?.conditions.some((c) => c.equalsParam !== undefined || c.containsParam !== undefined) ?? false;

/**
 * The path bindings of the matched rules that hold for these claims, as the origin may log them:
 * `org_id equals :org`, `orgs contains :org`.
 */
export function bindingsHeld(
  matches: Array<{ rule: RouteRule; params: Record<string, string> }>,
  claims: Claims,
): string[] {
  const out = new Set<string>();
  for (const { rule, params } of matches) {
    for (const c of rule.claims?.conditions ?? []) {
      const param = c.equalsParam ?? c.containsParam;
      if (param === undefined || !conditionHolds(claims, c, params)) continue;
      out.add(`${c.claim} ${c.equalsParam !== undefined ? "equals" : "contains"} :${param}`);
    }
  }
  return [...out];
}
