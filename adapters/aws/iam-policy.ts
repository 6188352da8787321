/**
 * IAM policy documents for API Gateway Lambda authorizers, built so that a cached policy stays correct
 * for every route of the stage. The design (see README, "How the policy is built"):
 * - `defaultAllowed`: Allow `…/<stage>/*\/*`; otherwise Allow only the route rules the token satisfies.
 * - Deny every route rule the token does not satisfy (an explicit Deny beats any Allow).
 * - IAM's `*` also matches `/`, so a `:param` Allow gets guard Denies for deeper paths, rules for every
 *   method list the seven methods instead of `*`, and the result is checked against the current route:
 *   if it does not give the core's answer, the policy shrinks to the current route's ARN alone.
 * - A path that can be read more than one way (see {@link AMBIGUOUS}) is denied by every broad policy,
 *   because IAM compares ARNs literally while the core and the origins do not.
 */
import type { RouteEntitlement } from "../../src/index.js";

/** An IAM policy document as API Gateway reads it. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{ Effect: "Allow" | "Deny"; Action: "execute-api:Invoke"; Resource: string[] }>;
}

/**
 * The one list of path markers the Lambda authorizer refuses: with any of them a path has more than
 * one reading (`;params` dropped or not, `%2F`/`%5C` a separator or not, `%25` decoded once or twice,
 * dot segments resolved or not, `//` merged or not), but IAM matches the ARN literally, so no cached
 * policy can judge it. `substrings` may occur anywhere in the path; `segments` are whole segments.
 * The handler refuses such a path directly ({@link ambiguousPath}), and every broad policy denies it
 * ({@link ambiguousResources}): both read this list.
 */
export const AMBIGUOUS = {
  substrings: [";", "%2F", "%2f", "%5C", "%5c", "%3B", "%3b", "%25", "%2E", "%2e", "\\", "//"],
  segments: [".", ".."],
} as const;

/** Whether `path` (`/admin;x/users`, as in the method ARN after the verb) contains a marker of {@link AMBIGUOUS}. */
export function ambiguousPath(path: string): boolean {
  if (AMBIGUOUS.substrings.some((s) => path.includes(s))) return true;
  return path
    .split("/")
    .slice(1)
    .some((s) => (AMBIGUOUS.segments as readonly string[]).includes(s));
}

/**
 * Deny resources matching exactly the method ARNs `S/<VERB>/<path>` whose path holds a marker: the stage
 * ARN and the verb never contain one, so `S/*;*` can only match a `;` in the path; a segment marker
 * `.` is `S/*\/./*` (inside) or `S/*\/.` (last).
 */
export function ambiguousResources(stage: string): string[] {
  return [
    ...AMBIGUOUS.substrings.map((s) => `${stage}/*${s}*`),
    ...AMBIGUOUS.segments.flatMap((s) => [`${stage}/*/${s}/*`, `${stage}/*/${s}`]),
  ];
}

/** A method or route ARN read without regular expressions over the path: stage ARN, verb and path. */
export function parseArn(arn: string): { stage: string; verb: string; path: string } | null {
  const first = arn.indexOf("/");
  const second = first < 0 ? -1 : arn.indexOf("/", first + 1);
  if (second < 0) return null;
  const head = arn.slice(0, first);
  const stage = arn.slice(first + 1, second);
  const third = arn.indexOf("/", second + 1);
  const verb = third < 0 ? arn.slice(second + 1) : arn.slice(second + 1, third);
  // The head (before the first "/") is API Gateway's own text; the request path is never matched by a regex.
  if (!/^arn:[a-z-]+:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+$/.test(head) || !stage || !/^[A-Z]{1,16}$/.test(verb))
    return null;
  return { stage: `${head}/${stage}`, verb, path: third < 0 ? "/" : arn.slice(third) };
}

/** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>` of a method or route ARN, or null. */
export function stageArn(arn: string): string | null {
  return parseArn(arn)?.stage ?? null;
}

/**
 * Resource patterns for one rule: `:param` → `*`; `/x/*` → `x` and `x/*`; an exact path also with a
 * trailing `/` (the core ignores it); for each method the rule decides (`entitlements()` lists them).
 * With `guards`, the patterns where one parameter would swallow a `/` (deeper paths than the rule's).
 */
export function ruleResources(
  stage: string,
  rule: Pick<RouteEntitlement, "methods" | "path">,
  guards = false,
): string[] {
  const wildcard = rule.path.endsWith("/*");
  const segments = (wildcard ? rule.path.slice(0, -2) : rule.path)
    .replace(/^\//, "")
    .split("/")
    .filter(Boolean)
    .map((s) => (s.startsWith(":") ? "*" : s));
  const path = segments.join("/");
  let paths = wildcard ? (path ? [path, `${path}/*`] : ["", "*"]) : path ? [path, `${path}/`] : [""];
  if (guards)
    paths = wildcard
      ? []
      : segments.flatMap((s, i) => (s === "*" ? [segments.map((t, j) => (j === i ? "*/*" : t)).join("/")] : []));
  return rule.methods.flatMap((m) => paths.map((p) => `${stage}/${m}/${p}`));
}

/**
 * The policy for a verified token: `rules` and `defaultAllowed` from `authorizer.entitlements(claims)`,
 * `allowed` the core's answer for the current request, `arn` its method or route ARN.
 */
export function entitlementPolicy(
  arn: string,
  entitlements: { rules: RouteEntitlement[]; defaultAllowed: boolean },
  allowed: boolean,
): PolicyDocument {
  const stage = stageArn(arn);
  if (!stage) return single(allowed ? "Allow" : "Deny", arn);
  const { rules } = entitlements;
  const resources = (allowed: boolean, guards = false) =>
    rules.flatMap((r) => (r.allowed === allowed ? ruleResources(stage, r, guards) : []));
  const allow = entitlements.defaultAllowed ? [`${stage}/*/*`] : resources(true);
  const deny = resources(false);
  if (!entitlements.defaultAllowed) deny.push(...resources(true, true));
  deny.push(...ambiguousResources(stage));
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
  if (allow.length)
    policy.Statement.push({ Effect: "Allow", Action: "execute-api:Invoke", Resource: [...new Set(allow)] });
  if (deny.length)
    policy.Statement.push({ Effect: "Deny", Action: "execute-api:Invoke", Resource: [...new Set(deny)] });
  return policy;
}

/** IAM evaluation of `policy` for one ARN: explicit Deny wins, then Allow, else (implicit) deny. */
export function evaluate(policy: PolicyDocument, arn: string): boolean {
  const hit = (effect: string) =>
    policy.Statement.some((s) => s.Effect === effect && s.Resource.some((r) => wildcardMatch(r, arn)));
  return !hit("Deny") && hit("Allow");
}

/**
 * IAM-style wildcard match, no regular expression: `*` matches any run of characters (including `/`),
 * `?` exactly one. Iterative with a single backtrack point (the last `*`), so at most
 * (pattern.length + 1) × (value.length + 1) steps whatever the input; `counter.steps` counts them.
 */
export function wildcardMatch(pattern: string, value: string, counter?: { steps: number }): boolean {
  let p = 0,
    v = 0,
    star = -1,
    mark = 0,
    steps = 0;
  while (v < value.length) {
    steps++;
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else break;
  }
  while (v >= value.length && pattern[p] === "*") {
    steps++;
    p++;
  }
  if (counter) counter.steps += steps;
  return v >= value.length && p === pattern.length;
}
