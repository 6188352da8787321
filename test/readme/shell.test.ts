/**
 * Every ```sh block of README.md and docs/*.md runs in bash (`set -euo pipefail`) in a fresh folder,
 * with `edge-jwt` the built CLI and `npm`, `npx`, `curl` checked by name (see shims.ts); every
 * ```console block runs its `$ ` commands and must print exactly the lines that follow them.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CONTEXT_TO_ENV } from "../../infra/aws/app.js";
import { allBlocks, ROOT, where, type Block } from "./blocks.js";
import { installShims, type ShimSettings } from "./shims.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  scripts: Record<string, string>;
};
const settings: ShimSettings = {
  cli: join(ROOT, "dist", "cli.js"),
  core: join(ROOT, "dist", "index.js"),
  pkg: pkg.name,
  scripts: Object.keys(pkg.scripts),
  cdkContext: CONTEXT_TO_ENV,
  cdkExtraKeys: ["originUrl", "cacheTtl", "httpResponse", "stackName", "senderConstrained"],
  wranglerCommands: ["login", "deploy", "dev", "tail", "types", "secret put", "kv namespace create", "kv key put"],
  bindings: ["JWKS_KV", "JWT_REVOCATION_KV", "JWT_RATE_LIMITER", "JWT_ANALYTICS", "JWT_DPOP_REPLAY"],
};
const hasJq = spawnSync("sh", ["-c", "command -v jq"]).status === 0;
const shims = installShims(!hasJq);
const folders: string[] = [];
afterAll(() => {
  for (const dir of [shims, ...folders]) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding what the snippet expects to find: the folders it `cd`s into, the dev issuer's key. */
function workspace(block: Block): string {
  const dir = mkdtempSync(join(tmpdir(), "readme-sh-"));
  folders.push(dir);
  for (const [, target] of block.code.matchAll(/(?:^|&&|;)\s*cd\s+([^\s;&]+)/gm))
    mkdirSync(join(dir, target!), { recursive: true });
  if (block.code.includes("infra/local/.keys/private.jwk.json"))
    execFileSync(process.execPath, [settings.cli, "keygen", "--out", join(dir, "infra/local/.keys")]);
  return dir;
}

function bash(script: string, cwd: string) {
  const log = join(cwd, ".shim-log");
  const result = spawnSync("bash", ["-c", `set -euo pipefail\n${script}`], {
    cwd,
    encoding: "utf8",
    env: {
      PATH: `${shims}:${process.env.PATH}`,
      HOME: cwd,
      SHIM_LOG: log,
      SHIM_SETTINGS: JSON.stringify(settings),
    },
    timeout: 60_000,
  });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
  return { ...result, calls };
}

describe("README and docs: shell snippets", () => {
  const sh = allBlocks().filter((b) => b.lang === "sh");
  it("the CLI is built (npm test builds before it tests)", () => expect(existsSync(settings.cli)).toBe(true));

  it.each(sh.map((b) => [where(b), b] as const))("%s runs, every command checked", (_, block) => {
    const result = bash(block.code, workspace(block));
    expect(result.status, result.stderr).toBe(0);
    const commands = block.code
      .replace(/\\\n/g, " ")
      .split("\n")
      .filter((l) => /\b(edge-jwt|npm|npx|curl)\b/.test(l.replace(/#.*$/, "")));
    expect(result.calls.length, "commands that reached a shim").toBeGreaterThanOrEqual(commands.length);
  });
});

describe("README and docs: console transcripts", () => {
  const consoles = allBlocks().filter((b) => b.lang === "console");
  it.each(consoles.map((b) => [where(b), b] as const))("%s prints what the transcript shows", (_, block) => {
    const cwd = workspace(block);
    const steps: Array<{ command: string; output: string[] }> = [];
    for (const line of block.code.trimEnd().split("\n")) {
      if (line.startsWith("$ ")) steps.push({ command: line.slice(2), output: [] });
      else if (steps.length === 0) throw new Error(`${where(block)}: output before the first $ command`);
      else steps.at(-1)!.output.push(line);
    }
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const result = bash(step.command, cwd);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trimEnd().split("\n")).toEqual(step.output);
    }
  });
});
