/**
 * The timing harness: contenders run side by side in one process, in interleaved rounds (the order
 * rotates every round), each round a batch sized to take about the same wall time; the figure kept is
 * the median of the rounds.
 */
import { performance } from "node:perf_hooks";

/**
 * Runs `n` operations starting at operation number `start` (a contender picks its own inputs from it).
 * A batch that times itself (inside workerd) returns its elapsed milliseconds.
 */
export type Batch = (start: number, n: number) => void | number | Promise<void | number>;

export interface Contender {
  name: string;
  batch: Batch;
}

export interface Measured {
  /** Median operations per second over the rounds. */
  opsPerSec: number;
  /** 1e6 / opsPerSec. */
  usPerOp: number;
  /** Operations per second of every round, in round order. */
  rounds: number[];
  /** Operations per batch. */
  batch: number;
}

export interface Plan {
  rounds: number;
  /** Wall time one batch should take, in ms. */
  batchMs: number;
  /** Operations per batch, skipping calibration and warm-up (quick mode, where every call is costly). */
  fixedBatch?: number;
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timed(batch: Batch, start: number, n: number): Promise<number> {
  const t0 = performance.now();
  const done = await batch(start, n);
  const outside = performance.now() - t0;
  return typeof done === "number" ? done : outside;
}

/** Doubles the batch until it takes a measurable time, then sizes it for `batchMs` (also the warm-up). */
async function calibrate(c: Contender, batchMs: number, counter: { next: number }): Promise<number> {
  let n = 8;
  for (;;) {
    const ms = await timed(c.batch, counter.next, n);
    counter.next += n;
    if (ms >= batchMs / 4 || n >= 1 << 22) return Math.max(8, Math.round((n * batchMs) / Math.max(ms, 0.01)));
    n *= 2;
  }
}

/**
 * Measures every contender over `plan.rounds` interleaved rounds.
 *
 * @example
 * ```ts
 * const r = await compare([{ name: "a", batch: (s, n) => { for (let i = 0; i < n; i++) work(s + i); } }], { rounds: 5, batchMs: 100 });
 * ```
 */
export async function compare(contenders: Contender[], plan: Plan): Promise<Record<string, Measured>> {
  const counters = contenders.map(() => ({ next: 0 }));
  const sizes: number[] = [];
  for (const [i, c] of contenders.entries())
    sizes.push(plan.fixedBatch ?? (await calibrate(c, plan.batchMs, counters[i]!)));
  const perRound: number[][] = contenders.map(() => []);
  for (let r = 0; r < plan.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      const n = sizes[i]!;
      const ms = await timed(contenders[i]!.batch, counters[i]!.next, n);
      counters[i]!.next += n;
      perRound[i]!.push((n * 1000) / ms);
    }
  }
  const out: Record<string, Measured> = {};
  contenders.forEach((c, i) => {
    const ops = median(perRound[i]!);
    out[c.name] = {
      opsPerSec: round(ops),
      usPerOp: round(1e6 / ops, 3),
      rounds: perRound[i]!.map((v) => round(v)),
      batch: sizes[i]!,
    };
  });
  return out;
}

/**
 * How many times faster `a` is than `b`: the median of the per-round ratios (the two ran in the same
 * round, close in time, so load that comes and goes hits both alike), or the ratio of medians when the
 * round counts differ.
 */
export function pairedRatio(a: Measured, b: Measured): number {
  if (a.rounds.length !== b.rounds.length || a.rounds.length === 0) return a.opsPerSec / b.opsPerSec;
  return median(a.rounds.map((x, i) => x / b.rounds[i]!));
}

/** Rounds to `digits` decimals (default 0). */
export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A batch that awaits `op(i)` one at a time (async contenders are never overlapped). */
export function sequential(op: (i: number) => Promise<unknown>): Batch {
  return async (start, n) => {
    for (let i = start; i < start + n; i++) await op(i);
  };
}
