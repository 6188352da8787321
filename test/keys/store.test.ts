/**
 * The KeyStore: keys that outlive one authorizer. A second authorizer on the same store starts warm,
 * a stored entry past its freshness answers only within the revalidate window (while one refresh
 * replaces it), and a failing store is logged and otherwise ignored.
 */
import { FETCH_TIMEOUT_MS } from "../../src/limits.js";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { memoryKeyStore, type KeyStore, type StoredJwks } from "../../src/index.js";
import {
  ALLOWED,
  DISCOVERY_URL,
  ISSUER,
  JWKS_URL,
  KID_UNKNOWN,
  T0,
  UNAVAILABLE,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type TestKey,
} from "./fixtures.js";

const TTL_MS = 600_000;
const STALE_MS = 86_400_000;
const WINDOW_MS = 300_000;
/** How long one caller waits for a shared refresh at most: twice the fetch timeout, plus 100 ms. */
const REFRESH_LIMIT_MS = 2 * 3000 + 100;

let key: TestKey;
let other: TestKey;
beforeAll(async () => {
  [key, other] = await Promise.all([makeKey("k1"), makeKey("k2")]);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a KeyStore shared by two authorizers", () => {
  it("lets the second authorizer start warm, with 0 fetches (JWT_JWKS_URI)", async () => {
    const store = memoryKeyStore();
    const clock = makeClock();
    const first = fakeIssuer([key.jwk]);
    const second = fakeIssuer([key.jwk]);
    const a = authorizerFor(first, clock, { deps: { keyStore: store } }).authorizer;
    expect(await outcome(a, await mint(key, clock))).toEqual(ALLOWED);
    expect(first.calls).toHaveLength(1);
    expect([...store.entries.keys()]).toEqual([JWKS_URL]);
    expect(store.entries.get(JWKS_URL)).toMatchObject({
      jwks: { keys: [key.jwk] },
      fetchedAt: T0,
      freshUntil: T0 + TTL_MS,
    });

    clock.advance(TTL_MS - 1);
    const b = authorizerFor(second, clock, { deps: { keyStore: store } }).authorizer;
    expect(await outcome(b, await mint(key, clock))).toEqual(ALLOWED);
    expect(second.calls).toHaveLength(0);
  });

  it("lets the second authorizer start warm without discovery either, keyed by the issuer", async () => {
    const store = memoryKeyStore();
    const clock = makeClock();
    const first = fakeIssuer([key.jwk]);
    const second = fakeIssuer([key.jwk]);
    const a = authorizerFor(first, clock, { jwksUri: false, deps: { keyStore: store } }).authorizer;
    expect(await outcome(a, await mint(key, clock))).toEqual(ALLOWED);
    expect(first.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL]);
    expect(store.entries.get(ISSUER)?.jwksUri).toBe(JWKS_URL);

    const b = authorizerFor(second, clock, { jwksUri: false, deps: { keyStore: store } }).authorizer;
    expect(await outcome(b, await mint(key, clock))).toEqual(ALLOWED);
    expect(second.calls).toHaveLength(0);
    // Once the stored set is stale, the second refetches the stored jwks_uri, still without discovery.
    clock.advance(TTL_MS);
    expect(await outcome(b, await mint(key, clock))).toEqual(ALLOWED);
    expect(second.calls.map((c) => c.url)).toEqual([JWKS_URL]);
  });

  it("never uses a stored entry past its freshness and the revalidate window while the issuer answers", async () => {
    const store = memoryKeyStore();
    const freshUntil = T0 - WINDOW_MS;
    const stale: StoredJwks = { jwks: { keys: [other.jwk] }, fetchedAt: freshUntil - TTL_MS, freshUntil };
    await store.put(JWKS_URL, stale);
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
    expect(store.entries.get(JWKS_URL)).toMatchObject({ jwks: { keys: [key.jwk] }, fetchedAt: T0 });
    // The key only the stale stored set had is gone (one unknown-kid refetch, then refused).
    expect(await outcome(authorizer, await mint(other, clock))).toEqual(KID_UNKNOWN);
    expect(idp.calls).toHaveLength(2);
  });

  it("answers a cold start from a stored entry within the revalidate window while one refresh replaces it", async () => {
    const store = memoryKeyStore();
    await store.put(JWKS_URL, { jwks: { keys: [other.jwk] }, fetchedAt: T0 - TTL_MS, freshUntil: T0 - 1 });
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer, settle } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(other, clock))).toEqual(ALLOWED);
    await settle();
    expect(idp.calls).toHaveLength(1);
    expect(store.entries.get(JWKS_URL)).toMatchObject({ jwks: { keys: [key.jwk] }, fetchedAt: T0 });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
  });

  it("serves a stale stored entry only while the issuer fails, and only within the stale window", async () => {
    const store = memoryKeyStore();
    await store.put(JWKS_URL, { jwks: { keys: [key.jwk] }, fetchedAt: T0 - TTL_MS, freshUntil: T0 });
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    idp.mode = "500";
    const { authorizer } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);

    const late = makeClock(T0 + STALE_MS);
    const { authorizer: cold } = authorizerFor(idp, late, { deps: { keyStore: store } });
    expect(await outcome(cold, await mint(key, late))).toEqual(UNAVAILABLE);
    expect(idp.calls).toHaveLength(2);
  });

  it("refetches once a warm start from the store passes the stored freshness, and the first authorizer then reuses that fetch", async () => {
    const store = memoryKeyStore();
    const clock = makeClock();
    const first = fakeIssuer([key.jwk]);
    const second = fakeIssuer([key.jwk]);
    const a = authorizerFor(first, clock, { deps: { keyStore: store } }).authorizer;
    const b = authorizerFor(second, clock, { deps: { keyStore: store } }).authorizer;
    expect(await outcome(a, await mint(key, clock))).toEqual(ALLOWED);
    expect(await outcome(b, await mint(key, clock))).toEqual(ALLOWED);
    expect([first.calls.length, second.calls.length]).toEqual([1, 0]);

    clock.advance(TTL_MS);
    expect(await outcome(b, await mint(key, clock))).toEqual(ALLOWED);
    expect([first.calls.length, second.calls.length]).toEqual([1, 1]);
    expect(await outcome(a, await mint(key, clock))).toEqual(ALLOWED);
    expect([first.calls.length, second.calls.length]).toEqual([1, 1]);
  });
});

