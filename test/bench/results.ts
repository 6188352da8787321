/**
 * One bench run: every section in order, each isolated (a section that throws records its error and
 * the run goes on), the ratios and the judged targets. Quick mode shrinks every count, not the set of
 * measurements.
 */
import { cpus, loadavg } from "node:os";
import type { Measured, Plan } from "./measure.js";
import { round } from "./measure.js";
import { ALGS, makeFixtures, type BenchAlg } from "./setup.js";
import { loadNodeVerifier, NOT_BUILT } from "./contenders.js";
import { freshTokens, ROW } from "./rows/fresh.js";
import { cacheBehaviour, sameToken, REPEAT_ROW, type CacheBehaviour } from "./rows/repeat.js";
import { authorizeOverhead, type Overhead } from "./rows/overhead.js";
import { routeRows, type RouteRows } from "./rows/routes.js";
import { honoRows, HONO_ROW } from "./rows/hono.js";
import { workerdRows, WORKERD_ROW, type WorkerdResult } from "./runtimes/workerd.js";
import { fetchCounts, type FetchCounts } from "./runtimes/fetch-counts.js";
import { keysScale, type KeysScale } from "./rows/keys.js";
import { lambdaColdImport, workerBundleSize, type BundleSize, type ColdImport } from "./runtimes/artifacts.js";
import { judgeTargets, ratio, type Target } from "./targets.js";
import { userRows, type UserRows } from "./rows/users.js";
import { workerRps, type WorkerRps } from "./runtimes/worker-rps.js";

type Rows = Record<BenchAlg, Record<string, Measured | string>>;
type Failed = { error: string };

export interface Results {
  meta: Record<string, unknown>;
  fresh: Rows | Failed;
  sameToken: Record<BenchAlg, Record<string, Measured>> | Failed;
  cacheBehaviour: CacheBehaviour | Failed;
  authorize: Overhead | Failed;
  /** `authorize(request)` through the root export as Node resolves it. */
  users: UserRows | Failed;
  routes: RouteRows | Failed;
  hono: Rows | Failed;
  workerd: WorkerdResult | Failed;
  /** The Worker (wrangler.toml) answering HTTP in workerd, with and without auth. */
  workerRps: WorkerRps | Failed;
  fetchCounts: FetchCounts | Failed;
  keysScale: KeysScale | Failed;
  bundle: BundleSize | Failed;
  coldImport: ColdImport | Failed;
  ratios: Record<string, Record<string, number | null>>;
  targets: Target[];
}

export interface RunOptions {
  quick: boolean;
  root: string;
  /** Progress lines (stderr in the CLI). */
  progress: (line: string) => void;
}

/** Counts for a full run and for quick mode. */
export function sizes(quick: boolean) {
  return quick
    ? {
        perAlg: 40,
        plan: { rounds: 1, batchMs: 5 } as Plan,
        workerdPlan: { rounds: 1, batchMs: 30, fixedBatch: 20 } as Plan,
        rpsPlan: { rounds: 1, batchMs: 30, fixedBatch: 16 } as Plan,
        burst: 100,
        flood: 2000,
        coldRuns: 2,
      }
    : {
        perAlg: 2000,
        plan: { rounds: 15, batchMs: 60 } as Plan,
        workerdPlan: { rounds: 9, batchMs: 100 } as Plan,
        // A few hundred HTTP requests a second: batches of 1.5 s, or a round is a handful of requests.
        rpsPlan: { rounds: 7, batchMs: 1500 } as Plan,
        burst: 100,
        flood: 10_000,
        coldRuns: 9,
      };
}

async function step<T>(name: string, options: RunOptions, run: () => Promise<T> | T): Promise<T | Failed> {
  const t0 = performance.now();
  options.progress(`bench: ${name}...`);
  try {
    const value = await run();
    options.progress(`bench: ${name} done in ${round((performance.now() - t0) / 1000, 1)} s`);
    return value;
  } catch (e) {
    options.progress(`bench: ${name} FAILED: ${(e as Error).message}`);
    return { error: (e as Error).message };
  }
}

const ok = <T>(v: T | Failed): T | undefined =>
  v && typeof v === "object" && "error" in (v as object) ? undefined : (v as T);

