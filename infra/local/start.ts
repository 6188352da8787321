/**
 * `npm start`: the whole product on 127.0.0.1 with zero configuration. Starts the development issuer
 * and the demo origin, then the Worker under `wrangler dev` trusting that issuer; waits until the Worker
 * answers; prints its URL and two curl lines (200 with a fresh token, 401 without). Ctrl-C or SIGTERM
 * stops everything it started.
 *
 * Ports: WORKER_PORT / --worker-port (8787), ISSUER_PORT / --issuer-port (8788),
 * ORIGIN_PORT / --origin-port (8789).
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { watchAncestors } from "./ancestors.js";
import { DEV_AUDIENCE, startDevIssuer, type DevIssuer } from "./issuer.js";
import { startDemoOrigin, type DemoOrigin } from "./origin.js";
import { assertFree, choosePort, freePort, PORTS, StartError } from "./ports.js";
import { spawnWorker, waitForWorker, type DevWorker } from "./wrangler.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The path the curl lines call (any path is protected by default). */
const DEMO_PATH = "/hello";

const HELP = `Usage: npm start [-- --worker-port <p>] [--issuer-port <p>] [--origin-port <p>] [--verbose]

Runs the Worker locally (wrangler dev) in front of a demo origin, trusting a development issuer.
Ports also come from WORKER_PORT (8787), ISSUER_PORT (8788) and ORIGIN_PORT (8789).
--verbose shows wrangler's own output. Ctrl-C stops everything.
`;

const started: { issuer?: DevIssuer; origin?: DemoOrigin; worker?: DevWorker } = {};
let stopping: Promise<void> | undefined;

/** Stops the Worker's process group, then the issuer and the origin. Safe to call more than once. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await started.worker?.stop();
    await Promise.all([started.issuer?.stop(), started.origin?.stop()]);
  })();
  return stopping;
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "worker-port": { type: "string" },
      "issuer-port": { type: "string" },
      "origin-port": { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const workerPort = choosePort(PORTS.worker, values["worker-port"], process.env);
  const issuerPort = choosePort(PORTS.issuer, values["issuer-port"], process.env);
  const originPort = choosePort(PORTS.origin, values["origin-port"], process.env);
  if (!existsSync(join(ROOT, "wrangler.toml"))) throw new StartError(`no wrangler.toml in ${ROOT}`);
  await assertFree(workerPort, PORTS.worker);

  started.issuer = await startDevIssuer({ port: issuerPort });
  started.origin = await startDemoOrigin({ port: originPort });
  const vars = { JWT_ISSUER: started.issuer.url, JWT_AUDIENCE: DEV_AUDIENCE, ORIGIN_URL: started.origin.url };
  process.stderr.write(
    `starting wrangler dev on 127.0.0.1:${workerPort} (issuer ${started.issuer.url}, origin ${started.origin.url})...\n`,
  );
  const worker = spawnWorker({
    root: ROOT,
    port: workerPort,
    inspectorPort: await freePort(),
    vars,
    log: (line) => {
      if (values.verbose) process.stderr.write(`[wrangler] ${line}\n`);
    },
  });
  started.worker = worker;
  worker.child.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `npm start: wrangler dev stopped unexpectedly (${code ?? signal}); last output:\n${worker.tail()}\n`,
    );
    void stopAll().then(() => process.exit(1));
  });
  try {
    await waitForWorker(worker);
  } catch (e) {
    throw new StartError(`${(e as Error).message}; wrangler said:\n${worker.tail()}`);
  }

  const token = await started.issuer.mint({
    sub: "alice",
    scope: "read write",
    roles: ["admin"],
    permissions: ["orders:write"],
  });
  const url = `${worker.url}${DEMO_PATH}`;
  const check = await Promise.all([
    fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => 0,
    ),
    fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => 0,
    ),
  ]);
  process.stdout.write(`
edge-jwt-authorizer is running locally.
  Worker  ${worker.url}  (wrangler dev; JWT_ISSUER=${vars.JWT_ISSUER} JWT_AUDIENCE=${vars.JWT_AUDIENCE} ORIGIN_URL=${vars.ORIGIN_URL})
  Issuer  ${started.issuer.url}  (discovery /.well-known/openid-configuration, JWKS /jwks.json, POST /token; keys in infra/local/.keys/)
  Origin  ${started.origin.url}  (echoes the identity headers it receives)

With a fresh token (expect 200):
curl -i -H "Authorization: Bearer ${token}" ${url}

Without a token (expect 401):
curl -i ${url}

Mint another token:
curl -s -X POST ${started.issuer.url}/token -H "content-type: application/json" -d '{"sub":"bob","scope":"read","roles":["viewer"]}'
`);
  if (check[0] !== 200 || check[1] !== 401)
    process.stderr.write(
      `warning: self-check got ${check[0]} with the token and ${check[1]} without (expected 200 and 401)\n`,
    );
  process.stdout.write(`\nPress Ctrl-C to stop.\n`);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    void stopAll().then(() => process.exit(0));
  });
}
watchAncestors(() => {
  process.stderr.write("npm start: the parent process is gone; stopping\n");
  void stopAll().then(() => process.exit(1));
});
process.on("exit", () => {
  const pid = started.worker?.child.pid;
  if (pid)
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
});

run().catch(async (e: unknown) => {
  const message = e instanceof StartError ? e.message : `unexpected failure: ${(e as Error).message ?? String(e)}`;
  process.stderr.write(`npm start: ${message}\n`);
  await stopAll();
  process.exit(1);
});
