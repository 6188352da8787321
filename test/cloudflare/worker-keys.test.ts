/**
 * Keys in the Worker, in real workerd: one JWKS fetch for a cold burst, stale keys while the issuer is
 * down, warm starts from the Cache API and KV, a shared fetch that survives the request that began it,
 * and keys past their TTL that answer at once while `ctx.waitUntil` keeps the refresh going.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { startGatedJwks } from "./gate.js";
import { bearer, startWorker, type Echo, type RunningWorker } from "./harness.js";

describe("a cold Worker under a burst", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  let worker: RunningWorker;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
    worker = await startWorker(
      { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", ORIGIN_URL: origin.url },
      { persist: false },
    );
  });
  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([issuer?.stop(), origin?.stop()]);
  });

  it("makes exactly one discovery and one JWKS fetch for 100 concurrent requests, and passes them all", async () => {
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => issuer.sign({ sub: `user-${i}` })));
    const answers = await Promise.all(
      tokens.map(async (token) => {
        const res = await worker.fetch("/", { headers: bearer(token) });
        return { status: res.status, sub: ((await res.json()) as Echo).headers["x-auth-sub"] };
      }),
    );
    expect(answers).toEqual(tokens.map((_, i) => ({ status: 200, sub: `user-${i}` })));
    expect(issuer.counts).toEqual({ discovery: 1, jwks: 1 });
    expect(origin.hits).toBe(100);
  });

  it("keeps passing valid tokens after the JWKS server has stopped", async () => {
    await issuer.stop();
    const res = await worker.fetch("/", { headers: bearer(await issuer.sign({ sub: "late" })) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).headers["x-auth-sub"]).toBe("late");
    expect(issuer.counts).toEqual({ discovery: 1, jwks: 1 });
  });
});

describe("a new Worker instance starts warm", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "eja-worker-"));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("RS256"), startEchoOrigin()]);
  });
  afterAll(async () => {
    await Promise.all([issuer?.stop(), origin?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a Worker, sends one valid token, returns its status and the JWKS fetches it caused. */
  async function oneRequest(persist: string, kv: boolean, vars: Record<string, string> = {}) {
    const worker = await startWorker(
      { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", ORIGIN_URL: origin.url, ...vars },
      { persist, kv },
    );
    try {
      const before = { ...issuer.counts };
      const res = await worker.fetch("/", { headers: bearer(await issuer.sign()) });
      await res.arrayBuffer();
      return {
        status: res.status,
        discovery: issuer.counts.discovery - before.discovery,
        jwks: issuer.counts.jwks - before.jwks,
      };
    } finally {
      await worker.dispose();
    }
  }

  it("from the Cache API entry the previous instance stored (0 JWKS fetches)", async () => {
    const dir = tempDir();
    expect(await oneRequest(dir, false, { JWT_JWKS_URI: issuer.jwksUri })).toEqual({
      status: 200,
      discovery: 0,
      jwks: 1,
    });
    expect(await oneRequest(dir, false, { JWT_JWKS_URI: issuer.jwksUri })).toEqual({
      status: 200,
      discovery: 0,
      jwks: 0,
    });
  });

  it("with discovery too: the stored entry remembers the discovered JWKS URL", async () => {
    const dir = tempDir();
    expect(await oneRequest(dir, false)).toEqual({ status: 200, discovery: 1, jwks: 1 });
    expect(await oneRequest(dir, false)).toEqual({ status: 200, discovery: 0, jwks: 0 });
  });

  it("from KV when JWKS_KV is bound and the Cache API is empty", async () => {
    const dir = tempDir();
    expect(await oneRequest(dir, true)).toEqual({ status: 200, discovery: 1, jwks: 1 });
    rmSync(join(dir, "v3", "cache"), { recursive: true, force: true });
    expect(await oneRequest(dir, true)).toEqual({ status: 200, discovery: 0, jwks: 0 });
  });

  it("and fetches again when nothing was stored (a fresh directory)", async () => {
    expect(await oneRequest(tempDir(), false)).toEqual({ status: 200, discovery: 1, jwks: 1 });
  });
});

describe("a JWKS fetch shared across requests in workerd", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
  });
  afterAll(() => Promise.all([issuer?.stop(), origin?.stop()]));

  it("completes, and serves later requests, even when the request that started it has already ended", async () => {
    const gate = await startGatedJwks(issuer);
    const fixture = fileURLToPath(new URL("./fixtures/abandon-worker.ts", import.meta.url));
    const worker = await startWorker(
      { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: gate.jwksUri, ORIGIN_URL: origin.url },
      { persist: false, entrypoint: fixture },
    );
    try {
      const first = await worker.fetch("/__abandon", { headers: bearer(await issuer.sign({ sub: "first" })) });
      expect([first.status, await first.text()]).toEqual([202, "abandoned"]);
      await gate.arrived;
      await gate.release();
      const later = await worker.fetch("/", {
        headers: bearer(await issuer.sign({ sub: "later" })),
        signal: AbortSignal.timeout(15_000),
      });
      expect(later.status).toBe(200);
      expect(((await later.json()) as Echo).headers["x-auth-sub"]).toBe("later");
      expect(gate.count).toBe(1);
    } finally {
      await worker.dispose();
      await gate.stop();
    }
  });
});

describe("keys past their TTL in workerd", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
  });
  afterAll(() => Promise.all([issuer?.stop(), origin?.stop()]));

  it("answer a request while the JWKS server holds the refresh open, which ctx.waitUntil then completes", async () => {
    const gate = await startGatedJwks(issuer);
    await gate.release();
    // A one-second TTL (the JWKS server sends no Cache-Control), and fetch timeouts far beyond the wait below.
    const cache = { jwks: { defaultTtl: 1, timeoutMs: 30_000 } };
    const vars = { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: gate.jwksUri, ORIGIN_URL: origin.url };
    const worker = await startWorker({ ...vars, JWT_CONFIG: { cache } }, { persist: false });
    try {
      const first = await worker.fetch("/", { headers: bearer(await issuer.sign({ sub: "first" })) });
      expect([first.status, gate.count]).toEqual([200, 1]);
      await first.arrayBuffer();

      gate.hold();
      await new Promise((resolve) => setTimeout(resolve, 1100)); // workerd's clock is the wall clock
      const second = await worker.fetch("/", {
        headers: bearer(await issuer.sign({ sub: "second" })),
        signal: AbortSignal.timeout(15_000),
      });
      expect(second.status).toBe(200);
      expect(((await second.json()) as Echo).headers["x-auth-sub"]).toBe("second");
      await gate.until(2);
      expect(gate.held()).toBe(1);

      await gate.release();
      const third = await worker.fetch("/", { headers: bearer(await issuer.sign({ sub: "third" })) });
      expect(third.status).toBe(200);
      await third.arrayBuffer();
    } finally {
      await worker.dispose();
      await gate.stop();
    }
  });
});
