/**
 * `npm run bench` (README, "Benchmarks"): measures the core against raw crypto, jose, aws-jwt-verify,
 * hono/jwk and fast-jwt in one process, inside workerd, and the shipped artifacts; prints the tables
 * and the targets of issue 9, and writes the same figures to test/bench/results.json.
 *
 * Flags: `--quick` (or BENCH_QUICK=1) runs everything with tiny counts (to keep the bench working, not
 * to read figures); `--out <file>` writes the JSON elsewhere.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { runBench } from "./results.js";
import { render } from "./print.js";

// No internet here: Miniflare must not try to fetch the `Request.cf` placeholder from Cloudflare.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
const args = process.argv.slice(2);
const quick = args.includes("--quick") || /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? "");
const outIndex = args.indexOf("--out");
const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const outFile =
  outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]!) : resolve(root, "test/bench/results.json");

const results = await runBench({ quick, root, progress: (line) => process.stderr.write(`${line}\n`) });
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${render(results)}\n\nwrote ${outFile}\n`);
