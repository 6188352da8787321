/**
 * Blocks that show what the product prints or reads, compared with the product: `text` blocks by their
 * role (the `npm start` banner, the ARN diagram, `verify`'s checklist), the Analytics Engine query
 * against the data point the Worker writes, and the SAM template against the handler `npm run build`
 * writes and the settings the CDK stack uses.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/config/from-env.js";
import { analyticsWriter } from "../../adapters/cloudflare/analytics.js";
import { parseArn } from "../../adapters/aws/iam-policy.js";
import { allBlocks, ROOT, TEXT_ROLES, where, type Block } from "./blocks.js";

const blocks = allBlocks();
const text = (role: string) => blocks.filter((b) => b.lang === "text" && b.role === role);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const cases = (list: Block[]) => list.map((b) => [where(b), b] as const);

describe("README and docs: output blocks", () => {
  it("every text block names its checker", () => {
    for (const b of blocks.filter((b) => b.lang === "text")) expect(TEXT_ROLES, where(b)).toContain(b.role);
  });

  it.each(cases(text("npm-start")))("%s is what npm start prints (its curl lines)", (_, block) => {
    const start = readFileSync(join(ROOT, "infra/local/start.ts"), "utf8");
    const path = /const DEMO_PATH = "([^"]+)"/.exec(start)![1]!;
    const from = start.indexOf("With a fresh token");
    const template = start.slice(from, start.indexOf("\n\n", start.indexOf("Without a token", from)));
    const pattern = escape(template)
      .replace(/\\\$\\\{token\\\}/g, "eyJ[\\w.-]*(?:\\.\\.\\.)?")
      .replace(/\\\$\\\{url\\\}/g, escape(`http://127.0.0.1:8787${path}`));
    expect(block.code.trimEnd()).toMatch(new RegExp(`^${pattern}$`));
  });

  it.each(cases(text("arn-diagram")))("%s names the parts of the ARN as the Lambda handler reads them", (_, block) => {
    // Each └──┘ spans a part of the ARN; its label is inside it, or below it when it is too short.
    const [arn, brackets, below = ""] = block.code.split("\n") as [string, string, string?];
    const parsed = parseArn(arn)!;
    const parts = [...brackets.matchAll(/└[^┘]*┘/g)].map((m) => ({
      label: m[0].replace(/[└┘─]/g, "").trim() || (/^\S+/.exec(below.slice(m.index))?.[0] ?? ""),
      spans: arn.slice(m.index, m.index + m[0].length),
    }));
    expect(parts.map((p) => p.label)).toEqual(["stage ARN", "verb", "path"]);
    expect(parts[0]!.spans).toBe(parsed.stage);
    expect(parts[1]!.spans).toBe(parsed.verb);
    expect(`/${parts[2]!.spans}`).toBe(parsed.path);
  });

  it.each(cases(text("verify-checklist")))("%s is what edge-jwt verify prints for an expired token", (_, block) => {
    const dir = mkdtempSync(join(tmpdir(), "readme-verify-"));
    try {
      const cli = (...args: string[]) =>
        execFileSync(process.execPath, [join(ROOT, "dist/cli.js"), ...args], { cwd: dir });
      cli("keygen", "--alg", "ES256", "--out", "keys");
      const iss = "https://issuer.example";
      const token = cli("token", "--key", "keys/private.jwk.json", "--iss", iss, "--aud", "api", "--exp=-12m")
        .toString()
        .trim();
      const args = ["verify", token, "--issuer", iss, "--audience", "api", "--jwks", "keys/jwks.json"];
      const run = spawnSync(process.execPath, [join(ROOT, "dist/cli.js"), ...args], { cwd: dir, encoding: "utf8" });
      expect(run.status).toBe(1);
      const normal = (s: string) =>
        s
          .trimEnd()
          .replace(/(kid +)\S+/, "$1<kid>")
          .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z \(\d+ min ago\)/, "<time> (<n> min ago)");
      expect(normal(run.stdout)).toBe(normal(block.code));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(cases(blocks.filter((b) => b.lang === "sql")))(
    "%s queries the dataset and columns the Worker writes",
    (_, block) => {
      const page = readFileSync(join(ROOT, block.file), "utf8");
      const dataset = /dataset = "([^"]+)"/.exec(page)?.[1];
      expect(block.code).toMatch(new RegExp(`FROM ${dataset}\\b`));
      const points: Array<{ blobs: string[] }> = [];
      analyticsWriter({ writeDataPoint: (p) => points.push(p as { blobs: string[] }) })({
        allowed: false,
        code: "token_expired",
        status: 401,
        method: "GET",
        durationMs: 1,
        tokenCache: "none",
        jwksFetched: false,
      } as Parameters<ReturnType<typeof analyticsWriter>>[0]);
      const blobs = points[0]!.blobs;
      for (const [, n, value] of block.code.matchAll(/blob(\d+) = '([^']+)'/g))
        expect(blobs[Number(n) - 1]).toBe(value);
      for (const [, n] of block.code.matchAll(/blob(\d+) AS code/g)) expect(blobs[Number(n) - 1]).toBe("token_expired");
    },
  );

  it.each(cases(blocks.filter((b) => b.lang === "yaml")))(
    "%s deploys the built handler with the settings the CDK stack uses",
    (_, block) => {
      // yaml comes with aws-cdk-lib (a dev dependency); parsing with its CloudFormation tags kept as data.
      const cdk = createRequire(createRequire(join(ROOT, "package.json")).resolve("aws-cdk-lib"));
      const YAML = cdk("yaml") as { parse(text: string, options: object): any };
      const getAtt = { tag: "!GetAtt", resolve: (v: string) => ({ "Fn::GetAtt": v }) };
      const template = YAML.parse(block.code, { customTags: [getAtt] });
      const fn = template.Resources.JwtAuthorizerFunction.Properties;
      const [file, exported] = fn.Handler.split(".");
      expect(existsSync(join(ROOT, fn.CodeUri, `${file}.mjs`))).toBe(true);
      expect(readFileSync(join(ROOT, fn.CodeUri, `${file}.mjs`), "utf8")).toMatch(new RegExp(`\\b${exported}\\b`));
      const stack = readFileSync(join(ROOT, "infra/aws/stack.ts"), "utf8");
      expect(stack).toContain(`Runtime.${fn.Runtime.replace("nodejs", "NODEJS_").replace(".x", "_X")}`);
      expect(() => configFromEnv(fn.Environment.Variables)).not.toThrow();
      const http = template.Resources.HttpApi.Properties.Auth.Authorizers.Jwt;
      expect(http.AuthorizerPayloadFormatVersion).toBe("2.0");
      expect(http.Identity.Headers).toContain("Authorization");
      expect(template.Resources.RestApi.Properties.Auth.Authorizers.Jwt.FunctionPayloadType).toBe("REQUEST");
    },
  );
});
