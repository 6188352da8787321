/** The key stores' own logic (expiry, tiers, corrupt entries), in Node; workerd runs them in worker.test.ts. */
import { describe, expect, it } from "vitest";
import { memoryKeyStore, type StoredJwks } from "../../src/index.js";
import { kvKeyStore, tieredKeyStore, type KvLike } from "../../adapters/cloudflare/keystore.js";

const NOW = 1_800_000_000_000;
const entry = (fetchedAt: number, freshFor = 600_000): StoredJwks => ({
  jwks: { keys: [{ kty: "OKP", crv: "Ed25519", x: "abc", kid: String(fetchedAt) }] },
  fetchedAt,
  freshUntil: fetchedAt + freshFor,
});

/** A KV namespace in a Map that records the options of every put. */
function mapKv(): KvLike & { data: Map<string, string>; ttls: number[] } {
  const data = new Map<string, string>();
  const ttls: number[] = [];
  return {
    data,
    ttls,
    async get(key) {
      return data.get(key) ?? null;
    },
    async put(key, value, options) {
      data.set(key, value);
      ttls.push(options?.expirationTtl ?? -1);
    },
  };
}

describe("the KV key store", () => {
  it("keeps an entry until it is stale plus the retention window, and reads it back", async () => {
    const kv = mapKv();
    const store = kvKeyStore(kv, { retainSeconds: 3600, now: () => NOW });
    await store.put("https://idp.example/jwks", entry(NOW));
    expect([...kv.data.keys()]).toEqual(["jwks:https://idp.example/jwks"]);
    expect(kv.ttls).toEqual([600 + 3600]);
    expect(await store.get("https://idp.example/jwks")).toEqual(entry(NOW));
  });

  it("never asks KV for an expiration under its 60-second minimum", async () => {
    const kv = mapKv();
    await kvKeyStore(kv, { retainSeconds: 0, now: () => NOW }).put("https://idp.example/jwks", entry(NOW, 1000));
    expect(kv.ttls).toEqual([60]);
  });

  it("misses, without throwing, on a corrupt entry, a failing namespace or an id too long for a KV key", async () => {
    const kv = mapKv();
    kv.data.set("jwks:https://idp.example/jwks", "{not json");
    kv.data.set("jwks:https://other.example/jwks", JSON.stringify({ jwks: {}, fetchedAt: 1, freshUntil: 2 }));
    const store = kvKeyStore(kv, { retainSeconds: 0 });
    expect(await store.get("https://idp.example/jwks")).toBeUndefined();
    expect(await store.get("https://other.example/jwks")).toBeUndefined();
    const failing = kvKeyStore(
      { get: () => Promise.reject(new Error("down")), put: () => Promise.reject(new Error("down")) },
      { retainSeconds: 0 },
    );
    expect(await failing.get("https://idp.example/jwks")).toBeUndefined();
    await expect(failing.put("https://idp.example/jwks", entry(NOW))).resolves.toBeUndefined();
    const long = `https://idp.example/${"a".repeat(600)}`;
    await store.put(long, entry(NOW));
    expect(await store.get(long)).toBeUndefined();
  });
});

describe("the tiered key store", () => {
  it("answers from the near tier while its entry is fresh, without asking the far tier", async () => {
    const near = memoryKeyStore();
    const far = memoryKeyStore();
    near.entries.set("id", entry(NOW));
    far.entries.set("id", entry(NOW + 1));
    expect(await tieredKeyStore(near, far, () => NOW + 1000).get("id")).toEqual(entry(NOW));
  });

  it("falls back to a fresher far entry and copies it to the near tier", async () => {
    const near = memoryKeyStore();
    const far = memoryKeyStore();
    near.entries.set("id", entry(NOW - 700_000));
    far.entries.set("id", entry(NOW - 1000));
    const store = tieredKeyStore(near, far, () => NOW);
    expect(await store.get("id")).toEqual(entry(NOW - 1000));
    expect(near.entries.get("id")).toEqual(entry(NOW - 1000));
  });

  it("keeps the near entry when the far one is not newer, and writes both tiers", async () => {
    const near = memoryKeyStore();
    const far = memoryKeyStore();
    near.entries.set("id", entry(NOW - 700_000));
    far.entries.set("id", entry(NOW - 800_000));
    const store = tieredKeyStore(near, far, () => NOW);
    expect(await store.get("id")).toEqual(entry(NOW - 700_000));
    await store.put("other", entry(NOW));
    expect([near.entries.get("other"), far.entries.get("other")]).toEqual([entry(NOW), entry(NOW)]);
  });
});
