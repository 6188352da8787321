/**
 * Refresh-ahead for AWS ALB keys (one PEM per `kid`): a known kid past its freshness answers at once
 * while one background refetch of that kid runs; a failing refetch keeps the key; a new PEM for the
 * kid replaces it. The endpoint's answers are held open by hand: no wall time.
 */
import { exportSPKI, generateKeyPair, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { AlbKeys } from "../../src/keys/alb.js";
import { silentLogger } from "../../src/deps.js";

const KID = "e7a6b2c1-1234-4a5b-8c9d-0123456789ab";
const URL = `https://public-keys.auth.elb.eu-west-1.amazonaws.com/${KID}`;
const CFG = {
  defaultTtl: 600,
  minTtl: 60,
  maxTtl: 3600,
  cooldown: 30,
  staleFor: 3600,
  staleWhileRevalidate: 300,
  timeoutMs: 30_000,
  maxBytes: 65536,
};

const pem = async () => exportSPKI((await generateKeyPair("ES256", { extractable: true })).publicKey);

async function setup() {
  const state = { pem: await pem(), status: 200, hold: false, now: 1_000_000, urls: [] as string[] };
  const waiting: Array<() => void> = [];
  const fetch = (async (url: string) => {
    if (state.hold) await new Promise<void>((resolve) => waiting.push(resolve));
    state.urls.push(url);
    return new Response(state.status === 200 ? state.pem : "no", { status: state.status });
  }) as unknown as typeof globalThis.fetch;
  const keys = new AlbKeys("eu-west-1", CFG, { fetch, now: () => state.now, logger: silentLogger });
  const handed: Promise<unknown>[] = [];
  return {
    state,
    keys,
    handed,
    background: (p: Promise<unknown>) => void handed.push(p),
    release() {
      state.hold = false;
      for (const go of waiting.splice(0)) go();
    },
    held: () => waiting.length,
  };
}

describe("ALB keys past their freshness", () => {
  it("answer at once for a known kid while one refetch is held open, for many callers", async () => {
    const t = await setup();
    const key = await t.keys.getKey(KID, "ES256");
    t.state.hold = true;
    t.state.now += 600_000;
    const answers = Array.from({ length: 100 }, () => t.keys.getKey(KID, "ES256", t.background));
    // Synchronous answers (no promise): nobody waited for the endpoint.
    expect(answers.every((k) => k === key)).toBe(true);
    expect([t.held(), t.handed.length]).toEqual([1, 1]);
    t.release();
    await Promise.all(t.handed);
    expect(t.state.urls).toEqual([URL, URL]);
  });

  it("replace the key when the refetch brings a new PEM for the kid", async () => {
    const t = await setup();
    const old = await t.keys.getKey(KID, "ES256");
    t.state.pem = await pem();
    t.state.now += 600_000;
    expect(t.keys.getKey(KID, "ES256", t.background)).toBe(old);
    await Promise.all(t.handed);
    const current = t.keys.getKey(KID, "ES256") as JWK;
    expect(current.x).not.toBe(old.x);
    expect(t.keys.stillPicks(KID, "ES256", old)).toBe(false);
  });

  it("keep the key when the refetch fails, and try again only after the retry interval", async () => {
    const t = await setup();
    const key = await t.keys.getKey(KID, "ES256");
    t.state.status = 503;
    t.state.now += 600_000;
    expect(t.keys.getKey(KID, "ES256", t.background)).toBe(key);
    await Promise.all(t.handed);
    t.state.now += 4999;
    expect(t.keys.getKey(KID, "ES256", t.background)).toBe(key);
    expect([t.state.urls.length, t.handed.length]).toEqual([2, 1]);
    t.state.now += 1;
    expect(t.keys.getKey(KID, "ES256", t.background)).toBe(key);
    await Promise.all(t.handed);
    expect([t.state.urls.length, t.handed.length]).toEqual([3, 2]);
  });

  it("make the caller wait once the key is past the stale-while-revalidate window", async () => {
    const t = await setup();
    await t.keys.getKey(KID, "ES256");
    t.state.now += 600_000 + 300_000;
    const answer = t.keys.getKey(KID, "ES256", t.background);
    expect(answer).toBeInstanceOf(Promise);
    expect(t.handed).toHaveLength(0);
    await answer;
    expect(t.state.urls).toEqual([URL, URL]);
  });
});
