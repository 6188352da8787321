import { describe, expect, it } from "vitest";
import { MemoryReplayStore } from "../../src/index.js";
import { DpopReplayStore, durableObjectReplayStore } from "../../adapters/cloudflare/replay-do.js";
import { hexThumbprint, pemThumbprint } from "../../src/index.js";
import { createHash } from "node:crypto";

describe("MemoryReplayStore", () => {
  it("answers seen until expiry, and stays within its limit, dropping the oldest ids first", () => {
    let now = 1000;
    const store = new MemoryReplayStore(() => now, 3);
    store.seen("b", 1500);
    expect(store.seen("a", 2000)).toBe(false);
    expect(store.seen("a", 2000)).toBe(true);
    store.seen("c", 3000);
    now = 1600; // b expired
    expect(store.seen("d", 3000)).toBe(false);
    expect(store.size).toBeLessThanOrEqual(3);
    expect(store.seen("a", 2000)).toBe(true);
    now = 2100;
    expect(store.seen("a", 4000)).toBe(false); // expired: a new proof may reuse it
    // Full of live ids: the oldest goes (a replay of it inside its window would pass; the limit says so).
    expect(store.seen("e", 5000)).toBe(false);
    expect(store.size).toBe(3);
  });
});

describe("the Durable Object replay store", () => {
  it("records through the namespace, one object per key thumbprint, and an alarm drops expired ids", async () => {
    const data = new Map<string, unknown>();
    let alarm: number | null = null;
    const storage = {
      get: async <T>(k: string) => data.get(k) as T | undefined,
      put: async (k: string, v: unknown) => void data.set(k, v),
      delete: async (keys: string[]) => keys.filter((k) => data.delete(k)).length,
      list: async <T>() => new Map([...data] as Array<[string, T]>),
      getAlarm: async () => alarm,
      setAlarm: async (t: number) => void (alarm = t),
    };
    const object = new DpopReplayStore({ storage });
    const names: string[] = [];
    const namespace = {
      idFromName: (name: string) => (names.push(name), name),
      get: () => ({ fetch: (input: string, init?: RequestInit) => object.fetch(new Request(input, init)) }),
    };
    const store = durableObjectReplayStore(namespace);
    const soon = Date.now() + 60_000;
    expect(await store.seen("jkt1|j1", soon)).toBe(false);
    expect(await store.seen("jkt1|j1", soon)).toBe(true);
    expect(names).toEqual(["jkt1", "jkt1"]);
    expect(alarm).toBe(soon);
    await store.seen("jkt2|old", Date.now() - 1);
    await object.alarm();
    expect([...data.keys()]).toEqual(["jkt1|j1"]);
  });
});

describe("certificate thumbprints", () => {
  it("converts Cloudflare's hex fingerprint and a PEM's DER to the RFC 8705 base64url thumbprint", async () => {
    const der = Buffer.from("not really DER, but bytes all the same");
    const digest = createHash("sha256").update(der);
    const hex = digest.copy().digest("hex");
    const b64u = digest.digest("base64url");
    expect(hexThumbprint(hex)).toBe(b64u);
    expect(hexThumbprint(hex.toUpperCase())).toBe(b64u);
    expect(hexThumbprint("zz")).toBeUndefined();
    const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64")}\n-----END CERTIFICATE-----\n`;
    expect(await pemThumbprint(pem)).toBe(b64u);
    expect(await pemThumbprint("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----")).toBeUndefined();
  });
});
