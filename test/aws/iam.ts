/**
 * An IAM-style evaluator for authorizer policies, written for the tests (independent of the adapter):
 * `*` matches any run of characters (including `/`), `?` exactly one; an explicit Deny wins over any
 * Allow; no matching Allow is an implicit deny.
 */
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
export interface Policy {
  Version: string;
  Statement: Statement[];
}

function matches(pattern: string, value: string): boolean {
  // Iterative wildcard match (no regular expressions), like IAM's StringLike on ARNs.
  let p = 0,
    v = 0,
    star = -1,
    mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === value[v])) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);

/** Whether `policy` lets `execute-api:Invoke` on `arn` through. */
export function iamAllows(policy: Policy, arn: string): boolean {
  const applies = (s: Statement) =>
    list(s.Action).some((a) => matches(a, "execute-api:Invoke")) && list(s.Resource).some((r) => matches(r, arn));
  if (policy.Statement.some((s) => s.Effect === "Deny" && applies(s))) return false;
  return policy.Statement.some((s) => s.Effect === "Allow" && applies(s));
}
