/**
 * The soak driver, briefly and in-process against the built Lambda handler only: every phase runs for
 * about a second, and the invariants hold (no valid token of a known key refused, no 5xx but 503).
 */
import { describe, expect, it } from "vitest";
import { runSoak } from "./driver.js";
import { lambdaTarget } from "./lambda-target.js";

describe("soak driver (Lambda handler, a few seconds)", () => {
  it("runs every phase and keeps the invariants", async () => {
    const results = await runSoak({ durationMs: 5000, concurrency: 4, timeoutMs: 200 }, async (issuer, config) => ({
      targets: [await lambdaTarget(issuer, config)],
      stop: async () => {},
    }));
    expect(results.violations).toEqual([]);
    const phases = results.targets.lambda!.phases;
    for (const f of Object.values(phases)) {
      expect(f.requests).toBeGreaterThan(0);
      expect(f.validRefusedWhileKnown).toBe(0);
      expect(f.unexplained5xx).toBe(0);
    }
    expect(phases.steady.byStatus["200"]).toBeGreaterThan(0);
    expect(phases.steady.byKind.forged["200"] ?? 0).toBe(0);
    expect(phases.steady.byKind.expired["200"] ?? 0).toBe(0);
    expect(phases.steady.jwksFetches).toBeGreaterThan(0);
  }, 30_000);
});
