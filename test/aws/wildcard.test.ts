/**
 * The adapter's IAM wildcard matcher (used to check a built policy against the current route) runs on
 * the request path, which the caller chooses. A regex translation of `*` took 69 ms on a 1.2 KB path and
 * 29 s on 9 KB; the matcher must stay within (pattern + 1) × (value + 1) steps, whatever the input.
 */
import { describe, expect, it } from "vitest";
import { evaluate, wildcardMatch, type PolicyDocument } from "../../adapters/aws/iam-policy.js";
import { methodArn, STAGE_ARN } from "./events.js";

const bound = (pattern: string, value: string) => (pattern.length + 1) * (value.length + 1);

function steps(pattern: string, value: string): { matched: boolean; steps: number } {
  const counter = { steps: 0 };
  return { matched: wildcardMatch(pattern, value, counter), steps: counter.steps };
}

describe("IAM wildcard matching in the Lambda adapter", () => {
  it("matches like IAM: * spans any run including '/', ? exactly one character, everything else literally", () => {
    expect(wildcardMatch(`${STAGE_ARN}/*/*`, methodArn("GET", "/a/b/c"))).toBe(true);
    expect(wildcardMatch(`${STAGE_ARN}/GET/orders/*`, methodArn("GET", "/orders/42/items"))).toBe(true);
    expect(wildcardMatch(`${STAGE_ARN}/GET/orders/*`, methodArn("GET", "/orders"))).toBe(false);
    expect(wildcardMatch(`${STAGE_ARN}/GET/or?ers`, methodArn("GET", "/orders"))).toBe(true);
    expect(wildcardMatch(`${STAGE_ARN}/GET/or?ers`, methodArn("GET", "/oders"))).toBe(false);
    expect(wildcardMatch(`${STAGE_ARN}/GET/a.c`, methodArn("GET", "/abc"))).toBe(false);
    expect(wildcardMatch(`${STAGE_ARN}/GET/(a+)+`, methodArn("GET", "/aaaa"))).toBe(false);
    expect(wildcardMatch("*", "")).toBe(true);
    expect(wildcardMatch("", "")).toBe(true);
    expect(wildcardMatch("a*", "")).toBe(false);
  });

  it("answers a 10 KB path of '/a/a/a/…' against patterns with many '*' within (pattern+1)×(path+1) steps (ReDoS)", () => {
    const value = methodArn("GET", `/${"a/".repeat(5120)}`);
    expect(value.length).toBeGreaterThan(10_240);
    const patterns = [
      `${STAGE_ARN}/GET/a/*/*/*/b`,
      `${STAGE_ARN}/*/*a*a*a*a*a*a*a*a*a*a*b`,
      `${STAGE_ARN}/*/${"a/".repeat(40)}b`,
      `${STAGE_ARN}/*/${"*a/".repeat(40)}?b`,
      `${STAGE_ARN}/GET/orders/*/items/*/*`,
    ];
    for (const pattern of patterns) {
      const { matched, steps: n } = steps(pattern, value);
      expect(matched).toBe(false);
      expect(n).toBeLessThanOrEqual(bound(pattern, value));
    }
    // The same with a match at the very end (the last '*' must reach past every 'a/').
    const hit = steps(`${STAGE_ARN}/*/${"*a/".repeat(40)}`, value);
    expect(hit.matched).toBe(true);
    expect(hit.steps).toBeLessThanOrEqual(bound(`${STAGE_ARN}/*/${"*a/".repeat(40)}`, value));
  });

  it("evaluates a broad policy against a 10 KB method ARN: explicit Deny, Allow, implicit deny", () => {
    const policy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] },
        {
          Effect: "Deny",
          Action: "execute-api:Invoke",
          Resource: [`${STAGE_ARN}/GET/a/*/*/*/b`, `${STAGE_ARN}/*/*a*a*a*a*a*a*b`],
        },
      ],
    };
    const long = `/${"a/".repeat(5120)}`;
    expect(evaluate(policy, methodArn("GET", long))).toBe(true);
    expect(evaluate(policy, methodArn("GET", `${long}x/b`))).toBe(false);
    expect(evaluate({ ...policy, Statement: policy.Statement.slice(1) }, methodArn("GET", long))).toBe(false);
  });
});
