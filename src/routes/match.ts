/**
 * Route matching: which rule a request falls under (most specific wins) for each method and path
 * reading it can be taken for, and which methods each rule decides.
 *
 * Precedence, most specific first: an exact path, then a pattern with `:params` (more literal segments
 * first), then a `/*` wildcard (longer prefix first); at equal paths, a rule naming methods beats one
 * that does not; then the earlier rule. A request path is read in every way a common origin reads it
 * (path-reading.ts), and the request falls under the rule of each reading; `/admin/*` also covers
 * `/admin`. A rule for GET also covers HEAD.
 *
 * Rules are compiled once into a tree of path segments (literal segments in lower case, one branch for
 * any `:param`), each rule at the node its path ends on with its place in the precedence order. A
 * reading walks down the tree one segment at a time, so matching costs what the path and the rules that
 * share its segments cost, not what the number of rules costs.
 * @module
 */
import { HTTP_METHODS, type RouteRule } from "../config/schema.js";
import { rulePath, type Segments } from "./path-reading.js";
import type { Targets } from "./targets.js";

/** A rule as matching uses it. */
interface Entry {
  rule: RouteRule;
  /** Place in the precedence order: the lower wins. */
  order: number;
  methods: readonly string[] | undefined;
  /** The segment index and name of each `:param`, in path order. */
  params: Array<[number, string]>;
}

/** The rules whose path (or wildcard prefix) is the segments leading to this node. */
interface Node {
  /** By literal segment, in lower case. */
  literal: Map<string, Node>;
  /** Any `:param` segment. */
  param: Node | undefined;
  /** Rules ending here, in precedence order. */
  exact: Entry[];
  /** `/*` rules whose prefix ends here, in precedence order. */
  wildcard: Entry[];
}

/** The rules of a configuration, compiled for matching. */
export interface CompiledRules {
  root: Node;
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

const node = (): Node => ({ literal: new Map(), param: undefined, exact: [], wildcard: [] });

export function compileRules(rules: RouteRule[]): CompiledRules {
  const ranked = rules.map((rule, index) => {
    const wildcard = rule.path.endsWith("/*");
    const written = rulePath(wildcard ? rule.path.slice(0, -2) || "/" : rule.path);
    const segments = written.map((s) => (isParam(s) ? s : s.toLowerCase()));
    const literal = segments.filter((s) => !isParam(s)).length;
    const kind = wildcard ? 1 : literal === segments.length ? 3 : 2;
    return { rule, segments, wildcard, rank: [kind, literal, segments.length, rule.methods ? 1 : 0, -index] };
  });
  ranked.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i]! - a.rank[i]!;
    return 0;
  });
  const root = node();
  ranked.forEach(({ rule, segments, wildcard }, order) => {
    let at = root;
    const params: Entry["params"] = [];
    segments.forEach((s, i) => {
      if (isParam(s)) {
        params.push([i, s.slice(1)]);
        at = at.param ??= node();
      } else {
        let next = at.literal.get(s);
        if (!next) at.literal.set(s, (next = node()));
        at = next;
      }
    });
    // Entries are added in precedence order, so every list stays in it.
    (wildcard ? at.wildcard : at.exact).push({ rule, order, methods: rule.methods, params });
  });
  return { root };
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The lists of rules a reading can fall under whatever the method: the wildcards of every node its
 * segments lead to, and the exact rules of the nodes the whole path leads to. Each segment follows at
 * most its literal branch and the `:param` branch of each node reached, and no node is reached twice,
 * so the walk visits only the nodes of rules that share the path's segments.
 */
function candidates(root: Node, parts: Segments): Entry[][] {
  const lists: Entry[][] = [];
  let level = [root];
  for (let i = 0; i < parts.length && level.length > 0; i++) {
    const segment = parts[i]!;
    const lower = segment.toLowerCase();
    const next: Node[] = [];
    for (const n of level) {
      if (n.wildcard.length > 0) lists.push(n.wildcard);
      const child = n.literal.get(lower);
      if (child) next.push(child);
      if (n.param && segment !== "") next.push(n.param);
    }
    level = next;
  }
  for (const n of level) {
    if (n.wildcard.length > 0) lists.push(n.wildcard);
    if (n.exact.length > 0) lists.push(n.exact);
  }
  return lists;
}

// Origins answer HEAD with their GET handler (RFC 9110 9.3.2), so a GET rule covers HEAD too.
const takes = (methods: readonly string[] | undefined, method: string): boolean =>
  !methods || methods.includes(method) || (method === "HEAD" && methods.includes("GET"));

/** The most specific rule among `lists` for a method, with its `:param` values in this reading. */
function matchRule(lists: Entry[][], method: string, parts: Segments): RuleMatch {
  let best: Entry | undefined;
  for (const list of lists)
    for (const e of list) {
      if (best && e.order >= best.order) break;
      if (takes(e.methods, method)) {
        best = e;
        break;
      }
    }
  if (!best) return { rule: undefined, params: NO_PARAMS };
  if (best.params.length === 0) return { rule: best.rule, params: NO_PARAMS };
  return { rule: best.rule, params: Object.fromEntries(best.params.map(([i, name]) => [name, parts[i]!])) };
}

const sameMatch = (a: RuleMatch, b: RuleMatch) =>
  a.rule === b.rule && (a.params === b.params || JSON.stringify(a.params) === JSON.stringify(b.params));

/**
 * Every rule a request falls under, one per method and path reading it can be taken for, without
 * repeats (a rule comes back once per distinct set of `:param` values), most authoritative reading
 * first; a match without a rule stands for "the default access".
 */
export function matchTargets(compiled: CompiledRules, targets: Targets): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const parts of targets.readings) {
    const lists = candidates(compiled.root, parts);
    for (const method of targets.methods) {
      const match = matchRule(lists, method, parts);
      if (!out.some((m) => sameMatch(m, match))) out.push(match);
    }
  }
  return out;
}

/**
 * The methods each rule really decides: those it names (every method when it names none), with HEAD
 * when it names GET (a GET rule covers HEAD), less those another rule at the same path outranks it for
 * (the precedence above: a rule naming methods beats one that does not; between two naming the same
 * method, the earlier; a rule that takes GET or HEAD takes HEAD). One pass over the rules.
 */
export function decidedMethods(rules: RouteRule[]): string[][] {
  const paths = rules.map((rule) => normalizePath(rule.path));
  /** Rules naming methods, by normalized path, in configuration order. */
  const naming = new Map<string, number[]>();
  rules.forEach((rule, j) => {
    if (!rule.methods) return;
    const same = naming.get(paths[j]!);
    if (same) same.push(j);
    else naming.set(paths[j]!, [j]);
  });
  return rules.map((rule, i) => {
    const outranked = new Set<string>();
    for (const j of naming.get(paths[i]!) ?? [])
      if (j !== i && (!rule.methods || j < i)) for (const m of rules[j]!.methods!) outranked.add(m);
    const named: readonly string[] = rule.methods ?? HTTP_METHODS;
    const methods = named.includes("GET") && !named.includes("HEAD") ? [...named, "HEAD"] : [...named];
    const headTaken = outranked.has("HEAD") || outranked.has("GET");
    return methods.filter((m) => !outranked.has(m) && !(m === "HEAD" && headTaken));
  });
}
