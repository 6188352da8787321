/**
 * `npm run build`: every deployable artifact (README, "Build artifacts"), into dist/.
 * Each target is one esbuild call; the Worker is built by wrangler itself (dry run), so what we test
 * is what `wrangler deploy` would upload.
 */
import { build, type BuildOptions } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync, existsSync } from "node:fs";

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const common: BuildOptions = {
  bundle: true,
  format: "esm",
  target: "es2022",
  logLevel: "warning",
  legalComments: "none",
};

if (only.length === 0) rmSync("dist", { recursive: true, force: true });

if (want("lib")) {
  // The package entries, sharing one copy of the core through code splitting.
  const entries = {
    index: "src/index.ts",
    hono: "adapters/hono/index.ts",
    cloudflare: "adapters/cloudflare/index.ts",
    aws: "adapters/aws/index.ts",
    vercel: "adapters/vercel/index.ts",
    origin: "adapters/origin/index.ts",
    node: "adapters/node/index.ts",
    "node-root": "adapters/node/root.ts",
    cdk: "adapters/cdk/index.ts",
  };
  await build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file))),
    outdir: "dist",
    splitting: true,
    platform: "neutral",
    packages: "external",
  });
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
if (want("aws") && existsSync("adapters/aws/handler.ts")) {
  await build({
    ...common,
    entryPoints: ["adapters/aws/handler.ts"],
    outfile: "dist/aws/handler.mjs",
    platform: "node",
    target: "node20",
    minify: true,
    // Powertools is CommonJS-free ESM, but some dependencies still call require(); give them one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
if (want("vercel") && existsSync("adapters/vercel/middleware.ts")) {
  await build({
    ...common,
    entryPoints: ["adapters/vercel/middleware.ts"],
    outfile: "dist/vercel/middleware.js",
    platform: "browser",
    conditions: ["edge-light", "worker", "browser"],
    minify: true,
    // An optional peer: the project's own copy, when it has one (the import is guarded).
    external: ["@opentelemetry/api"],
  });
}
if (want("cli") && existsSync("adapters/cli/main.ts")) {
  await build({
    ...common,
    entryPoints: ["adapters/cli/main.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  });
}
if (want("cloudflare") && existsSync("adapters/cloudflare/worker.ts")) {
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist/cloudflare"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
}
