/**
 * A verify loop inside workerd: workerd-worker.ts bundled with esbuild and run by Miniflare (wrangler's
 * own copy; it is not hoisted, so it is loaded from wrangler's dependency path). Rounds interleave
 * crypto.subtle.verify, the core's verify on fresh tokens and on one repeated token; each batch is
 * timed inside the isolate.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { compare, type Contender, type Measured, type Plan } from "../measure.js";
import { ALGS, AUDIENCE, ISSUER, JWKS_URI, type BenchAlg, type Fixtures } from "../setup.js";

export const WORKERD_ROW = {
  subtle: "raw crypto.subtle.verify",
  core: "core verify (fresh tokens)",
  coreSame: "core verify (same token)",
  authorize: "core authorize() (fresh tokens)",
  authorizeSame: "core authorize() (same token)",
} as const;

/** The slice of Miniflare's API we use. */
interface MiniflareLike {
  ready: Promise<unknown>;
  dispatchFetch(
    url: string,
    init?: { method?: string; body?: string },
  ): Promise<{ status: number; json(): Promise<unknown>; text(): Promise<string> }>;
  dispose(): Promise<void>;
}

export interface WorkerdResult {
  runtime: string;
  rows: Record<BenchAlg, Record<string, Measured>>;
}

/** Miniflare from wrangler's dependencies. */
async function loadMiniflare(
  root: string,
): Promise<{ Miniflare: new (options: Record<string, unknown>) => MiniflareLike; via: string }> {
  const fromWrangler = createRequire(`${root}/node_modules/wrangler/package.json`);
  const path = fromWrangler.resolve("miniflare");
  const mod = (await import(pathToFileURL(path).href)) as {
    Miniflare: new (options: Record<string, unknown>) => MiniflareLike;
  };
  const version = (fromWrangler("miniflare/package.json") as { version: string }).version;
  return { Miniflare: mod.Miniflare, via: `miniflare ${version} (wrangler's dependency)` };
}

async function bundle(): Promise<string> {
  const entry = fileURLToPath(new URL("./workerd-worker.ts", import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  return out.outputFiles[0]!.text;
}

/** Runs the workerd rows; the isolate is always disposed. */
export async function workerdRows(root: string, fx: Fixtures, plan: Plan, perAlg: number): Promise<WorkerdResult> {
  const { Miniflare, via } = await loadMiniflare(root);
  const mf = new Miniflare({ modules: true, script: await bundle(), compatibilityDate: "2026-04-01" });
  try {
    await mf.ready;
    const tokens = Object.fromEntries(ALGS.map((alg) => [alg, fx.tokens[alg].slice(0, perAlg).map((t) => t.token)]));
    const setup = await mf.dispatchFetch("http://bench/setup", {
      method: "POST",
      body: JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwksUri: JWKS_URI, jwks: fx.jwks, tokens }),
    });
    if (setup.status !== 200) throw new Error(`bench worker setup failed: ${await setup.text()}`);
    // Inside the isolate the clock is coarse (about 1 ms): below that, the round trip stands in (calibration only).
    const batch =
      (op: string, alg: BenchAlg) =>
      async (start: number, n: number): Promise<number> => {
        const t0 = performance.now();
        const r = await mf.dispatchFetch(`http://bench/run?op=${op}&alg=${alg}&start=${start}&n=${n}`);
        const body = (await r.json()) as { ms?: number; error?: string };
        if (typeof body.ms !== "number") throw new Error(`bench worker: ${body.error}`);
        return body.ms >= 1 ? body.ms : performance.now() - t0;
      };
    const rows = {} as Record<BenchAlg, Record<string, Measured>>;
    for (const alg of ALGS) {
      const contenders: Contender[] = [
        { name: WORKERD_ROW.subtle, batch: batch("subtle", alg) },
        { name: WORKERD_ROW.core, batch: batch("core", alg) },
        { name: WORKERD_ROW.coreSame, batch: batch("core-same", alg) },
        { name: WORKERD_ROW.authorize, batch: batch("authorize", alg) },
        { name: WORKERD_ROW.authorizeSame, batch: batch("authorize-same", alg) },
      ];
      rows[alg] = await compare(contenders, plan);
    }
    return { runtime: `workerd via ${via}`, rows };
  } finally {
    await mf.dispose();
  }
}
