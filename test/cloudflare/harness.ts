/**
 * Runs the real Worker (root wrangler.toml, adapters/cloudflare/worker.ts) in workerd through wrangler's
 * `unstable_startWorker`, from the Node side, so the Node test servers (issuer, origin) can be counted.
 */
import { unstable_startWorker } from "wrangler";
import { fileURLToPath } from "node:url";

const CONFIG = fileURLToPath(new URL("../../wrangler.toml", import.meta.url));

export interface RunningWorker {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** `fetch` against the Worker: `path` is relative to its URL. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

export interface WorkerOptions {
  /** Directory for the Cache API and KV (shared by instances started with the same one); `false`: in memory. */
  persist: string | false;
  /** Bind a local KV namespace as `JWKS_KV`. */
  kv?: boolean;
  /** Bind a local Analytics Engine dataset as `JWT_ANALYTICS`. */
  analytics?: boolean;
  /** More bindings, as wrangler's `bindings` takes them (a KV namespace, a rate limiter). */
  bindings?: Record<string, object>;
  /** Another entry module (a test fixture wrapping the Worker); default: wrangler.toml's `main`. */
  entrypoint?: string;
}

/** Starts the Worker with `vars` (strings become text vars, objects JSON vars, JWT_SECRET a secret). */
export async function startWorker(
  vars: Record<string, string | object>,
  options: WorkerOptions,
): Promise<RunningWorker> {
  const bindings: Record<string, never> = {};
  for (const [name, value] of Object.entries(vars)) {
    const type = typeof value === "object" ? "json" : name === "JWT_SECRET" ? "secret_text" : "plain_text";
    bindings[name] = { type, value } as never;
  }
  if (options.kv) bindings.JWKS_KV = { type: "kv_namespace", id: "jwks-test" } as never;
  if (options.analytics) bindings.JWT_ANALYTICS = { type: "analytics_engine", dataset: "jwt_test" } as never;
  Object.assign(bindings, options.bindings);
  const worker = await unstable_startWorker({
    config: CONFIG,
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    envFiles: [],
    bindings,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: options.persist,
      watch: false,
      liveReload: false,
      remote: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  const url = String(await worker.url).replace(/\/$/, "");
  return {
    url,
    fetch: (path, init) => fetch(url + path, init),
    dispose: () => worker.dispose(),
  };
}

/** What the echo origin answers: the request it saw. */
export interface Echo {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
}

/** An `Authorization: Bearer` header. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