/** Runs every measurement and judges the targets. */
export async function runBench(options: RunOptions): Promise<Results> {
  const started = performance.now();
  const s = sizes(options.quick);
  const load = loadavg();
  options.progress(`bench: minting ${s.perAlg} tokens per algorithm...`);
  const fx = makeFixtures(s.perAlg);
  const nodeVerifier = await loadNodeVerifier();
  const r: Results = {
    meta: {
      startedAt: new Date().toISOString(),
      quick: options.quick,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadavgAtStart: load.map((l) => round(l, 2)),
      tokensPerAlg: s.perAlg,
      plan: s.plan,
      workerdPlan: s.workerdPlan,
      nodeVerifier: nodeVerifier ? "adapters/node/verify.ts" : NOT_BUILT,
    },
    fresh: await step("fresh tokens (Node)", options, () => freshTokens(fx, s.plan, nodeVerifier)),
    sameToken: await step("same token repeated", options, () => sameToken(fx, s.plan)),
    cacheBehaviour: await step("token cache behaviour", options, () => cacheBehaviour(fx)),
    authorize: await step("authorize() vs verify()", options, () => authorizeOverhead(fx, s.plan, nodeVerifier)),
    users: await step("authorize() as users call it (root export)", options, () =>
      userRows(options.root, fx, s.plan, !options.quick),
    ),
    routes: await step("authorize() with 10 and 1,000 rules", options, () => routeRows(fx, s.plan)),
    hono: await step("Hono middleware vs hono/jwk", options, () => honoRows(fx, s.plan, nodeVerifier)),
    workerd: await step("verify loop in workerd", options, () =>
      workerdRows(options.root, fx, s.workerdPlan, s.perAlg),
    ),
    workerRps: await step("the Worker with and without auth (wrangler, workerd)", options, () =>
      workerRps(fx, s.rpsPlan),
    ),
    fetchCounts: await step("JWKS fetch counts", options, () => fetchCounts(fx, s.burst, s.flood)),
    keysScale: await step("100 issuers vs 1, 1,000 keys vs 1", options, () => keysScale(fx, s.plan, nodeVerifier)),
    bundle: await step("Worker bundle size", options, () => workerBundleSize(options.root, !options.quick)),
    coldImport: await step("Lambda cold import", options, () =>
      lambdaColdImport(options.root, s.coldRuns, !options.quick),
    ),
    ratios: {},
    targets: [],
  };
  r.ratios = ratios(r);
  r.targets = judgeTargets(r);
  r.meta.loadavgAtEnd = loadavg().map((l) => round(l, 2));
  r.meta.seconds = round((performance.now() - started) / 1000, 1);
  return r;
}

/** The ratios the issue asks for, per algorithm. */
function ratios(r: Results): Results["ratios"] {
  const out: Results["ratios"] = {};
  const fresh = ok(r.fresh);
  const same = ok(r.sameToken);
  const hono = ok(r.hono);
  const workerd = ok(r.workerd);
  for (const alg of ALGS) {
    const f = fresh?.[alg];
    const h = hono?.[alg];
    out[alg] = {
      "core(node:crypto) / raw node:crypto": ratio(f?.[ROW.coreNode], f?.[ROW.rawNode]),
      "core(Web Crypto) / raw crypto.subtle": ratio(f?.[ROW.coreWeb], f?.[ROW.rawSubtle]),
      "core(node:crypto) / jose": ratio(f?.[ROW.coreNode], f?.[ROW.jose]),
      "core(Web Crypto) / jose": ratio(f?.[ROW.coreWeb], f?.[ROW.jose]),
      "core(node:crypto) / aws-jwt-verify": ratio(f?.[ROW.coreNode], f?.[ROW.aws]),
      "core(node:crypto) / hono/jwk": ratio(f?.[ROW.coreNode], f?.[ROW.honoJwk]),
      "core cache / fast-jwt cache (same token)": ratio(same?.[alg][REPEAT_ROW.core], same?.[alg][REPEAT_ROW.fastJwt]),
      "jwtAuthorizer / hono/jwk (fresh, Web Crypto)": ratio(h?.[HONO_ROW.oursFresh], h?.[HONO_ROW.jwkFresh]),
      "jwtAuthorizer / hono/jwk (fresh, node:crypto)": ratio(h?.[HONO_ROW.oursFreshNode], h?.[HONO_ROW.jwkFresh]),
      "jwtAuthorizer / hono/jwk (same token)": ratio(h?.[HONO_ROW.oursSame], h?.[HONO_ROW.jwkSame]),
      "workerd core / crypto.subtle": ratio(
        workerd?.rows[alg][WORKERD_ROW.core],
        workerd?.rows[alg][WORKERD_ROW.subtle],
      ),
    };
  }
  return out;
}
