/**
 * The soak driver: concurrent clients send a mix of valid, expired, forged and random tokens to each
 * target (the Worker over HTTP, the Lambda handler in-process) while the issuer goes through its
 * phases in turn, and the figures are gathered per target and phase. Invariants: no valid token is
 * refused while its key had been served to that target (for longer than a short grace), and no 5xx
 * other than the documented 503 (the Lambda's `Authorizer unavailable` counts as its 503).
 */
import { randomBytes } from "node:crypto";
import { PHASES, startSoakIssuer, type Phase, type SoakIssuer } from "./issuer.js";
import type { TestKey } from "../helpers/issuer.js";
import { makeKey } from "../helpers/issuer.js";

export type Kind = "valid" | "expired" | "forged" | "random";
const MIX: Array<[Kind, number]> = [
  ["valid", 0.6],
  ["expired", 0.15],
  ["forged", 0.15],
  ["random", 0.1],
];

/** One target: sends a token, answers an HTTP-like status. */
export interface Target {
  name: string;
  send(token: string): Promise<number>;
}

export interface SoakOptions {
  durationMs: number;
  /** Clients per target. */
  concurrency: number;
  /** The authorizer's fetch timeout (ms); the slow phase answers after three times this. */
  timeoutMs: number;
  /** A kid counts as known this long after the issuer finished serving it (ms). */
  graceMs?: number;
  /** Bound on requests per target (default unbounded within the time). */
  maxRequests?: number;
  log?: (line: string) => void;
}

export interface PhaseFigures {
  requests: number;
  byStatus: Record<string, number>;
  byKind: Record<Kind, Record<string, number>>;
  validRefusedWhileKnown: number;
  unexplained5xx: number;
  jwksFetches: number;
  p50Ms: number;
  p99Ms: number;
  /** Node heap at the end of the phase (after GC when run with --expose-gc), MiB. */
  heapMiB: number;
}

export interface SoakResults {
  durationMs: number;
  concurrency: number;
  targets: Record<string, { requests: number; phases: Record<Phase, PhaseFigures> }>;
  heapMiB: { start: number; end: number };
  violations: string[];
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
const heap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
};

/** Config the targets should be built with, so TTLs and timeouts fit the phase length. */
export function soakConfig(durationMs: number, timeoutMs: number) {
  const phaseS = Math.max(1, Math.floor(durationMs / PHASES.length / 1000));
  return {
    cache: {
      jwks: { defaultTtl: Math.max(1, Math.floor(phaseS / 3)), minTtl: 1, cooldown: 1, timeoutMs },
    },
  };
}

/** Token pools per key: minted once, reused (the verified-token cache sees hits and misses). */
class Tokens {
  private pools = new Map<string, { valid: string[]; expired: string[]; forged: string[] }>();
  constructor(
    private readonly issuer: SoakIssuer,
    private readonly stranger: TestKey,
  ) {}
  async prepare(key: TestKey): Promise<void> {
    if (this.pools.has(key.kid)) return;
    const now = Math.floor(Date.now() / 1000);
    const forger = { ...this.stranger, kid: key.kid };
    const n = (count: number, f: (i: number) => Promise<string>) =>
      Promise.all(Array.from({ length: count }, (_, i) => f(i)));
    this.pools.set(key.kid, {
      valid: await n(300, (i) => this.issuer.sign({ sub: `user-${i}`, jti: `${key.kid}-${i}`, exp: now + 3600 }, key)),
      expired: await n(30, (i) => this.issuer.sign({ sub: `old-${i}`, iat: now - 7200, exp: now - 3600 }, key)),
      forged: await n(30, (i) => this.issuer.sign({ sub: `admin-${i}`, exp: now + 3600 }, forger)),
    });
  }
  pick(kind: Kind, key: TestKey): string {
    if (kind === "random") {
      const r = Math.random();
      return r < 0.3
        ? randomBytes(24).toString("base64url")
        : r < 0.6
          ? `${randomBytes(20).toString("base64url")}.${randomBytes(40).toString("base64url")}.${randomBytes(64).toString("base64url")}`
          : `eyJhbGciOiJub25lIn0.${randomBytes(30).toString("base64url")}.`;
    }
    const pool = this.pools.get(key.kid)![kind];
    return pool[Math.floor(Math.random() * pool.length)]!;
  }
}

function chooseKind(): Kind {
  let r = Math.random();
  for (const [kind, p] of MIX) if ((r -= p) < 0) return kind;
  return "valid";
}

