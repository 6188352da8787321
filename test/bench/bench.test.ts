/**
 * Keeps `npm run bench` working: runs it in quick mode (tiny counts) in a child process and checks the
 * JSON it writes has every section with sane values. It never asserts a timing: on a shared machine
 * those are not facts. Fetch counts and cache behaviour are facts, so they are asserted exactly.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Results } from "./results.js";
import type { Measured } from "./measure.js";
import { ALGS } from "./setup.js";
import { ROW } from "./rows/fresh.js";
import { REPEAT_ROW } from "./rows/repeat.js";
import { HONO_ROW } from "./rows/hono.js";
import { WORKERD_ROW } from "./runtimes/workerd.js";
import { USER_ROW } from "./rows/users.js";
import { WORKER_ROW } from "./runtimes/worker-rps.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "bench-quick-"));
const out = join(dir, "results.json");
let results: Results;
let printed: string;

function expectMeasured(row: Measured | string | undefined): void {
  expect(typeof row, `row ${JSON.stringify(row)}`).toBe("object");
  const m = row as Measured;
  expect(Number.isFinite(m.opsPerSec) && m.opsPerSec > 0).toBe(true);
  expect(Number.isFinite(m.usPerOp) && m.usPerOp > 0).toBe(true);
  expect(m.rounds.length).toBeGreaterThan(0);
  expect(m.batch).toBeGreaterThan(0);
}

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(root, "node_modules/tsx/dist/cli.mjs"), "test/bench/run.ts", "--quick", "--out", out],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  printed = stdout;
  results = JSON.parse(readFileSync(out, "utf8")) as Results;
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run bench --quick", () => {
  it("writes every section, none of them failed", () => {
    for (const name of [
      "meta",
      "fresh",
      "sameToken",
      "cacheBehaviour",
      "authorize",
      "users",
      "routes",
      "hono",
      "workerd",
      "workerRps",
      "fetchCounts",
      "keysScale",
      "bundle",
      "coldImport",
      "ratios",
      "targets",
    ]) {
      expect(results, name).toHaveProperty(name);
      expect((results as unknown as Record<string, { error?: string }>)[name]?.error, name).toBeUndefined();
    }
    expect(results.meta.quick).toBe(true);
  });

  it("measures every fresh-token contender for RS256, ES256 and EdDSA", () => {
    const fresh = results.fresh as Exclude<Results["fresh"], { error: string }>;
    for (const alg of ALGS) for (const row of Object.values(ROW)) expectMeasured(fresh[alg][row]);
  });

  it("measures the token cache against fast-jwt on the same token", () => {
    const same = results.sameToken as Exclude<Results["sameToken"], { error: string }>;
    for (const alg of ALGS) for (const row of Object.values(REPEAT_ROW)) expectMeasured(same[alg][row]);
  });

  it("sees one signature check for a repeated token, eviction at the bound, and token_expired after exp", () => {
    const c = results.cacheBehaviour as Exclude<Results["cacheBehaviour"], { error: string }>;
    expect(c.repeatedTokenSignatureChecks).toBe(1);
    expect(c.afterEvictionSignatureChecks).toBe(4 * c.bound);
    expect(c.afterExpiry).toBe("token_expired");
  });

  it("times authorize() and verify() on the same and on fresh tokens", () => {
    const a = results.authorize as Exclude<Results["authorize"], { error: string }>;
    for (const m of [
      a.sameToken.verify,
      a.sameToken.authorize,
      a.sameToken.withHook,
      a.freshTokens.verify,
      a.freshTokens.authorize,
      a.revocation.sameToken,
      a.revocation.freshTokens,
      a.assertion.ES256,
      a.assertion.EdDSA,
      a.dpop.dpop,
      a.dpop.bearer,
    ])
      expectMeasured(m);
    expect(Number.isFinite(a.sameToken.beyondVerifyUs)).toBe(true);
    expect(Number.isFinite(a.sameToken.hookUs)).toBe(true);
    expect(Number.isFinite(a.revocation.sameTokenAddedUs)).toBe(true);
    expect(Number.isFinite(a.dpop.addedUs)).toBe(true);
  });

  it("times authorize() through the root export's Node entry, fresh and repeated, for every algorithm", () => {
    const u = results.users as Exclude<Results["users"], { error: string }>;
    expect(u.entry).toBe("./dist/node-root.js");
    for (const alg of ALGS) {
      for (const row of Object.values(USER_ROW)) expectMeasured(u.rows[alg][row]);
      for (const value of Object.values(u.ratios[alg])) expect(Number.isFinite(value)).toBe(true);
    }
    expect(printed).toContain("authorize() as users call it");
  });

  it("times authorize() with 10 and with 1,000 route rules", () => {
    const r = results.routes as Exclude<Results["routes"], { error: string }>;
    expectMeasured(r.few);
    expectMeasured(r.many);
    expect(Number.isFinite(r.manyOverFew) && r.manyOverFew > 0).toBe(true);
    expect(printed).toContain("authorize() and the number of route rules");
  });

  it("measures the Hono middleware and hono/jwk through app.request()", () => {
    const hono = results.hono as Exclude<Results["hono"], { error: string }>;
    for (const alg of ALGS) for (const row of Object.values(HONO_ROW)) expectMeasured(hono[alg][row]);
  });

  it("runs the verify loop inside workerd for every algorithm", () => {
    const w = results.workerd as Exclude<Results["workerd"], { error: string }>;
    expect(w.runtime).toMatch(/^workerd via miniflare /);
    for (const alg of ALGS) for (const row of Object.values(WORKERD_ROW)) expectMeasured(w.rows[alg][row]);
  });

  it("serves HTTP through the Worker in workerd with and without auth", () => {
    const w = results.workerRps as Exclude<Results["workerRps"], { error: string }>;
    for (const row of Object.values(WORKER_ROW)) expectMeasured(w.rows[row]);
    expect(w.withOverWithout).toBeGreaterThan(0);
    expect(printed).toContain("The Worker in workerd");
  });

  it("fetches the JWKS once for a cold burst of 100 and at most once per cooldown for a random-kid flood", () => {
    const f = results.fetchCounts as Exclude<Results["fetchCounts"], { error: string }>;
    expect(f.coldBurst).toEqual({ requests: 100, allowed: 100, jwksFetches: 1 });
    expect(f.kidFlood.refusedKidUnknown).toBe(f.kidFlood.requests);
    expect(f.kidFlood.jwksFetchesOneInstant).toBeLessThanOrEqual(1);
    expect(f.kidFlood.jwksFetchesSpread).toBeLessThanOrEqual(f.kidFlood.cooldownWindows);
  });

  it("times authorize() with 100 issuers against 1 and with 1,000 keys against 1, same and fresh tokens", () => {
    const k = results.keysScale as Exclude<Results["keysScale"], { error: string }>;
    expect([k.issuers.count, k.keys.count]).toEqual([100, 1000]);
    for (const part of [k.issuers, k.keys])
      for (const p of [part.sameToken, part.freshTokens]) {
        expectMeasured(p.one);
        expectMeasured(p.many);
        expect(Number.isFinite(p.cost) && p.cost > 0).toBe(true);
      }
  });

  it("reports the Worker bundle's gzip size and the Lambda handler's cold import time", () => {
    const b = results.bundle as Exclude<Results["bundle"], { error: string }>;
    expect(b.files.length).toBeGreaterThan(0);
    expect(b.gzipBytes).toBeGreaterThan(0);
    expect(b.gzipBytes).toBeLessThan(b.files.reduce((s, f) => s + f.bytes, 0));
    const features = b.features.map((f) => f.feature);
    expect(features).toEqual(
      expect.arrayContaining(["revocation and per-subject limits", "signed identity assertion"]),
    );
    expect(features).not.toContain("dependencies");
    const c = results.coldImport as Exclude<Results["coldImport"], { error: string }>;
    expect(c.runsMs.length).toBe(2);
    expect(c.medianMs).toBeGreaterThan(0);
  });

  it("judges every target of the issue and prints them", () => {
    const ids = results.targets.map((t) => t.id);
    for (const alg of ALGS)
      expect(ids).toEqual(
        expect.arrayContaining([
          `node-fresh-${alg}`,
          `workerd-fresh-${alg}`,
          `same-token-${alg}`,
          `hono-fresh-${alg}`,
          `hono-same-${alg}`,
          `users-fresh-${alg}`,
          `users-beyond-fresh-${alg}`,
          `users-beyond-same-${alg}`,
          `users-same-${alg}`,
        ]),
      );
    expect(ids).toEqual(
      expect.arrayContaining([
        "token-cache-bounded-exp",
        "authorize-overhead",
        "routes-1000-vs-10",
        "cold-burst",
        "kid-flood-instant",
        "kid-flood-spread",
        "worker-bundle",
        "worker-rps",
        "lambda-cold-import",
        "issuers-100",
        "keys-1000",
      ]),
    );
    for (const t of results.targets) expect(["PASS", "MISS", "n/a"]).toContain(t.status);
    expect(results.targets.find((t) => t.id === "cold-burst")?.status).toBe("PASS");
    expect(printed).toContain("Targets (issue 9)");
  });
});
