/**
 * The shipped artifacts: the Worker bundle's gzip size (dist/cloudflare, wrangler's own dry-run build)
 * and the Lambda handler's cold import time (dist/aws/handler.mjs, a fresh `node` per run). Either is
 * built with scripts/build.ts when missing, and rebuilt when older than its sources (not in quick mode).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { median, round } from "../measure.js";
import { AUDIENCE, ISSUER, JWKS_URI } from "../setup.js";

export interface BundleSize {
  files: Array<{ file: string; bytes: number; gzipBytes: number }>;
  /** What each feature adds to the Worker, in minified bytes and its share of the gzip size. */
  features: FeatureCost[];
  gzipBytes: number;
  gzipKiB: number;
  rebuilt: boolean;
  /** Measured an artifact older than its sources (quick mode does not rebuild). */
  stale: boolean;
}

export interface ColdImport {
  runsMs: number[];
  medianMs: number;
  /** Median import time of `node:crypto` alone, in the same kind of fresh process (a floor for comparison). */
  nodeCryptoAloneMs: number;
  rebuilt: boolean;
  stale: boolean;
}

/** Newest modification time (ms) of any file under the given paths. */
function newest(root: string, paths: string[]): number {
  let latest = 0;
  const walk = (p: string): void => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) walk(join(root, p));
  return latest;
}

/**
 * Builds `target` when `artifact` is missing, or (with `rebuildStale`) older than a source. Returns
 * `rebuilt` and whether the artifact measured is `stale` (older than a source).
 */
export function ensureBuilt(
  root: string,
  target: string,
  artifact: string,
  sources: string[],
  rebuildStale: boolean,
): { rebuilt: boolean; stale: boolean } {
  const path = join(root, artifact);
  const stale = existsSync(path) && statSync(path).mtimeMs < newest(root, sources);
  if (existsSync(path) && (!stale || !rebuildStale)) return { rebuilt: false, stale };
  execFileSync("npx", ["tsx", "scripts/build.ts", target], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (!existsSync(path)) throw new Error(`building ${target} did not produce ${artifact}`);
  return { rebuilt: true, stale: false };
}

export interface FeatureCost {
  feature: string;
  minifiedBytes: number;
  /** gzip compresses the whole file, not a feature: its share of the gzip size in proportion to its bytes. */
  gzipKiB: number;
}

/** The features of the Worker, by the source files that implement each (first match wins). */
const FEATURES: Array<[string, RegExp]> = [
  ["revocation and per-subject limits", /^src\/(revocation\/|config\/revocation)|cloudflare\/(revocation|rate)/],
  ["DPoP and mTLS (sender-constrained tokens)", /^src\/binding\/|cloudflare\/(replay|client-cert)/],
  ["token introspection (opaque tokens)", /^src\/(introspection\/|config\/introspection)/],
  ["signed identity assertion", /^src\/assertion\//],
  ["metrics and traces", /^src\/observe\/|cloudflare\/analytics/],
  ["providers, platform tokens, tenants", /^src\/(providers\/|keys\/(alb|kid-budget))/],
  ["configuration (validation, messages)", /^src\/config\//],
  ["routes and path readings", /^src\/routes\//],
  ["request: token sources, identity, responses", /^src\/request\//],
  ["verify: JWS, claims, keys, JWKS cache", /^src\/(jwt|keys|encoding|http)\//],
  ["the Worker itself (key stores, forwarding)", /^adapters\/cloudflare\//],
  ["pipeline, reason codes, limits", /^src\//],
];

/** Bytes per feature, from esbuild's metafile of the Worker built as wrangler builds it (minified). */
async function featureCosts(root: string, gzipBytes: number): Promise<FeatureCost[]> {
  const out = await build({
    entryPoints: [join(root, "adapters/cloudflare/worker.ts")],
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const inputs = Object.values(out.metafile.outputs)[0]!.inputs;
  const total = Object.values(inputs).reduce((sum, i) => sum + i.bytesInOutput, 0);
  const bytes = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const feature = FEATURES.find(([, pattern]) => pattern.test(file))?.[0] ?? "dependencies";
    bytes.set(feature, (bytes.get(feature) ?? 0) + bytesInOutput);
  }
  return [...bytes]
    .map(([feature, minifiedBytes]) => ({
      feature,
      minifiedBytes,
      gzipKiB: round(((minifiedBytes / total) * gzipBytes) / 1024, 2),
    }))
    .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
}

/** gzip size of every .js file wrangler produced for the Worker. */
export async function workerBundleSize(root: string, rebuildStale: boolean): Promise<BundleSize> {
  const { rebuilt, stale } = ensureBuilt(
    root,
    "cloudflare",
    "dist/cloudflare/worker.js",
    ["src", "adapters/cloudflare", "adapters/hono", "wrangler.toml"],
    rebuildStale,
  );
  const dir = join(root, "dist/cloudflare");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((file) => {
      const bytes = readFileSync(join(dir, file));
      return { file: `dist/cloudflare/${file}`, bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
    });
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  const features = await featureCosts(root, gzipBytes);
  return { files, features, gzipBytes, gzipKiB: round(gzipBytes / 1024, 2), rebuilt, stale };
}

/** Median of `runs` cold imports of the Lambda handler, each in a new `node` process. */
export function lambdaColdImport(root: string, runs: number, rebuildStale: boolean): ColdImport {
  const { rebuilt, stale } = ensureBuilt(
    root,
    "aws",
    "dist/aws/handler.mjs",
    ["src", "adapters/aws", "adapters/node"],
    rebuildStale,
  );
  const env = {
    PATH: process.env.PATH ?? "",
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_JWKS_URI: JWKS_URI,
    AWS_REGION: "us-east-1",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  };
  const importMs = (specifier: string): number => {
    const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, env, encoding: "utf8" });
    const ms = Number(r.stdout.trim().split("\n").pop());
    if (r.status !== 0 || !Number.isFinite(ms))
      throw new Error(`${specifier} failed to import: ${r.stderr.slice(0, 300)}`);
    return round(ms, 2);
  };
  const runsMs: number[] = [];
  const cryptoMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    runsMs.push(importMs("./dist/aws/handler.mjs"));
    cryptoMs.push(importMs("node:crypto"));
  }
  return { runsMs, medianMs: round(median(runsMs), 2), nodeCryptoAloneMs: round(median(cryptoMs), 2), rebuilt, stale };
}
