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

/** Whether claims meet a rule (and, for protected routes, the globally required scopes). */
export function checkRule(
  rule: RouteRule | undefined,
  claims: Claims,
  issuer: IssuerConfig,
  requiredScopes: string[],
): PolicyResult {
  const scopes = gather(claims, issuer.claimPaths.scopes);
  const protectedRoute = (rule?.access ?? "protected") === "protected";
  const global: Requirement = { values: requiredScopes, match: "all" };
  if (protectedRoute && requiredScopes.length > 0 && !meets(scopes, global))
    return { ok: false, code: "insufficient_scope", needed: requiredScopes.join(" ") };
  if (!rule) return { ok: true };
  if (rule.scopes && !meets(scopes, rule.scopes))
    return { ok: false, code: "insufficient_scope", needed: rule.scopes.values.join(" ") };
  if (rule.roles && !meets(gather(claims, issuer.claimPaths.roles), rule.roles))
    return { ok: false, code: "forbidden_claims", needed: rule.roles.values.join(" ") };
  if (rule.permissions && !meets(gather(claims, issuer.claimPaths.permissions), rule.permissions))
    return { ok: false, code: "forbidden_claims", needed: rule.permissions.values.join(" ") };
  if (rule.claims && rule.claims.conditions.length > 0) {
    const held = rule.claims.conditions.map((c) => conditionHolds(claims, c));
    if (!(rule.claims.match === "any" ? held.some(Boolean) : held.every(Boolean)))
      return { ok: false, code: "forbidden_claims", needed: rule.claims.conditions.map((c) => c.claim).join(" ") };
  }
  return { ok: true };
}
