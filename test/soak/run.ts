/**
 * `npm run soak`: the Worker in workerd (wrangler's unstable_startWorker, in front of the echo origin)
 * and the built Lambda handler in-process, driven by concurrent clients while the issuer goes through
 * steady → rotation → down → slow → garbage. Prints a table, writes test/soak/results.json, and exits
 * non-zero if an invariant breaks. `SOAK_SECONDS` (or `--seconds=N`, default 60) is the whole run;
 * `SOAK_CONCURRENCY` (default 8) the clients per target. All traffic stays on 127.0.0.1.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startWorker } from "../cloudflare/harness.js";
import { startEchoOrigin } from "../helpers/origin.js";
import { formatTable, runSoak, type Target } from "./driver.js";
import { lambdaTarget } from "./lambda-target.js";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const seconds = Number(arg("seconds") ?? process.env.SOAK_SECONDS ?? 60);
const concurrency = Number(arg("concurrency") ?? process.env.SOAK_CONCURRENCY ?? 8);
const only = arg("targets") ?? process.env.SOAK_TARGETS ?? "worker,lambda";
const OUT = fileURLToPath(new URL("./results.json", import.meta.url));

const results = await runSoak(
  { durationMs: seconds * 1000, concurrency, timeoutMs: 500, log: (l) => console.log(l) },
  async (issuer, config) => {
    const targets: Target[] = [];
    const stops: Array<() => Promise<void>> = [];
    if (only.includes("worker")) {
      const origin = await startEchoOrigin();
      const worker = await startWorker(
        {
          JWT_ISSUER: issuer.issuer,
          JWT_AUDIENCE: "api",
          JWT_JWKS_URI: issuer.jwksUri("worker"),
          JWT_CONFIG: JSON.stringify(config),
          ORIGIN_URL: origin.url,
        },
        { persist: false },
      );
      stops.push(
        () => worker.dispose(),
        () => origin.stop(),
      );
      targets.push({
        name: "worker",
        async send(token) {
          const response = await worker.fetch("/orders/1", { headers: { authorization: `Bearer ${token}` } });
          await response.arrayBuffer();
          return response.status;
        },
      });
    }
    if (only.includes("lambda")) targets.push(await lambdaTarget(issuer, config));
    return { targets, stop: async () => void (await Promise.all(stops.map((s) => s()))) };
  },
);

console.log(`\n${seconds} s, ${concurrency} clients per target\n`);
console.log(formatTable(results));
writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${OUT}`);
if (results.violations.length) {
  console.error(`\nINVARIANTS BROKEN:\n${results.violations.join("\n")}`);
  process.exit(1);
}
process.exit(0);
