/**
 * Stale-if-error and fail-fast: an issuer that answers 500, never answers, answers non-JSON or 10 MB.
 * Known keys keep verifying for the stale window, then 503; with nothing cached the answer is 503 with
 * `Retry-After` (never 401, never a hang), and the issuer is not asked again within `Retry-After`.
 * Fetch timeouts run on vitest fake timers; the authorizer's clock is injected.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { refusalResponse } from "../../src/index.js";
import {
  ALLOWED,
  JWKS_URL,
  UNAVAILABLE,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  request,
  type FakeIssuer,
  type Mode,
  type TestKey,
} from "./fixtures.js";

const TIMEOUT_MS = 3000;
const TTL_MS = 600_000;
const STALE_MS = 86_400_000;
const RETRY_AFTER_MS = 5000;

let key: TestKey;
beforeAll(async () => {
  key = await makeKey("k1");
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Runs `work`; if it makes a fetch while the issuer hangs, proves it is still pending 1 ms before the
 * fetch timeout and settled right after it (fake timers, no wall-clock wait).
 */
async function run<T>(idp: FakeIssuer, work: () => Promise<T>): Promise<T> {
  if (idp.mode !== "hang") return work();
  const called = idp.called;
  const promise = work();
  let settled = false;
  void promise.finally(() => (settled = true));
  const first = await Promise.race([promise.then((v) => ({ v })), called.then(() => undefined)]);
  if (first) return first.v;
  await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
  expect(settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  const result = await promise;
  expect(idp.calls.at(-1)!.init?.signal?.aborted).toBe(true);
  return result;
}

const FAILURES: Array<[string, Mode, RegExp]> = [
  ["answers HTTP 500", "500", /HTTP 500/],
  ["never answers (times out)", "hang", /timed out after 3000 ms/],
  ["answers something that is not JSON", "garbage", /not JSON/],
  ["answers 10 MB with a content-length", "huge-declared", /exceeds/],
  ["answers 10 MB streamed without a content-length", "huge-streamed", /exceeds/],
  ["answers a 302 redirect", "redirect", /HTTP 302/],
];

describe.each(FAILURES)("when the issuer %s", (_name, mode, why) => {
  it("answers 503 keys_unavailable with Retry-After when nothing is cached, never 401", async () => {
    const idp = fakeIssuer([key.jwk]);
    idp.mode = mode;
    const clock = makeClock();
    const { authorizer, logger } = authorizerFor(idp, clock);
    const token = await mint(key, clock);
    const decision = await run(idp, () => authorizer.authorize(request(token)));
    expect(decision).toMatchObject({
      ok: false,
      status: 503,
      error: "temporarily_unavailable",
      code: "keys_unavailable",
      retryAfter: 5,
    });
    if (decision.ok) return;
    expect(decision.wwwAuthenticate).toBeUndefined();
    const response = refusalResponse(decision);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.has("www-authenticate")).toBe(false);
    expect(await response.json()).toEqual({ error: "temporarily_unavailable", code: "keys_unavailable" });
    expect(idp.calls.map((c) => c.url)).toEqual([JWKS_URL]);
    const failed = logger.find("jwks_fetch_failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.fields?.error).toMatch(why);
    expect(JSON.stringify(logger.lines)).not.toContain(token);
    if (mode === "huge-streamed") expect(idp.streamed.pulled).toBeLessThan(1024 * 1024);
  });

  it("fails fast within Retry-After with nothing cached, and asks the issuer again after it", async () => {
    const idp = fakeIssuer([key.jwk]);
    idp.mode = mode;
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    expect(await run(idp, async () => outcome(authorizer, await mint(key, clock)))).toEqual(UNAVAILABLE);
    expect(idp.calls).toHaveLength(1);

    clock.advance(RETRY_AFTER_MS - 1);
    const burst = await Promise.all(
      Array.from({ length: 20 }, async () => outcome(authorizer, await mint(key, clock))),
    );
    expect(burst).toEqual(Array(20).fill(UNAVAILABLE));
    expect(idp.calls).toHaveLength(1);

    clock.advance(1);
    expect(await run(idp, async () => outcome(authorizer, await mint(key, clock)))).toEqual(UNAVAILABLE);
    expect(idp.calls).toHaveLength(2);

    idp.mode = "ok";
    clock.advance(RETRY_AFTER_MS);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(3);
  });

  it("keeps verifying with known keys during the stale window, and answers 503 after it", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer, logger } = authorizerFor(idp, clock);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    idp.mode = mode;

    clock.advance(TTL_MS);
    expect(await run(idp, async () => outcome(authorizer, await mint(key, clock)))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(2);
    expect(logger.find("jwks_fetch_failed")[0]!.fields).toMatchObject({ stale: true });

    // Within Retry-After of the failure the issuer is not asked again.
    clock.advance(RETRY_AFTER_MS - 1);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(2);

    clock.t = 1_900_000_000_000 + TTL_MS + STALE_MS - 1;
    expect(await run(idp, async () => outcome(authorizer, await mint(key, clock)))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(3);

    clock.advance(1);
    expect(await run(idp, async () => outcome(authorizer, await mint(key, clock)))).toEqual(UNAVAILABLE);
    expect(idp.calls).toHaveLength(3);
  });
});

describe("the stale window", () => {
  it("is configured through JWT_CONFIG.cache.jwks.staleFor", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { config: { cache: { jwks: { staleFor: 60 } } } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    idp.mode = "500";
    clock.advance(TTL_MS + 59_999);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    clock.advance(1);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(UNAVAILABLE);
    expect(idp.calls).toHaveLength(2);
  });

  it("ends as soon as the issuer answers again, with the fresh keys", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    await authorizer.warmUp();
    idp.mode = "500";
    clock.advance(TTL_MS);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    idp.mode = "ok";
    clock.advance(RETRY_AFTER_MS);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(3);
    clock.advance(TTL_MS - 1);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(3);
  });
});

describe("redirects", () => {
  it("are never followed: every discovery and JWKS fetch asks for redirect: manual and carries an abort signal", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(2);
    for (const call of idp.calls) {
      expect(call.init?.redirect).toBe("manual");
      expect(call.init?.signal).toBeInstanceOf(AbortSignal);
    }
  });

  it("a 302 from the discovery document is a failure, and its location is never fetched", async () => {
    const idp = fakeIssuer([key.jwk]);
    idp.mode = "redirect";
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(UNAVAILABLE);
    expect(idp.calls.map((c) => c.url)).toEqual(["https://idp.example/.well-known/openid-configuration"]);
  });
});
