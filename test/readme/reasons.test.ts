/**
 * The README's reason-code table is the product's: exactly the codes of `REASONS`, each with its status.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REASONS } from "../../src/errors.js";
import { ROOT } from "./blocks.js";

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
