/**
 * The compiled route matcher gives exactly the answers of the linear matcher it replaced
 * (linear-matcher.ts, kept unchanged as the reference): for random rule sets drawn from a small alphabet
 * of segments (so rules collide and overlap often) and random requests built from the same alphabet
 * plus the spellings path-confusion attacks use, the same rules come back, in the same order, with the
 * same `:param` values; and every rule decides the same methods.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRoutes } from "../../src/config/routes.js";
import type { RouteRule } from "../../src/config/schema.js";
import { compileRules, decidedMethods, matchTargets, type RuleMatch } from "../../src/routes/match.js";
import { pathReadings } from "../../src/routes/path-reading.js";
import type { Targets } from "../../src/routes/targets.js";
import * as linear from "./linear-matcher.js";
import { runs } from "../fuzz/runs.js";

const RULE_SEGMENTS = [
  "a",
  "A",
  "b",
  "c",
  ":id",
  ":x",
  ":ID",
  ":__proto__",
  "a;v",
  "%61",
  "%2F",
  ".",
  "..",
  "",
  "İ",
  "ß",
];
const REQUEST_SEGMENTS = [
  ...RULE_SEGMENTS,
  "B",
  "x",
  "7",
  "%41",
  "%2f",
  "%252F",
  "a;v=1",
  ";",
  "%2e%2e",
  "%2E",
  "\\",
  "%5C",
  "%00",
  "%C3%A9",
  "i̇",
  "SS",
];
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"];

const rulePathArb = fc
  .tuple(fc.array(fc.constantFrom(...RULE_SEGMENTS), { maxLength: 4 }), fc.constantFrom("", "/", "/*"))
  .map(([segments, end]) => (segments.length > 0 ? `/${segments.join("/")}` : "") + end || "/");

const rawRule = fc.record(
  {
    path: rulePathArb,
    methods: fc.subarray(METHODS, { minLength: 1 }),
    access: fc.constantFrom("public", "protected"),
  },
  { requiredKeys: ["path"] },
);

const rulesArb = fc.array(rawRule, { minLength: 1, maxLength: 50 }).map((raw) => parseRoutes(raw));

const requestPath = fc
  .tuple(
    fc.array(
      fc.array(fc.constantFrom(...REQUEST_SEGMENTS), { minLength: 1, maxLength: 2 }).map((p) => p.join("")),
      { maxLength: 5 },
    ),
    fc.boolean(),
  )
  .map(([segments, slash]) => `/${segments.join("/")}${slash && segments.length > 0 ? "/" : ""}`);

/** A request's targets: one to three methods, the readings of its path and perhaps of an override URL. */
const targetsArb: fc.Arbitrary<Targets> = fc
  .record({
    methods: fc.uniqueArray(fc.constantFrom(...METHODS, "PATCH", "FOO", "get"), { minLength: 1, maxLength: 3 }),
    paths: fc.array(requestPath, { minLength: 1, maxLength: 2 }),
  })
  .map(({ methods, paths }) => ({ methods, readings: paths.flatMap(pathReadings) }));

/** A match as comparable data: which rule (by position in the configuration), its params and their order. */
const shape = (rules: RouteRule[], matches: RuleMatch[]) =>
  matches.map(({ rule, params }) => ({
    rule: rule === undefined ? -1 : rules.indexOf(rule),
    params: { ...params },
    keys: Object.keys(params),
  }));

describe("the compiled route matcher", () => {
  it("falls under the same rules with the same :param values as the linear matcher, for any rules and request", () => {
    fc.assert(
      fc.property(rulesArb, fc.array(targetsArb, { minLength: 1, maxLength: 8 }), (rules, requests) => {
        const compiled = compileRules(rules);
        const reference = linear.compileRules(rules);
        for (const targets of requests)
          expect(shape(rules, matchTargets(compiled, targets))).toStrictEqual(
            shape(rules, linear.matchTargets(reference, targets)),
          );
      }),
      runs(2_500),
    );
  });

  it("decides the same methods for every rule as the linear matcher", () => {
    fc.assert(
      fc.property(rulesArb, (rules) => {
        expect(decidedMethods(rules)).toEqual(rules.map((_, i) => linear.effectiveMethods(rules, i)));
      }),
      runs(500),
    );
  });

  it("takes a rule for every request that a rule written from the request's own path would match", () => {
    // Rule sets rarely contain the exact request path by chance: here the request is always one of the rules.
    fc.assert(
      fc.property(rulesArb, fc.nat(), fc.constantFrom(...METHODS), (rules, pick, method) => {
        const rule = rules[pick % rules.length]!;
        const path = rule.path.endsWith("/*") ? `${rule.path.slice(0, -2)}/deeper` : rule.path;
        const targets = { methods: [method], readings: pathReadings(path.replaceAll(/:\w+/g, "v")) };
        expect(shape(rules, matchTargets(compileRules(rules), targets))).toStrictEqual(
          shape(rules, linear.matchTargets(linear.compileRules(rules), targets)),
        );
      }),
      runs(1_000),
    );
  });
});
