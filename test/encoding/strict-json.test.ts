/** Strict JSON for token segments: no duplicate members, bounded depth, the grammar of JSON.parse. */
import { describe, expect, it } from "vitest";
import { isPlainObject, parseStrictJson } from "../../src/encoding/strict-json.js";
import { MAX_JSON_DEPTH } from "../../src/limits.js";

describe("strict JSON", () => {
  it("parses plain JSON as JSON.parse does", () => {
    const text = '{"a":[1,{"b":"x:y"}],"c":"\\"q\\":","d":null}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it("refuses a duplicate member at any depth, __proto__ included", () => {
    for (const text of [
      '{"alg":"none","alg":"ES256"}',
      '{"a":{"b":1,"b":2}}',
      '[{"x":1,"x":1}]',
      '{"__proto__":1,"__proto__":2}',
    ]) {
      expect(parseStrictJson(text), text).toBeUndefined();
    }
    expect(parseStrictJson('{"__proto__":{"admin":true}}')).toEqual(JSON.parse('{"__proto__":{"admin":true}}'));
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, and accepts exactly ${MAX_JSON_DEPTH}`, () => {
    const nested = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(parseStrictJson(nested(MAX_JSON_DEPTH))).toBeDefined();
    expect(parseStrictJson(nested(MAX_JSON_DEPTH + 1))).toBeUndefined();
  });

  it("refuses what JSON.parse refuses", () => {
    for (const text of ["{a:1}", "{'a':1}", "[1,]", "", "NaN"]) expect(parseStrictJson(text), text).toBeUndefined();
  });

  it("isPlainObject: objects yes, arrays and null no", () => {
    expect([{}, { a: 1 }, [], null, "x", 1].map(isPlainObject)).toEqual([true, true, false, false, false, false]);
  });
});
