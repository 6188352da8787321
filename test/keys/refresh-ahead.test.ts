/**
 * Refresh-ahead: once cached keys pass their TTL, requests keep verifying with them (within
 * `staleWhileRevalidate`) while exactly one background refresh runs, handed to the caller's `waitUntil`.
 * Only a token whose `kid` is unknown, or keys past the window, wait for the issuer. The issuer's
 * answers are held open by hand, so "did not wait" is proven without any wall time.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionEvent, JwksFetchEvent } from "../../src/index.js";
import {
  ALLOWED,
  DISCOVERY_URL,
  JWKS_URL,
  KID_UNKNOWN,
  authorizerFor,
  fakeIssuer,
  holdable,
  makeClock,
  makeKey,
  mint,
  outcome,
  request,
  type TestKey,
} from "./fixtures.js";

const TTL_MS = 600_000;
const WINDOW_MS = 300_000;
const RETRY_AFTER_MS = 5000;
/** Long fetch timeouts: a held-open answer must never time out while a test runs on a loaded machine. */
const CONFIG = { cache: { jwks: { timeoutMs: 30_000 } } };

let a: TestKey;
let b: TestKey;
beforeAll(async () => {
  [a, b] = await Promise.all([makeKey("key-a"), makeKey("key-b")]);
});

/**
 * Proves `pending` waited for the issuer: it is answered only after the held fetch is released.
 * (An answer that does not wait is simply awaited while the fetch is still held.)
 */
async function expectWaitsForRelease(pending: Promise<unknown>, gate: ReturnType<typeof holdable>): Promise<unknown> {
  const order: string[] = [];
  const answered = pending.then((value) => (order.push("answered"), value));
  while (gate.held() === 0 && order.length === 0) await new Promise((resolve) => setImmediate(resolve));
  order.push("released");
  gate.release();
  const value = await answered;
  expect(order).toEqual(["released", "answered"]);
  return value;
}

