/**
 * `npm start`, the real script, as a newcomer runs it: it must print two curl lines within 60 s, the
 * first must get 200 and the second 401, and Ctrl-C must stop every process it started.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertFree, freePort, PORTS } from "../../infra/local/ports.js";
import { ROOT } from "../cli/run-cli.js";
import { alive, commandLine, descendants, until } from "./processes.js";

const READY_TIMEOUT_MS = 60_000;

let npm: ChildProcess;
let output = "";
let errors = "";
let ports: { worker: number; issuer: number; origin: number };
let curls: string[] = [];
let tree: number[] = [];

function runCurl(line: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", `${line} -s -o /dev/null -w '%{http_code}' --max-time 10`],
      { timeout: 15_000 },
      (error, stdout) => {
        if (error) reject(new Error(`curl failed: ${error.message.split("\n")[0]}`));
        else resolve(Number(stdout.trim()));
      },
    );
  });
}

function stop(signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (npm.exitCode !== null || npm.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-npm.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 20_000);
    npm.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(-npm.pid!, signal); // the whole foreground group, as Ctrl-C in a terminal does
  });
}

beforeAll(async () => {
  ports = { worker: await freePort(), issuer: await freePort(), origin: await freePort() };
  npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WORKER_PORT: String(ports.worker),
      ISSUER_PORT: String(ports.issuer),
      ORIGIN_PORT: String(ports.origin),
    },
  });
  npm.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  npm.stderr!.on("data", (chunk: Buffer) => {
    errors += chunk.toString("utf8");
  });
  const started = Date.now();
  const ready = await until(() => /Press Ctrl-C to stop/.test(output) || npm.exitCode !== null, READY_TIMEOUT_MS, 200);
  console.info(`npm start printed its curl lines after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ready || npm.exitCode !== null)
    throw new Error(`npm start did not print its curl lines within 60 s; stderr:\n${errors.slice(-2000)}`);
  curls = output.split("\n").filter((line) => line.startsWith("curl -i"));
  tree = descendants(npm.pid!);
}, READY_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (npm && npm.exitCode === null && npm.signalCode === null) await stop("SIGKILL");
});

describe("npm start", () => {
  it("prints the Worker URL and exactly two curl lines, the first with a bearer token", () => {
    expect(output).toContain(`Worker  http://127.0.0.1:${ports.worker}`);
    expect(curls).toHaveLength(2);
    expect(curls[0]).toMatch(
      new RegExp(
        `^curl -i -H "Authorization: Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+" http://127\\.0\\.0\\.1:${ports.worker}/hello$`,
      ),
    );
    expect(curls[1]).toBe(`curl -i http://127.0.0.1:${ports.worker}/hello`);
    expect(existsSync(join(ROOT, "infra", "local", ".keys", "private.jwk.json"))).toBe(true);
  });

  it("gives 200 for the curl line with the fresh token", async () => {
    expect(await runCurl(curls[0]!)).toBe(200);
  });

  it("gives 401 for the curl line without a token", async () => {
    expect(await runCurl(curls[1]!)).toBe(401);
  });

  it("stops every process it started on Ctrl-C and frees its ports", async () => {
    expect(tree.length).toBeGreaterThanOrEqual(3); // at least sh/tsx, node, wrangler, workerd
    expect(tree.map(commandLine).some((c) => c.includes("workerd"))).toBe(true);
    await stop("SIGINT");
    const gone = await until(() => tree.every((pid) => !alive(pid)), 15_000);
    expect(gone ? [] : tree.filter(alive).map(commandLine)).toEqual([]);
    for (const [name, port] of Object.entries(ports))
      await expect(assertFree(port, PORTS[name as keyof typeof PORTS])).resolves.toBeUndefined();
  }, 40_000);
});
