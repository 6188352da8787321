/**
 * The Worker under `wrangler dev` for the local stack: spawned in its own process group (so stopping it
 * stops workerd too), bound to 127.0.0.1, local mode, metrics off, configured by `--var`s.
 * @module
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** How long `npm start` waits for the Worker to answer its first request. */
export const WORKER_READY_TIMEOUT_MS = 60_000;
/** How long a stopped Worker gets to exit before it is killed. */
export const WORKER_STOP_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 250;

/** A running `wrangler dev`. */
export interface DevWorker {
  url: string;
  child: ChildProcess;
  /** The last lines wrangler printed (for error reports). */
  tail(): string;
  /** Stops the whole process group; resolves when wrangler has exited. */
  stop(): Promise<void>;
}

/** Spawns `wrangler dev` on the root wrangler.toml with `vars` (name → value). */
export function spawnWorker(options: {
  root: string;
  port: number;
  inspectorPort: number;
  vars: Record<string, string>;
  log: (line: string) => void;
}): DevWorker {
  const bin = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
  const args = [
    bin,
    "dev",
    "--config",
    join(options.root, "wrangler.toml"),
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--inspector-port",
    String(options.inspectorPort),
    "--local",
    "--show-interactive-dev-session=false",
    ...Object.entries(options.vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.root,
    detached: true, // its own process group: stop() kills wrangler, esbuild and workerd together
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim())) {
      lines.push(line);
      if (lines.length > 20) lines.shift();
      options.log(line);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // the group is gone already
    }
  };
  return {
    url: `http://127.0.0.1:${options.port}`,
    child,
    tail: () => lines.join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return signal("SIGKILL"); // leftover children, if any
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), WORKER_STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      signal("SIGKILL"); // workerd children that outlived wrangler
    },
  };
}

/**
 * Resolves when the Worker answers any HTTP request; rejects on timeout or when wrangler exits first.
 */
export async function waitForWorker(worker: DevWorker, timeoutMs = WORKER_READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null)
      throw new Error(
        `wrangler dev exited (${worker.child.exitCode ?? worker.child.signalCode}) before the Worker answered`,
      );
    try {
      await fetch(`${worker.url}/`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
  throw new Error(`the Worker did not answer on ${worker.url} within ${timeoutMs / 1000} s`);
}
