/**
 * How many runs and which seed the fuzz tests use. `npm test`: a fixed seed and the bounded count each
 * test names. `npm run fuzz` sets FUZZ_RUNS (a multiplier: runs = count × FUZZ_RUNS) and, unless
 * FUZZ_SEED is given, a random seed; the seed is printed so any failure can be replayed with
 * `FUZZ_SEED=<seed> FUZZ_RUNS=<n> npm run fuzz`.
 */
import fc from "fast-check";

const FIXED_SEED = 20261205;
const multiplier = Number(process.env.FUZZ_RUNS ?? "") || 1;
const seed =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : multiplier > 1
      ? Math.floor(Math.random() * 2 ** 31)
      : FIXED_SEED;
if (multiplier > 1 || process.env.FUZZ_SEED !== undefined) console.log(`fuzz seed ${seed}, runs ×${multiplier}`);

/** fast-check parameters: `runs` in `npm test`, `runs × FUZZ_RUNS` under `npm run fuzz`. */
export function runs(count: number): fc.Parameters<unknown> {
  return { numRuns: count * multiplier, seed };
}

/** fc.assert that also prints the seed (and how to replay) when the property fails. */
export async function check<T>(
  property: fc.IAsyncProperty<[T]> | fc.IAsyncProperty<any>,
  count: number,
): Promise<void> {
  const params = runs(count);
  try {
    await fc.assert(property, params as fc.Parameters<any>);
  } catch (error) {
    console.error(`fuzz failure: replay with FUZZ_SEED=${seed} FUZZ_RUNS=${multiplier}`);
    throw error;
  }
}
