/**
 * Found by the token fuzzer (test/fuzz/token.test.ts, seed 678708480): a valid token whose `sub` (or a
 * claim mapped to a header) holds a lone surrogate, which JSON allows as `"\ud800"`, made
 * encodeURIComponent throw while the identity headers were built; the token was then refused as
 * `token_malformed` with an `authorize_unexpected_error` log line. It is a valid token: it must pass,
 * with the lone surrogate forwarded as U+FFFD, percent-encoded.
 */
import { describe, expect, it } from "vitest";
import { bearer, harness, ISSUER, NOW_S, rawToken, testKeys } from "./harness.js";

describe("claims holding lone surrogates", () => {
  it.each(["\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800"])(
    "sub %s is allowed and forwarded header-safe",
    async (escaped) => {
      const { ec } = await testKeys();
      const h = await harness({
        config: { identity: { claimHeaders: { email: "x-auth-email" }, stripAuthorization: false } },
      });
      const payload = `{"iss":"${ISSUER}","aud":"api","sub":"${escaped}","email":"${escaped}@x","exp":${NOW_S + 600}}`;
      const token = await rawToken('{"alg":"ES256","kid":"ec-1"}', payload, { alg: "ES256", key: ec.privateKey });
      const decision = await h.authorizer.authorize(bearer(token));
      expect(decision.ok).toBe(true);
      if (!decision.ok) return;
      expect(decision.headers["x-auth-sub"]).toMatch(/^[\x20-\x7e]+$/);
      expect(decision.headers["x-auth-sub"]).toContain("%EF%BF%BD");
      expect(decision.headers["x-auth-email"]).toMatch(/^[\x20-\x7e]+@x$/);
      expect(h.logs.filter((l) => l.level === "error")).toEqual([]);
    },
  );
});
