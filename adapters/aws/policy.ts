/**
 * IAM policy documents for API Gateway Lambda authorizers, built so that a cached policy stays correct
 * for every route of the stage. The design (see README, "How the policy is built"):
 * - `defaultAllowed`: Allow `…/<stage>/*\/*`; otherwise Allow only the route rules the token satisfies.
 * - Deny every route rule the token does not satisfy (an explicit Deny beats any Allow).
 * - IAM's `*` also matches `/`, so a `:param` Allow gets guard Denies for deeper paths, rules for every
 *   method list the seven methods instead of `*`, and the result is checked against the current route:
 *   if it does not give the core's answer, the policy shrinks to the current route's ARN alone.
 */
import { outrankedMethods, type RouteEntitlement, type RouteRule } from "../../src/index.js";

/** An IAM policy document as API Gateway reads it. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{ Effect: "Allow" | "Deny"; Action: "execute-api:Invoke"; Resource: string[] }>;
}

/** The methods API Gateway puts in a method ARN (an `ANY` method arrives as the real verb). */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>` of a method or route ARN, or null. */
export function stageArn(arn: string): string | null {
  const m = /^(arn:[a-z-]+:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[^/]+)\/[A-Z*]+\//.exec(arn);
  return m?.[1] ?? null;
}

/**
 * Resource patterns for one rule: `:param` → `*`; `/x/*` → `x` and `x/*`; an exact path also with a
 * trailing `/` (the core ignores it); every listed method, or the seven methods for "all methods".
 * With `guards`, the patterns where one parameter would swallow a `/` (deeper paths than the rule's).
 */
export function ruleResources(stage: string, rule: Pick<RouteEntitlement, "methods" | "path">, guards = false, methods = rule.methods.length > 0 ? rule.methods : METHODS): string[] {
  const wildcard = rule.path.endsWith("/*");
  const segments = (wildcard ? rule.path.slice(0, -2) : rule.path).replace(/^\//, "").split("/").filter(Boolean).map((s) => (s.startsWith(":") ? "*" : s));
  const path = segments.join("/");
  let paths = wildcard ? (path ? [path, `${path}/*`] : ["", "*"]) : path ? [path, `${path}/`] : [""];
  if (guards) paths = wildcard ? [] : segments.flatMap((s, i) => (s === "*" ? [segments.map((t, j) => (j === i ? "*/*" : t)).join("/")] : []));
  return methods.flatMap((m) => paths.map((p) => `${stage}/${m}/${p}`));
}

/** The methods rule `i` really decides: the core says which ones a more specific rule takes over. */
function effectiveMethods(routes: RouteRule[], rule: RouteEntitlement, i: number): string[] {
  const outranked = outrankedMethods(routes, i);
  return (rule.methods.length > 0 ? rule.methods : METHODS).filter((m) => !outranked.includes(m));
}

/**
 * The policy for a verified token: `rules` and `defaultAllowed` from `authorizer.entitlements(claims)`,
 * `allowed` the core's answer for the current request, `arn` its method or route ARN, `routes` the
 * configured route rules (in the same order as the entitlements).
 */
export function entitlementPolicy(arn: string, entitlements: { rules: RouteEntitlement[]; defaultAllowed: boolean }, allowed: boolean, routes: RouteRule[]): PolicyDocument {
  const stage = stageArn(arn);
  if (!stage) return single(allowed ? "Allow" : "Deny", arn);
  const { rules } = entitlements;
  const resources = (allowed: boolean, guards = false) => rules.flatMap((r, i) => (r.allowed === allowed ? ruleResources(stage, r, guards, effectiveMethods(routes, r, i)) : []));
  const allow = entitlements.defaultAllowed ? [`${stage}/*/*`] : resources(true);
  const deny = resources(false);
  if (!entitlements.defaultAllowed) deny.push(...resources(true, true));
  if (!allowed) deny.push(arn);
  const policy = document(allow, deny);
  return evaluate(policy, arn) === allowed ? policy : single(allowed ? "Allow" : "Deny", arn);
}

/** A policy with one statement on one resource (e.g. Deny the method ARN, or Allow the whole stage). */
export function single(effect: "Allow" | "Deny", resource: string): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: effect, Action: "execute-api:Invoke", Resource: [resource] }] };
}

function document(allow: string[], deny: string[]): PolicyDocument {
  const policy: PolicyDocument = { Version: "2012-10-17", Statement: [] };
  if (allow.length) policy.Statement.push({ Effect: "Allow", Action: "execute-api:Invoke", Resource: [...new Set(allow)] });
  if (deny.length) policy.Statement.push({ Effect: "Deny", Action: "execute-api:Invoke", Resource: [...new Set(deny)] });
  return policy;
}

/** IAM evaluation of `policy` for one ARN: explicit Deny wins, then Allow, else (implicit) deny. */
export function evaluate(policy: PolicyDocument, arn: string): boolean {
  const hit = (effect: string) => policy.Statement.some((s) => s.Effect === effect && s.Resource.some((r) => glob(r).test(arn)));
  return !hit("Deny") && hit("Allow");
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}