describe("keys past their TTL while the issuer answers", () => {
  it("answer at once while the refresh is held open, and the refreshed set replaces them afterwards", async () => {
    const idp = fakeIssuer([a.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const events: DecisionEvent[] = [];
    const { authorizer, settle } = authorizerFor(idp, clock, {
      config: CONFIG,
      deps: { fetch: gate.fetch, onDecision: (e) => events.push(e) },
    });
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);

    idp.keys = [b.jwk];
    gate.hold = true;
    clock.advance(TTL_MS);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(gate.held()).toBe(1);
    expect(events.at(-1)).toMatchObject({ allowed: true, jwksFetched: false });

    gate.release();
    await settle();
    expect(idp.count(JWKS_URL)).toBe(2);
    // The rotated set is in: the new key verifies without a fetch, the removed one is gone.
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(2);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(KID_UNKNOWN);
  });

  it("start exactly one refresh for 1,000 concurrent requests, handed once to waitUntil", async () => {
    const idp = fakeIssuer([a.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const handed: Promise<unknown>[] = [];
    const { authorizer } = authorizerFor(idp, clock, {
      config: CONFIG,
      deps: { fetch: gate.fetch, waitUntil: (p) => void handed.push(p) },
    });
    await authorizer.warmUp();
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => mint(a, clock)));
    gate.hold = true;
    clock.advance(TTL_MS + 1);
    const decisions = await Promise.all(tokens.map((t) => outcome(authorizer, t)));
    expect(decisions).toEqual(Array(1000).fill(ALLOWED));
    expect(gate.held()).toBe(1);
    expect(handed).toHaveLength(1);

    gate.release();
    await Promise.all(handed);
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("hand the refresh to the waitUntil of the request that started it, before the one in deps", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const fromDeps: Promise<unknown>[] = [];
    const fromCall: Promise<unknown>[] = [];
    const { authorizer } = authorizerFor(idp, clock, { deps: { waitUntil: (p) => void fromDeps.push(p) } });
    await authorizer.warmUp();
    clock.advance(TTL_MS);
    const decision = await authorizer.authorize(request(await mint(a, clock)), {
      waitUntil: (p) => void fromCall.push(p),
    });
    expect(decision.ok).toBe(true);
    expect([fromCall.length, fromDeps.length]).toEqual([1, 0]);
    await expect(fromCall[0]).resolves.toBeUndefined();
    expect(idp.count(JWKS_URL)).toBe(2);

    // verify(token) has no context of its own: the waitUntil in deps gets it.
    clock.advance(TTL_MS);
    await authorizer.verify(await mint(a, clock));
    expect([fromCall.length, fromDeps.length]).toEqual([1, 1]);
  });

  it("make a token with an unknown kid wait for the refresh, which also serves as its refetch", async () => {
    const idp = fakeIssuer([a.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { config: CONFIG, deps: { fetch: gate.fetch } });
    await authorizer.warmUp();
    idp.keys = [a.jwk, b.jwk];
    gate.hold = true;
    clock.advance(TTL_MS);
    expect(await expectWaitsForRelease(outcome(authorizer, await mint(b, clock)), gate)).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("make a request wait for the refresh once the keys are past the stale-while-revalidate window", async () => {
    const idp = fakeIssuer([a.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { config: CONFIG, deps: { fetch: gate.fetch } });
    await authorizer.warmUp();
    gate.hold = true;
    clock.advance(TTL_MS + WINDOW_MS - 1);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    gate.release();

    const fresh = fakeIssuer([a.jwk]);
    const gate2 = holdable(fresh);
    const late = makeClock();
    const { authorizer: other } = authorizerFor(fresh, late, { config: CONFIG, deps: { fetch: gate2.fetch } });
    await other.warmUp();
    gate2.hold = true;
    late.advance(TTL_MS + WINDOW_MS);
    expect(await expectWaitsForRelease(outcome(other, await mint(a, late)), gate2)).toEqual(ALLOWED);
  });

  it("take the window from JWT_CONFIG.cache.jwks.staleWhileRevalidate, where 0 makes every request past the TTL wait", async () => {
    for (const [window, waits] of [
      [0, true],
      [60, false],
    ] as const) {
      const idp = fakeIssuer([a.jwk]);
      const gate = holdable(idp);
      const clock = makeClock();
      const config = { cache: { jwks: { timeoutMs: 30_000, staleWhileRevalidate: window } } };
      const { authorizer } = authorizerFor(idp, clock, { config, deps: { fetch: gate.fetch } });
      await authorizer.warmUp();
      gate.hold = true;
      clock.advance(TTL_MS + 30_000);
      const pending = outcome(authorizer, await mint(a, clock));
      if (waits) expect(await expectWaitsForRelease(pending, gate)).toEqual(ALLOWED);
      else expect(await pending).toEqual(ALLOWED);
      gate.release();
    }
  });
});

describe("a background refresh that fails", () => {
  it("keeps the old keys, is reported, and is tried again by the first request after the retry interval", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const fetches: JwksFetchEvent[] = [];
    const { authorizer, logger, settle } = authorizerFor(idp, clock, {
      deps: { onJwksFetch: (e) => fetches.push(e) },
    });
    await authorizer.warmUp();
    idp.mode = "500";
    clock.advance(TTL_MS);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    await settle();
    expect(idp.count(JWKS_URL)).toBe(2);
    expect(logger.find("jwks_fetch_failed")[0]?.fields).toMatchObject({ stale: true });
    expect(fetches.at(-1)).toMatchObject({ kind: "jwks", outcome: "error", status: 500 });

    clock.advance(RETRY_AFTER_MS - 1);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    await settle();
    expect(idp.count(JWKS_URL)).toBe(2);

    idp.mode = "ok";
    idp.keys = [b.jwk];
    clock.advance(1);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    await settle();
    expect(idp.count(JWKS_URL)).toBe(3);
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(3);
  });

  it("never rejects the promise handed to waitUntil, even when the issuer hangs", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const handed: Promise<unknown>[] = [];
    const { authorizer } = authorizerFor(idp, clock, {
      config: { cache: { jwks: { timeoutMs: 100 } } },
      deps: { waitUntil: (p) => void handed.push(p) },
    });
    await authorizer.warmUp();
    idp.mode = "hang";
    clock.advance(TTL_MS);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(handed).toHaveLength(1);
    await expect(handed[0]).resolves.toBeUndefined();
  });
});

describe("refresh-ahead for keys found by discovery", () => {
  it("answers at once past the TTL and refreshes the JWKS without discovering again", async () => {
    const idp = fakeIssuer([a.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const { authorizer, settle } = authorizerFor(idp, clock, {
      jwksUri: false,
      config: CONFIG,
      deps: { fetch: gate.fetch },
    });
    await authorizer.warmUp();
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL]);
    idp.keys = [b.jwk];
    gate.hold = true;
    clock.advance(TTL_MS);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    gate.release();
    await settle();
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL, JWKS_URL]);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(KID_UNKNOWN);
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
  });
});
