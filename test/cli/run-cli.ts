/**
 * Runs the real CLI as a child process. The CLI is bundled once per test file with the same esbuild
 * options as `scripts/build.ts cli` (into a temporary folder, not dist/), then run with plain node:
 * the artifact users get, at a fraction of tsx's start-up cost.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CLI_TIMEOUT_MS = 20_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let bundled: Promise<string> | undefined;

/** Bundles adapters/cli/main.ts (once) and resolves to the file. */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), "edge-jwt-cli-bundle-")), "cli.mjs");
    await build({
      entryPoints: [join(ROOT, "adapters", "cli", "main.ts")],
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "warning",
      banner: { js: "#!/usr/bin/env node" },
    });
    return outfile;
  })();
  return bundled;
}

/** Deletes the temporary bundle (call from afterAll). */
export async function removeCliBundle(): Promise<void> {
  if (!bundled) return;
  const file = await bundled;
  rmSync(dirname(file), { recursive: true, force: true });
  bundled = undefined;
}

/** `edge-jwt <args>`; `input` is written to stdin. */
export async function cli(args: string[], input?: string): Promise<CliResult> {
  const file = await cliBundle();
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [file, ...args],
      { cwd: ROOT, timeout: CLI_TIMEOUT_MS, env: { ...process.env, EDGE_JWT_KEY: "" } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as unknown as number) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? "");
  });
}