/** Starts the issuer, hands its settings to `makeTargets`, and runs the phases. */
export async function runSoak(
  options: SoakOptions,
  makeTargets: (
    issuer: SoakIssuer,
    config: ReturnType<typeof soakConfig>,
  ) => Promise<{ targets: Target[]; stop(): Promise<void> }>,
): Promise<SoakResults> {
  const log = options.log ?? (() => {});
  const grace = options.graceMs ?? 250;
  const issuer = await startSoakIssuer({ slowMs: options.timeoutMs * 3 });
  const stranger = await makeKey("ES256");
  const tokens = new Tokens(issuer, stranger);
  await tokens.prepare(issuer.current);
  const { targets, stop } = await makeTargets(issuer, soakConfig(options.durationMs, options.timeoutMs));
  const violations: string[] = [];
  const results: SoakResults = {
    durationMs: options.durationMs,
    concurrency: options.concurrency,
    targets: {},
    heapMiB: { start: heap(), end: 0 },
    violations,
  };
  const latencies: Record<string, Record<string, number[]>> = {};
  const blank = (): PhaseFigures => ({
    requests: 0,
    byStatus: {},
    byKind: { valid: {}, expired: {}, forged: {}, random: {} },
    validRefusedWhileKnown: 0,
    unexplained5xx: 0,
    jwksFetches: 0,
    p50Ms: 0,
    p99Ms: 0,
    heapMiB: 0,
  });
  for (const t of targets) {
    results.targets[t.name] = {
      requests: 0,
      phases: Object.fromEntries(PHASES.map((p) => [p, blank()])) as Record<Phase, PhaseFigures>,
    };
    latencies[t.name] = Object.fromEntries(PHASES.map((p) => [p, []]));
  }
  const phaseMs = options.durationMs / PHASES.length;
  try {
    for (const phase of PHASES) {
      // A new key at `rotation` (published: the authorizer must pick it up) and at `down` (never
      // published while the issuer fails: its tokens can only be refused, with 503 or 401).
      if (phase === "rotation" || phase === "down") await tokens.prepare(await issuer.rotate());
      issuer.phase = phase;
      log(`phase ${phase} (${Math.round(phaseMs)} ms)`);
      const end = Date.now() + phaseMs;
      const client = async (target: Target) => {
        const figures = results.targets[target.name]!;
        while (Date.now() < end && (options.maxRequests === undefined || figures.requests < options.maxRequests)) {
          const kind = chooseKind();
          // Valid tokens: mostly the current key, sometimes an older one still published.
          const key =
            kind === "valid" && Math.random() < 0.2
              ? issuer.keys[Math.floor(Math.random() * issuer.keys.length)]!
              : issuer.current;
          const token = tokens.pick(kind, key);
          const started = Date.now();
          const t0 = performance.now();
          const knownAt = issuer.known[target.name]?.get(key.kid);
          let status: number;
          try {
            status = await target.send(token);
          } catch {
            status = 599; // the target failed to answer at all
          }
          const ms = Math.round((performance.now() - t0) * 10) / 10;
          // An in-process target can answer from microtasks alone: let timers and sockets run.
          await new Promise((resolve) => setImmediate(resolve));
          const f = figures.phases[phase];
          figures.requests++;
          f.requests++;
          f.byStatus[status] = (f.byStatus[status] ?? 0) + 1;
          f.byKind[kind][status] = (f.byKind[kind][status] ?? 0) + 1;
          latencies[target.name]![phase]!.push(ms);
          if (status >= 500 && status !== 503) {
            f.unexplained5xx++;
            if (f.unexplained5xx === 1) violations.push(`${target.name} ${phase}: ${status} for a ${kind} token`);
          }
          if (kind === "valid" && status !== 200 && knownAt !== undefined && knownAt + grace < started) {
            f.validRefusedWhileKnown++;
            if (f.validRefusedWhileKnown === 1)
              violations.push(`${target.name} ${phase}: valid token of a known key answered ${status}`);
          }
        }
      };
      await Promise.all(targets.flatMap((t) => Array.from({ length: options.concurrency }, () => client(t))));
      const h = heap();
      for (const t of targets) results.targets[t.name]!.phases[phase].heapMiB = h;
    }
  } finally {
    await stop();
    await issuer.stop();
  }
  for (const t of targets) {
    for (const phase of PHASES) {
      const f = results.targets[t.name]!.phases[phase];
      const sorted = latencies[t.name]![phase]!.sort((a, b) => a - b);
      f.p50Ms = quantile(sorted, 0.5);
      f.p99Ms = quantile(sorted, 0.99);
      f.jwksFetches = issuer.fetches[t.name]?.[phase] ?? 0;
    }
  }
  results.heapMiB.end = heap();
  return results;
}

/** The results as a table, one row per target and phase. */
export function formatTable(results: SoakResults): string {
  const statuses = [
    ...new Set(
      Object.values(results.targets).flatMap((t) => Object.values(t.phases).flatMap((p) => Object.keys(p.byStatus))),
    ),
  ].sort();
  const head = [
    "target",
    "phase",
    "requests",
    ...statuses.map((s) => `${s}`),
    "valid refused (key known)",
    "5xx not 503",
    "JWKS fetches",
    "p50 ms",
    "p99 ms",
    "valid tokens allowed",
    "heap MiB",
  ];
  const rows = Object.entries(results.targets).flatMap(([name, t]) =>
    PHASES.map((phase) => {
      const f = t.phases[phase];
      return [
        name,
        phase,
        f.requests,
        ...statuses.map((s) => f.byStatus[s] ?? 0),
        f.validRefusedWhileKnown,
        f.unexplained5xx,
        f.jwksFetches,
        f.p50Ms,
        f.p99Ms,
        `${f.byKind.valid["200"] ?? 0}/${Object.values(f.byKind.valid).reduce((a, b) => a + b, 0)}`,
        f.heapMiB,
      ].map(String);
    }),
  );
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return (
    [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n") +
    `\n\nheap of the Node process (issuer, origin, Lambda handler, driver; after GC when run with --expose-gc): ${results.heapMiB.start} MiB at start, ${results.heapMiB.end} MiB at end`
  );
}
