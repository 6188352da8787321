/**
 * Route rules: which rule a request falls under (most specific wins), and whether verified claims meet
 * its scopes, roles, permissions and claim conditions.
 *
 * Precedence, most specific first: an exact path, then a pattern with `:params` (more literal segments
 * first), then a `/*` wildcard (longer prefix first); at equal paths, a rule naming methods beats one
 * that does not; then the earlier rule. Paths match case-insensitively, after percent-decoding
 * (`%2F` and `%5C` count as `/`), with `;parameters` dropped, repeated slashes merged and a trailing
 * slash ignored; `/admin/*` also covers `/admin`. A rule for GET also covers HEAD. Each choice takes
 * the reading under which a request falls under the more specific rule, so no origin's way of reading
 * a path lets a request dodge a rule.
 * @module
 */
import type { Claims, IssuerConfig, Requirement, RouteRule } from "./types.js";
import type { ReasonCode } from "./errors.js";
import { conditionHolds, stringsAt } from "./claim-path.js";

interface Compiled {
  rule: RouteRule;
  segments: string[];
  wildcard: boolean;
  rank: number[];
}

/** Normalises a request path for matching. */
export function normalizePath(pathname: string): string {
  // Path parameters (`/admin;jsessionid=x/users`) are dropped, as Tomcat and Spring do.
  const decoded = pathname.replace(/;[^/]*/g, "").replace(/%([0-9a-fA-F]{2})/g, (m, hex: string) => {
    const c = parseInt(hex, 16);
    // An encoded slash or backslash counts as a separator: some origins decode it, and matching
    // the stricter reading means `/admin%2Fusers` can never dodge `/admin/*`.
    if (c === 0x2f || c === 0x5c) return "/";
    return c < 0x20 || c > 0x7e ? m.toLowerCase() : String.fromCharCode(c);
  });
  // Repeated slashes are merged, as nginx and many frameworks do, so `//admin` cannot dodge `/admin/*`.
  const lower = decoded.toLowerCase().replace(/\/{2,}/g, "/");
  return lower.length > 1 && lower.endsWith("/") ? lower.slice(0, -1) : lower;
}

export function compileRules(rules: RouteRule[]): Compiled[] {
  return rules
    .map((rule, index) => {
      const wildcard = rule.path.endsWith("/*");
      const base = normalizePath(wildcard ? rule.path.slice(0, -2) || "/" : rule.path);
      const segments = base === "/" ? [] : base.slice(1).split("/");
      const literal = segments.filter((s) => !s.startsWith(":")).length;
      const kind = wildcard ? 1 : literal === segments.length ? 3 : 2;
      return { rule, segments, wildcard, rank: [kind, literal, segments.length, rule.methods ? 1 : 0, -index] };
    })
    .sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i]! - a.rank[i]!;
      return 0;
    });
}

/** The most specific rule for a method and path, or undefined. */
export function matchRule(compiled: Compiled[], method: string, pathname: string): RouteRule | undefined {
  const path = normalizePath(pathname);
  const parts = path === "/" ? [] : path.slice(1).split("/");
  for (const c of compiled) {
    // Origins answer HEAD with their GET handler (RFC 9110 9.3.2), so a GET rule covers HEAD too.
    if (c.rule.methods && !c.rule.methods.includes(method) && !(method === "HEAD" && c.rule.methods.includes("GET"))) continue;
    if (c.wildcard ? parts.length < c.segments.length : parts.length !== c.segments.length) continue;
    if (c.segments.every((s, i) => s.startsWith(":") ? parts[i] !== "" : s === parts[i])) return c.rule;
  }
  return undefined;
}

/**
 * The methods for which another rule at the same path outranks rule `index` (the precedence above:
 * a rule naming methods beats one that does not; between two naming the same method, the earlier).
 */
export function outrankedMethods(rules: RouteRule[], index: number): string[] {
  const rule = rules[index]!;
  const path = normalizePath(rule.path);
  const out = new Set<string>();
  rules.forEach((other, j) => {
    if (j === index || !other.methods || normalizePath(other.path) !== path) return;
    if (!rule.methods || j < index) for (const m of other.methods) out.add(m);
  });
  return [...out];
}

export type PolicyResult = { ok: true } | { ok: false; code: Extract<ReasonCode, "insufficient_scope" | "forbidden_claims">; needed: string };

const meets = (have: string[], need: Requirement): boolean =>
  need.match === "any" ? need.values.some((v) => have.includes(v)) : need.values.every((v) => have.includes(v));

const gather = (claims: Claims, paths: string[]): string[] => paths.flatMap((p) => stringsAt(claims, p));

/** Whether claims meet a rule (and, for protected routes, the globally required scopes). */
export function checkRule(rule: RouteRule | undefined, claims: Claims, issuer: IssuerConfig, requiredScopes: string[]): PolicyResult {
  const scopes = gather(claims, issuer.claimPaths.scopes);
  const protectedRoute = (rule?.access ?? "protected") === "protected";
  const global: Requirement = { values: requiredScopes, match: "all" };
  if (protectedRoute && requiredScopes.length > 0 && !meets(scopes, global)) return { ok: false, code: "insufficient_scope", needed: requiredScopes.join(" ") };
  if (!rule) return { ok: true };
  if (rule.scopes && !meets(scopes, rule.scopes)) return { ok: false, code: "insufficient_scope", needed: rule.scopes.values.join(" ") };
  if (rule.roles && !meets(gather(claims, issuer.claimPaths.roles), rule.roles)) return { ok: false, code: "forbidden_claims", needed: rule.roles.values.join(" ") };
  if (rule.permissions && !meets(gather(claims, issuer.claimPaths.permissions), rule.permissions)) return { ok: false, code: "forbidden_claims", needed: rule.permissions.values.join(" ") };
  if (rule.claims && rule.claims.conditions.length > 0) {
    const held = rule.claims.conditions.map((c) => conditionHolds(claims, c));
    if (!(rule.claims.match === "any" ? held.some(Boolean) : held.every(Boolean))) return { ok: false, code: "forbidden_claims", needed: rule.claims.conditions.map((c) => c.claim).join(" ") };
  }
  return { ok: true };
}
