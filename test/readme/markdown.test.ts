/**
 * README.md and docs/*.md as documents: every fenced block is of a kind some test runs (so a new snippet
 * cannot slip in untested); every relative link points at a file that exists and, with a `#fragment`, at
 * a heading of that file (GitHub's anchor rules: lower case, punctuation dropped, spaces to dashes, `-1`,
 * `-2` for repeats); the front page's reason-code table is exactly `REASONS` of src/errors.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { REASONS } from "../../src/errors.js";
import {
  allBlocks,
  blocksOf,
  JSON_ROLES,
  markdownFiles,
  ROOT,
  RUNNERS,
  TEXT_ROLES,
  where,
  type Block,
} from "./blocks.js";

/** The blocks no runner takes: an unknown language, or a role its runner does not know. */
function uncovered(blocks: Block[]): string[] {
  return blocks
    .filter((b) => {
      if (!(b.lang in RUNNERS)) return true;
      if (b.lang === "json") return !JSON_ROLES.includes(b.role);
      if (b.lang === "text") return !TEXT_ROLES.includes(b.role);
      return b.role !== "";
    })
    .map(where);
}

describe("fenced blocks in README.md and docs/", () => {
  it("a block of a kind no runner takes is reported, so it fails the test below", () => {
    const page =
      "# x\n\n```python\nprint(1)\n```\n\n```json whatever\n{}\n```\n\n```\nplain\n```\n\n```ts\nexport {};\n```\n";
    expect(uncovered(blocksOf("x.md", page))).toEqual([
      "x.md:3 (python)",
      "x.md:7 (json whatever)",
      "x.md:11 (no info)",
    ]);
  });

  it("every block is run by a test: its language has a runner and its role a checker", () => {
    const blocks = allBlocks();
    expect(blocks.length).toBeGreaterThan(50);
    expect(uncovered(blocks)).toEqual([]);
  });

  it("every runner named is a test file of this folder", () => {
    for (const runner of Object.values(RUNNERS)) {
      const file = runner.split(":")[0]!;
      expect(existsSync(join(ROOT, "test/readme", file)), file).toBe(true);
    }
  });
});

/** The prose of a markdown file: fenced blocks and inline code removed, line numbers kept. */
function prose(text: string): string[] {
  let fence: string | null = null;
  return text.split("\n").map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) {
      fence = open[1]!;
      return "";
    }
    if (fence !== null) {
      if (new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) fence = null;
      return "";
    }
    return line.replace(/(`+)[^`]*?\1/g, "");
  });
}

/** GitHub's anchor for a heading's text. */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

export function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence: string | null = null;
  for (const line of readFileSync(join(ROOT, file), "utf8").split("\n")) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) fence = open[1]!;
    else if (fence !== null && new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) fence = null;
    if (fence !== null) continue;
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function relativeLinks(file: string): Array<{ line: number; target: string }> {
  const links: Array<{ line: number; target: string }> = [];
  prose(readFileSync(join(ROOT, file), "utf8")).forEach((text, i) => {
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ line: i + 1, target });
    }
  });
  return links;
}

describe("links in README.md and docs/", () => {
  it("the slug rules are GitHub's", () => {
    expect(slug("`JWT_CONFIG` schema")).toBe("jwt_config-schema");
    expect(slug("Node: Express, Connect, `node:http` (`edge-jwt-authorizer/node`)")).toBe(
      "node-express-connect-nodehttp-edge-jwt-authorizernode",
    );
    expect(slug("Caching (the identity source is the cache key)")).toBe("caching-the-identity-source-is-the-cache-key");
    expect(slug("Answers: 401, 403, 500")).toBe("answers-401-403-500");
  });

  it.each(markdownFiles())("every relative link of %s points at an existing file and heading", (file) => {
    const broken: string[] = [];
    const links = relativeLinks(file);
    for (const { line, target } of links) {
      const [path, fragment] = target.split("#") as [string, string | undefined];
      const resolved = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
      if (!existsSync(join(ROOT, resolved))) {
        broken.push(`${file}:${line}: ${target} (no file ${resolved})`);
        continue;
      }
      if (fragment !== undefined && resolved.endsWith(".md") && !anchorsOf(resolved).has(fragment))
        broken.push(`${file}:${line}: ${target} (no heading #${fragment} in ${resolved})`);
    }
    expect(broken).toEqual([]);
  });
});

/** The rows of the first table whose header is `| code | status | meaning |`. */
function reasonTable(markdown: string): Array<{ code: string; status: number; meaning: string }> {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => /^\|\s*code\s*\|\s*status\s*\|\s*meaning\s*\|\s*$/.test(l));
  if (start < 0) throw new Error("README.md has no | code | status | meaning | table");
  const rows: Array<{ code: string; status: number; meaning: string }> = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    rows.push({ code: cells[0]!.replace(/`/g, ""), status: Number(cells[1]), meaning: cells[2] ?? "" });
  }
  return rows;
}

describe("README: answers and reason codes", () => {
  const rows = reasonTable(readFileSync(join(ROOT, "README.md"), "utf8"));

  it("lists exactly the reason codes of src/errors.ts, each once", () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(REASONS).sort());
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
  });

  it("gives each code the status the core answers with, and a meaning", () => {
    for (const row of rows) {
      expect(row.status, row.code).toBe(REASONS[row.code as keyof typeof REASONS].status);
      expect(row.meaning.length, row.code).toBeGreaterThan(10);
    }
  });
});
