/**
 * Runs the BUILT Vercel middleware (dist/vercel/middleware.js) inside `edge-runtime`, Vercel's own
 * emulation of its edge runtime: no Node globals, no `require`, no code generation from strings.
 * Also applies Vercel's `x-middleware-override-headers` rules, so tests can state what the origin receives.
 */
import { EdgeRuntime } from "edge-runtime";
import { build, transform } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BUNDLE = join(ROOT, "dist/vercel/middleware.js");

/** Newest modification time under a folder (sources of the bundle). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .reduce((max, e) => Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
}

/** Builds `dist/vercel/middleware.js` with the project's build script if it is missing or older than its sources. */
export function ensureBuilt(): void {
  const sources = Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "adapters/vercel")));
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  execFileSync("npx", ["tsx", "scripts/build.ts", "vercel"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

export interface LoadedMiddleware {
  runtime: EdgeRuntime;
  config: { matcher: string[] };
  /** Sends a request (built inside the VM) through the middleware. */
  call(path: string, headers?: Record<string, string>, method?: string): Promise<Response>;
}

/** An ESM bundle (as shipped) turned into a script that leaves its exports on `globalThis.__middleware`. */
export async function bundleAsScript(esm: string): Promise<string> {
  const { code } = await transform(esm, { format: "iife", globalName: "__middleware", target: "es2022" });
  return code;
}

/**
 * Evaluates a middleware bundle (default: the built dist/vercel/middleware.js) in a fresh edge runtime
 * whose `process.env` is `env` (or with no `process` at all).
 */
export async function loadMiddleware(
  env: Record<string, string> | null,
  esm = readFileSync(BUNDLE, "utf8"),
): Promise<LoadedMiddleware> {
  const runtime = new EdgeRuntime({
    extend: (context) => (env === null ? context : Object.assign(context, { process: { env: { ...env } } })),
  });
  runtime.evaluate(await bundleAsScript(esm));
  const exports = runtime.context.__middleware as {
    default: (r: Request) => Promise<Response>;
    config: { matcher: string[] };
  };
  return {
    runtime,
    config: exports.config,
    call(path, headers = {}, method = "GET") {
      const RequestInVm = runtime.context.Request as typeof Request;
      return exports.default(new RequestInVm(`https://app.example${path}`, { method, headers }));
    },
  };
}

/**
 * Bundles one file of the example project the way Vercel does (esbuild, ESM), with the package names
 * `edge-jwt-authorizer`, `/vercel` and `/origin` resolved to this checkout's sources.
 */
export async function bundleExample(entry: string, platform: "browser" | "node"): Promise<string> {
  const sources: Record<string, string> = {
    "edge-jwt-authorizer": "src/index.ts",
    "edge-jwt-authorizer/vercel": "adapters/vercel/index.ts",
    "edge-jwt-authorizer/origin": "adapters/origin/index.ts",
  };
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    platform,
    target: "es2022",
    logLevel: "silent",
    ...(platform === "browser" ? { conditions: ["edge-light", "worker", "browser"] } : {}),
    plugins: [
      {
        name: "this-checkout",
        setup: (b) =>
          b.onResolve({ filter: /^edge-jwt-authorizer(\/vercel|\/origin)?$/ }, (a) => ({
            path: join(ROOT, sources[a.path]!),
          })),
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/**
 * What the origin receives under Vercel's rules: when the middleware names an override list, the origin
 * gets exactly the listed headers that have an `x-middleware-request-<name>` value; an absent or empty
 * list leaves the inbound headers as they were.
 */
export function originHeaders(inbound: Record<string, string>, response: Response): Record<string, string> {
  const list = response.headers.get("x-middleware-override-headers");
  if (!list) return { ...inbound };
  const out: Record<string, string> = {};
  for (const name of list.split(",").map((n) => n.trim())) {
    const value = response.headers.get(`x-middleware-request-${name}`);
    if (value !== null) out[name] = value;
  }
  return out;
}
