/**
 * Hostile introspection answers: whatever the endpoint sends, a request passes only when the answer is
 * a JSON object with `active: true` whose claims pass the checks; anything else that is not a JSON
 * object with a boolean `active` is 503 `introspection_unavailable`, never allowed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answer, introspecting } from "../introspection/fixtures.js";
import { check } from "./runs.js";

const TOKEN = "fuzzed-opaque-token";

async function outcomeFor(raw: string) {
  const { authorizer, idp } = introspecting();
  idp.mode = "raw";
  idp.raw = raw;
  return answer(authorizer, TOKEN);
}

const isAnswer = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { active?: unknown }).active === "boolean";

describe("fuzzed introspection answers", () => {
  it("arbitrary JSON: unavailable unless an object with a boolean active; allowed only when active", async () => {
    const member = fc.oneof(fc.boolean(), fc.constant("true"), fc.constant(1), fc.constant(null));
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          active: member,
          aud: fc.oneof(fc.constant("api"), fc.jsonValue()),
          exp: fc.jsonValue(),
          scope: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await check(
      fc.asyncProperty(body, async (value) => {
        const result = await outcomeFor(JSON.stringify(value));
        if (!isAnswer(value)) expect(result).toEqual({ status: 503, code: "introspection_unavailable" });
        else if ((value as { active: boolean }).active !== true) expect(result.code).toBe("token_inactive");
        if (result.status === 200) expect((value as { active: unknown }).active).toBe(true);
      }),
      150,
    );
  });

  it("arbitrary text is never allowed", async () => {
    await check(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const result = await outcomeFor(text);
        expect(result.status).not.toBe(200);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          expect(result).toEqual({ status: 503, code: "introspection_unavailable" });
        }
        if (parsed !== undefined && !isAnswer(parsed)) expect(result.code).toBe("introspection_unavailable");
      }),
      150,
    );
  });
});
