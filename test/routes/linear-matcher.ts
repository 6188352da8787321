// The linear route matcher as it was before matching was compiled, kept unchanged as the reference
// the compiled matcher is checked against (compiled-matcher.property.test.ts).
/**
 * Route matching: which rule a request falls under (most specific wins) for each method and path
 * reading it can be taken for, and which methods each rule decides.
 *
 * Precedence, most specific first: an exact path, then a pattern with `:params` (more literal segments
 * first), then a `/*` wildcard (longer prefix first); at equal paths, a rule naming methods beats one
 * that does not; then the earlier rule. A request path is read in every way a common origin reads it
 * (path-reading.ts), and the request falls under the rule of each reading; `/admin/*` also covers
 * `/admin`. A rule for GET also covers HEAD.
 * @module
 */
import { HTTP_METHODS, type RouteRule } from "../../src/config/schema.js";
import { rulePath, type Segments } from "../../src/routes/path-reading.js";
import type { Targets } from "../../src/routes/targets.js";

interface Compiled {
  rule: RouteRule;
  /** Literal segments in lower case; `:name` segments as written. */
  segments: string[];
  wildcard: boolean;
  rank: number[];
}

/** A rule a request falls under, with the values its `:params` take in that reading (case kept). */
export interface RuleMatch {
  /** `undefined`: no rule, the default access applies. */
  rule: RouteRule | undefined;
  params: Record<string, string>;
}

const isParam = (segment: string) => segment.startsWith(":");

/** A rule path as matching compares it: one reading (see path-reading.ts), joined with `/`, lower case. */
const normalizePath = (path: string): string => `/${rulePath(path).join("/").toLowerCase()}`;

export function compileRules(rules: RouteRule[]): Compiled[] {
  return rules
    .map((rule, index) => {
      const wildcard = rule.path.endsWith("/*");
      const written = rulePath(wildcard ? rule.path.slice(0, -2) || "/" : rule.path);
      const segments = written.map((s) => (isParam(s) ? s : s.toLowerCase()));
      const literal = segments.filter((s) => !isParam(s)).length;
      const kind = wildcard ? 1 : literal === segments.length ? 3 : 2;
      return { rule, segments, wildcard, rank: [kind, literal, segments.length, rule.methods ? 1 : 0, -index] };
    })
    .sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i]! - a.rank[i]!;
      return 0;
    });
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The most specific rule for a method and one reading of the path (`lower`: the same, lower case). */
function matchRule(compiled: Compiled[], method: string, parts: Segments, lower: Segments): RuleMatch {
  for (const c of compiled) {
    // Origins answer HEAD with their GET handler (RFC 9110 9.3.2), so a GET rule covers HEAD too.
    const methods = c.rule.methods;
    if (methods && !methods.includes(method) && !(method === "HEAD" && methods.includes("GET"))) continue;
    if (c.wildcard ? parts.length < c.segments.length : parts.length !== c.segments.length) continue;
    if (!c.segments.every((s, i) => (isParam(s) ? parts[i] !== "" : s === lower[i]))) continue;
    let params = NO_PARAMS;
    c.segments.forEach((s, i) => {
      if (isParam(s)) params = { ...params, [s.slice(1)]: parts[i]! };
    });
    return { rule: c.rule, params };
  }
  return { rule: undefined, params: NO_PARAMS };
}

const sameMatch = (a: RuleMatch, b: RuleMatch) =>
  a.rule === b.rule && (a.params === b.params || JSON.stringify(a.params) === JSON.stringify(b.params));

/**
 * Every rule a request falls under, one per method and path reading it can be taken for, without
 * repeats (a rule comes back once per distinct set of `:param` values), most authoritative reading
 * first; a match without a rule stands for "the default access".
 */
export function matchTargets(compiled: Compiled[], targets: Targets): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const parts of targets.readings) {
    const lower = parts.map((s) => s.toLowerCase());
    for (const method of targets.methods) {
      const match = matchRule(compiled, method, parts, lower);
      if (!out.some((m) => sameMatch(m, match))) out.push(match);
    }
  }
  return out;
}

/**
 * The methods for which another rule at the same path outranks rule `index` (the precedence above:
 * a rule naming methods beats one that does not; between two naming the same method, the earlier).
 */
function outrankedMethods(rules: RouteRule[], index: number): string[] {
  const rule = rules[index]!;
  const path = normalizePath(rule.path);
  const out = new Set<string>();
  rules.forEach((other, j) => {
    if (j === index || !other.methods || normalizePath(other.path) !== path) return;
    if (!rule.methods || j < index) for (const m of other.methods) out.add(m);
  });
  return [...out];
}

/**
 * The methods rule `index` really decides: those it names (every method when it names none), with
 * HEAD when it names GET (a GET rule covers HEAD), less those that a rule at the same path outranks it
 * for (`outrankedMethods`; a rule that takes GET or HEAD takes HEAD).
 */
export function effectiveMethods(rules: RouteRule[], index: number): string[] {
  const outranked = outrankedMethods(rules, index);
  const named: readonly string[] = rules[index]!.methods ?? HTTP_METHODS;
  const methods = named.includes("GET") && !named.includes("HEAD") ? [...named, "HEAD"] : [...named];
  const headTaken = outranked.includes("HEAD") || outranked.includes("GET");
  return methods.filter((m) => !outranked.includes(m) && !(m === "HEAD" && headTaken));
}
