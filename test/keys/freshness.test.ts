/**
 * JWKS freshness: `Cache-Control: max-age` is honoured within a floor and a ceiling, a default TTL
 * applies without it, and all three come from `JWT_CONFIG.cache.jwks` when configured.
 * Each case counts fetches one millisecond before and exactly at the expected expiry.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALLOWED,
  JWKS_URL,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type TestKey,
} from "./fixtures.js";

let key: TestKey;
beforeAll(async () => {
  key = await makeKey("k1");
});

/** Warms the cache with `cacheControl`, then asserts the JWKS is refetched exactly after `ttlSeconds`. */
async function expectTtl(
  cacheControl: string | undefined,
  ttlSeconds: number,
  config?: Record<string, unknown>,
): Promise<void> {
  const idp = fakeIssuer([key.jwk]);
  idp.cacheControl = cacheControl;
  const clock = makeClock();
  const { authorizer } = authorizerFor(idp, clock, config ? { config } : {});
  expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
  expect(idp.count(JWKS_URL)).toBe(1);

  clock.advance(ttlSeconds * 1000 - 1);
  expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
  expect(idp.count(JWKS_URL)).toBe(1);

  clock.advance(1);
  expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
  expect(idp.count(JWKS_URL)).toBe(2);
  // The refetched set is fresh again for the same span.
  expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
  expect(idp.count(JWKS_URL)).toBe(2);
}

describe("JWKS freshness with the default settings", () => {
  it("clamps max-age=5 up to the 60-second floor", () => expectTtl("public, max-age=5", 60));
  it("clamps max-age=999999 down to the 24-hour ceiling", () => expectTtl("max-age=999999", 86_400));
  it("honours a max-age between floor and ceiling", () => expectTtl("public, max-age=300, must-revalidate", 300));
  it("uses the 10-minute default TTL when there is no Cache-Control", () => expectTtl(undefined, 600));
  it("uses the default TTL when Cache-Control has no max-age", () => expectTtl("public", 600));
  it("treats no-store as max-age 0, clamped up to the floor", () => expectTtl("no-store", 60));
});

describe("JWKS freshness configured through JWT_CONFIG.cache.jwks", () => {
  const config = { cache: { jwks: { minTtl: 10, maxTtl: 120, defaultTtl: 45 } } };
  it("clamps max-age=5 up to the configured floor", () => expectTtl("max-age=5", 10, config));
  it("clamps max-age=999999 down to the configured ceiling", () => expectTtl("max-age=999999", 120, config));
  it("uses the configured default TTL when there is no max-age", () => expectTtl(undefined, 45, config));
});
