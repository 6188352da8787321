/**
 * The memory run, scaled down: 20,000 distinct valid tokens through an authorizer whose token cache
 * holds 1,000. The cache stays at its bound: the newest 1,000 are answered without a signature check,
 * the one before them needs one (it was evicted), and the heap does not grow with the token count.
 */
import { describe, expect, it } from "vitest";
import { measureMemory } from "./memory.js";

describe("token cache under many distinct tokens", () => {
  it("20,000 tokens through a 1,000-entry cache: the cache stays at its bound", async () => {
    const figures = await measureMemory(20_000, 1_000);
    expect(figures.rechecksNewest).toBe(0);
    expect(figures.recheckOlder).toBe(1);
    // Without --expose-gc the heap figure is noisy; with 1,000 entries of ~200 bytes it stays far under 32 MiB.
    expect(figures.heapMiB.growth).toBeLessThan(32);
  }, 60_000);
});
