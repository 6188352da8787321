/**
 * Every ```ts block of README.md and docs/*.md, as a user would paste it into a file of their own:
 * all of them type-checked in one strict tsc program against the published types (dist/, through the
 * package's `exports`), then each one that exports a handler, an app or a server run on Node against
 * a stubbed issuer, with and without a token. `npm test` builds dist/ before the tests run.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allBlocks, ROOT, where, type Block } from "./blocks.js";
import { fileNameOf, snippetFolder } from "./harness.js";
import { runnableShape, runSnippet } from "./run-ts.js";

/**
 * `@aws-sdk/client-dynamodb` is not a dependency of this repository: the DynamoDB revocation store
 * snippet is checked against this much of its real API (the calls the snippet makes).
 */
const AWS_SDK_STUB = `declare module "@aws-sdk/client-dynamodb" {
  export type AttributeValue = { S: string; N?: never } | { N: string; S?: never } | { BOOL: boolean; S?: never; N?: never };
  export interface GetItemCommandInput { TableName: string; Key: Record<string, AttributeValue> }
  export class GetItemCommand { constructor(input: GetItemCommandInput); }
  export class DynamoDBClient {
    constructor(config: { region?: string });
    send(command: GetItemCommand): Promise<{ Item?: Record<string, AttributeValue> }>;
  }
}
`;

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noImplicitOverride: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  // The CDK snippets and the package's CDK types import only core names (App, Stack, StackProps) from
  // aws-cdk-lib, whose root re-exports its core next to every AWS service: reading the core alone gives
  // the same types for those names and spares the program ~2,600 declaration files (seconds of the test).
  paths: { "aws-cdk-lib": [join(ROOT, "node_modules/aws-cdk-lib/core/index.d.ts")] },
};

const blocks = allBlocks().filter((b) => b.lang === "ts");
const { dir, done } = snippetFolder("ts");
const files = new Map<Block, string>();

beforeAll(() => {
  for (const block of blocks) {
    const file = join(dir, fileNameOf(block, "ts"));
    writeFileSync(file, block.code);
    files.set(block, file);
  }
  writeFileSync(join(dir, "aws-sdk-stub.d.ts"), AWS_SDK_STUB);
});
afterAll(done);

describe("README and docs: TypeScript snippets", () => {
  it("there are snippets, and every one is a module of its own (imports what it uses)", () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) expect(/^\s*(import|export)\s/m.test(block.code), where(block)).toBe(true);
  });

  it("every snippet type-checks in one strict program against the published types", () => {
    const program = ts.createProgram([...files.values(), join(dir, "aws-sdk-stub.d.ts")], OPTIONS);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file || d.file.fileName.startsWith(dir))
      .map((d) => {
        const block = [...files].find(([, f]) => f === d.file?.fileName)?.[0];
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const line = block && at ? `${block.file}:${block.line + 1 + at.line}` : (d.file?.fileName ?? "");
        return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
    // The package's own types were used, not a path mapping to src/.
    const resolved = program.getSourceFiles().map((f) => f.fileName);
    expect(resolved.some((f) => f.startsWith(join(ROOT, "dist", "types")))).toBe(true);
  }, 120_000);

  const require = createRequire(join(ROOT, "package.json"));
  const runnable = blocks.filter((b) => runnableShape(b.code, (spec) => require.resolve(spec)) !== null);

  it("the snippets that can answer a request on Node are run (handlers, apps, servers, the Lambda handler)", () => {
    expect(runnable.length).toBeGreaterThanOrEqual(8);
  });

  it.each(runnable.map((b) => [where(b), b] as const))("%s answers as the text says", async (_, block) => {
    await runSnippet(block, files.get(block)!);
  });
});
