/**
 * Which route rules a verified token satisfies, rule by rule, for hosts whose answer is cached across
 * routes (API Gateway policies): the methods each rule decides are worked out once, at creation.
 * @module
 */
import type { Access, AuthorizerConfig } from "../config/schema.js";
import type { Claims } from "../jwt/claims.js";
import { decidedMethods } from "./match.js";
import { bindsParams, checkRule } from "./requirements.js";

/** One route rule and whether a verified token satisfies it (for API Gateway policies). */
export interface RouteEntitlement {
  /**
   * The methods this rule decides: those it names (every method when none; GET also decides HEAD),
   * less those a rule at the same path outranks it for.
   */
  methods: string[];
  /** The rule's path pattern (`/admin/*`, `/orders/:id`). */
  path: string;
  access: Access;
  allowed: boolean;
  /** The rule compares claims with its path's parameters: it is answered per request, never across paths. */
  pathBound?: true;
}

export type Entitlements = (claims: Claims) => { rules: RouteEntitlement[]; defaultAllowed: boolean };

/** The entitlements of a configuration, as a function of verified claims. */
export function entitlementsOf(config: AuthorizerConfig): Entitlements {
  const decided = decidedMethods(config.routes);
  const bound = config.routes.map(bindsParams);
  return (claims) => {
    const issuer = config.issuers.find((i) => i.issuer === claims.iss) ?? config.issuers[0]!;
    const rules = config.routes.map((rule, i) => ({
      methods: decided[i]!,
      path: rule.path,
      access: rule.access,
      // A rule bound to path parameters has no answer for the token alone: never allowed across paths.
      allowed: rule.access === "public" || (!bound[i] && checkRule(rule, claims, issuer, config.requiredScopes).ok),
      ...(bound[i] ? { pathBound: true as const } : {}),
    }));
    const defaultAllowed =
      config.defaultAccess !== "protected" || checkRule(undefined, claims, issuer, config.requiredScopes).ok;
    return { rules, defaultAllowed };
  };
}