describe("a KeyStore that fails", () => {
  it("is ignored when it rejects: keys are fetched, the decision is unchanged, and both failures are logged", async () => {
    const store: KeyStore = {
      get: () => Promise.reject(new Error("kv down")),
      put: () => Promise.reject(new Error("kv down")),
    };
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer, logger } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
    expect(logger.find("keystore_get_failed")).toHaveLength(1);
    expect(logger.find("keystore_put_failed")).toHaveLength(1);
    expect(logger.find("keystore_get_failed")[0]!.fields).toMatchObject({ iss: ISSUER, error: "Error: kv down" });
  });

  it("is ignored when its get throws synchronously", async () => {
    const store: KeyStore = {
      get() {
        throw new Error("kv down");
      },
      put: async () => {},
    };
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer, logger } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
    expect(logger.find("keystore_get_failed")).toHaveLength(1);
  });

  it("is ignored when its put throws synchronously", async () => {
    const store: KeyStore = {
      get: async () => undefined,
      put() {
        throw new Error("kv down");
      },
    };
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer, logger } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
    expect(logger.find("keystore_put_failed")).toHaveLength(1);
  });

  it("never hangs authorize when its get never answers: after the fetch timeout the store is skipped and the issuer is asked", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const store: KeyStore = { get: () => new Promise(() => {}), put: async () => {} };
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer, logger } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    let settled = false;
    const first = outcome(authorizer, await mint(key, clock)).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(FETCH_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    expect(idp.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
    expect(logger.find("keystore_get_failed")).toHaveLength(1);
  });

  it("never hangs authorize when its put never answers: the fetched keys serve after the refresh limit", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const store: KeyStore = { get: async () => undefined, put: () => new Promise(() => {}) };
    const clock = makeClock();
    const idp = fakeIssuer([key.jwk]);
    const { authorizer } = authorizerFor(idp, clock, { deps: { keyStore: store } });
    const first = outcome(authorizer, await mint(key, clock));
    await vi.advanceTimersByTimeAsync(REFRESH_LIMIT_MS);
    expect(await first).toEqual(ALLOWED);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(1);
  });
});
