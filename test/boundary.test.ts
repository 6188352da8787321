/**
 * The core stays platform-neutral: every file under src/ imports only relative
 * paths inside src/ and `jose`, and never touches `process` (no `process.env`, no `process.anything`).
 * Files are parsed with the TypeScript compiler, so comments and strings that merely mention a module
 * or `process.env` do not count, and `import()`, `require()` and `export ... from` do.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const PLATFORM = [/^node:/, /^cloudflare:/, /^aws-lambda$/, /^@aws-lambda-powertools\//, /^@vercel\//, /^hono(\/|$)/];

/** Every .ts/.js/.mts file under a directory, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** What one file imports (every form) and every place it reaches for `process`. */
function scan(fileName: string, text: string): { specifiers: string[]; processUses: string[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const processUses: string[] = [];
  const where = (node: ts.Node) => `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      const arg = node.arguments[0];
      specifiers.push(arg && ts.isStringLiteralLike(arg) ? arg.text : `<computed ${where(node)}>`);
    } else if (ts.isIdentifier(node) && node.text === "process") {
      // `process` as a value (not as a property name like `x.process` or a key `{ process: 1 }`).
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node);
      if (
        !isPropertyName ||
        (ts.isPropertyAccessExpression(parent) &&
          ts.isIdentifier(parent.expression) &&
          parent.expression.text === "globalThis")
      )
        processUses.push(where(node));
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === "process"
    ) {
      processUses.push(where(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { specifiers, processUses };
}

/** Why a specifier is not allowed in `file`, or undefined when it is. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier === "jose") return undefined;
  if (specifier.startsWith("./") || specifier.startsWith("../")) {
    const target = resolve(dirname(file), specifier);
    return target === SRC || target.startsWith(SRC + sep) ? undefined : `leaves src/: ${specifier}`;
  }
  if (PLATFORM.some((p) => p.test(specifier))) return `platform module: ${specifier}`;
  return `not relative and not jose: ${specifier}`;
}

describe("the core's boundary", () => {
  const files = sourceFiles(SRC);

  it("src/ has source files to check (the scan is not vacuous)", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.endsWith(`${sep}index.ts`))).toBe(true);
  });

  it("no file under src/ imports a platform module, or anything but relative paths inside src/ and jose", () => {
    const problems = files.flatMap((file) => {
      const { specifiers } = scan(file, readFileSync(file, "utf8"));
      return specifiers
        .map((s) => violation(file, s))
        .filter(Boolean)
        .map((v) => `${relative(SRC, file)}: ${v}`);
    });
    expect(problems).toEqual([]);
  });

  it("no file under src/ reads process.env, or process at all", () => {
    const uses = files.flatMap((file) => scan(relative(SRC, file), readFileSync(file, "utf8")).processUses);
    expect(uses).toEqual([]);
  });

  it("src/ uses jose (the one allowed package) somewhere", () => {
    const all = files.flatMap((file) => scan(file, readFileSync(file, "utf8")).specifiers);
    expect(all).toContain("jose");
  });
});

describe("the boundary checker itself", () => {
  const file = join(SRC, "example.ts");
  const bad = (text: string) =>
    scan(file, text)
      .specifiers.map((s) => violation(file, s))
      .filter(Boolean);

  it.each([
    ['import { createHash } from "node:crypto";', "platform module: node:crypto"],
    ['import type { ExecutionContext } from "cloudflare:workers";', "platform module: cloudflare:workers"],
    ['import type { Handler } from "aws-lambda";', "platform module: aws-lambda"],
    ['import { Logger } from "@aws-lambda-powertools/logger";', "platform module: @aws-lambda-powertools/logger"],
    ['export { next } from "@vercel/functions";', "platform module: @vercel/functions"],
    ['const { Hono } = await import("hono");', "platform module: hono"],
    ['import { jwk } from "hono/jwk";', "platform module: hono/jwk"],
    ['const fs = require("fs");', "not relative and not jose: fs"],
    ['import "crypto";', "not relative and not jose: crypto"],
    ['import { x } from "jose/dist/webapi/index.js";', "not relative and not jose: jose/dist/webapi/index.js"],
    ['import { handler } from "../adapters/aws/handler.js";', "leaves src/: ../adapters/aws/handler.js"],
    ['type T = import("node:http").Server;', "platform module: node:http"],
  ])("catches %s", (text, expected) => {
    expect(bad(text)).toEqual([expected]);
  });

  it("accepts relative imports inside src/ and jose", () => {
    expect(
      bad(
        'import { a } from "./a.js";\nimport { b } from "./keys/b.js";\nimport { jwtVerify } from "jose";\nexport * from "./c.js";',
      ),
    ).toEqual([]);
  });

  it.each([
    "const region = process.env.AWS_REGION;",
    'const e = process["env"];',
    "const v = process.versions.node;",
    "const p = globalThis.process;",
    'const p = globalThis["process"];',
    "const { env } = process;",
  ])("catches a process use: %s", (text) => {
    expect(scan("x.ts", text).processUses.length).toBeGreaterThan(0);
  });

  it("ignores process and module names mentioned only in comments and strings, and process as a property name", () => {
    const text =
      '// reads process.env in the adapter, not here\n/** like `import "node:crypto"` */\nconst s = "process.env";\nconst o = { process: 1 };\nconst p = o.process;';
    expect(scan("x.ts", text)).toEqual({ specifiers: [], processUses: [] });
  });
});
