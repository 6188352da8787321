/**
 * Every relative link of README.md and docs/*.md points at a file that exists and, with a `#fragment`,
 * at a heading of that file (GitHub's anchor rules: lower case, punctuation dropped, spaces to dashes,
 * `-1`, `-2` for repeats).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { markdownFiles, ROOT } from "./blocks.js";

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
