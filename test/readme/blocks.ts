/**
 * The fenced code blocks of README.md and every page under docs/, and how each kind is run. A block's info string is
 * its language and, where one language has several uses, a role: ```` ```json revocation-list ````.
 * GitHub highlights by the first word and shows nothing of the rest.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Block {
  /** README.md or docs/<page>.md */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  role: string;
  code: string;
}

/** README.md, then every .md under docs/ in name order. */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f.split(sep).join("/")}`)
    .sort();
  return ["README.md", ...docs];
}

/** Every fenced block (``` or ~~~, any length) of one markdown file. */
export function blocksOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const [lang = "", ...rest] = open[3]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j]!)) {
      body.push(lines[j]!);
      j++;
    }
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: a fence that never closes`);
    blocks.push({ file, line: i + 1, lang, role: rest.join(" "), code: body.join("\n") + "\n" });
    i = j;
  }
  return blocks;
}

export function allBlocks(): Block[] {
  return markdownFiles().flatMap((f) => blocksOf(f));
}

export const where = (b: Block) => `${b.file}:${b.line} (${[b.lang, b.role].filter(Boolean).join(" ") || "no info"})`;

/**
 * How each kind of block is run; a block whose kind is not here fails the coverage test, so a new
 * snippet cannot slip in untested. `text` and `sql` blocks need a role naming their checker.
 */
export const RUNNERS: Record<string, string> = {
  ts: "typescript.test.ts: type-checked in one strict tsc program against dist/; executed when it exports a handler, app or server",
  json: "config-blocks.test.ts: a JWT_CONFIG, accepted by configFromEnv (roles: revocation-list, iam-statement, iam-policy, log-line)",
  jsonc: "config-blocks.test.ts: comments removed, then as json",
  toml: "config-blocks.test.ts: parsed by wrangler; [vars] accepted by configFromEnv; bindings the Worker reads",
  sh: "shell.test.ts: run by bash in a temp folder, edge-jwt as dist/cli.js, npm/npx/wrangler/cdk/curl checked",
  console: "shell.test.ts: each `$ ` command run, the lines after it compared with what it printed",
  text: "output.test.ts: a role names what the product printed and how it is compared",
  sql: "output.test.ts: the Analytics Engine query against the data point the Worker writes",
  yaml: "output.test.ts: the SAM template parsed; handler, runtime and authorizer settings checked",
};

/** The roles a json block may take (none: a configuration). */
export const JSON_ROLES = ["", "revocation-list", "iam-statement", "iam-policy", "log-line"];
/** The checkers of text blocks (output.test.ts). */
export const TEXT_ROLES = ["npm-start", "arn-diagram", "verify-checklist"];
