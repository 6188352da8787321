/**
 * The configuration blocks of README.md and docs/*.md, read by the product itself: every `json` and
 * `jsonc` block is a `JWT_CONFIG` that `configFromEnv` accepts (with `JWT_ISSUER` and `JWT_AUDIENCE`
 * when it names no issuers), every `toml` block is a `wrangler.toml` that wrangler parses, whose
 * `[vars]` the core accepts and whose bindings are the ones the Worker reads. JSON blocks with a role
 * are what the product reads or writes: a revocation list, an IAM statement, a policy, a log line.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { configFromEnv } from "../../src/config/from-env.js";
import { parseRevocationList } from "../../src/revocation/parse.js";
import { createHandler } from "../../adapters/aws/index.js";
import { ROUTES } from "../aws/routes.js";
import { allBlocks, ROOT, where, JSON_ROLES, type Block } from "./blocks.js";
import { AUDIENCE, ISSUER, fileNameOf, snippetFolder, stubIssuer } from "./harness.js";

const blocks = allBlocks();
const of = (lang: string, role = "") => blocks.filter((b) => b.lang === lang && b.role === role);
const withoutComments = (jsonc: string) =>
  jsonc.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, string: string | undefined) => string ?? "");

/** The environment a configuration block is read with: issuer variables unless it lists issuers. */
function envFor(config: Record<string, unknown>): Record<string, unknown> {
  const env: Record<string, unknown> = { JWT_CONFIG: JSON.stringify(config) };
  if (!Array.isArray(config.issuers)) Object.assign(env, { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  // A secret named by the configuration is an environment variable the user sets.
  for (const [, name] of JSON.stringify(config).matchAll(/"clientSecretVar":"([A-Z0-9_]+)"/g)) env[name!] = "s3cret";
  return env;
}

describe("README and docs: JSON configuration blocks", () => {
  const configs = [...of("json"), ...of("jsonc")];
  it("every json block has a known role", () => {
    for (const b of blocks.filter((b) => b.lang === "json")) expect(JSON_ROLES, where(b)).toContain(b.role);
    expect(configs.length).toBeGreaterThan(10);
  });

  it.each(configs.map((b) => [where(b), b] as const))("%s is a JWT_CONFIG the core accepts", (_, block) => {
    const config = JSON.parse(block.lang === "jsonc" ? withoutComments(block.code) : block.code);
    expect(() => configFromEnv(envFor(config))).not.toThrow();
  });
});

describe("README and docs: JSON the product reads or writes", () => {
  it.each(of("json", "revocation-list").map((b) => [where(b), b] as const))(
    "%s is a revocation list the authorizer accepts, entry for entry",
    (_, block) => {
      const list = JSON.parse(block.code);
      const set = parseRevocationList(list);
      expect(set).toBeDefined();
      expect(list.revoked.length).toBeGreaterThan(0);
    },
  );

  it.each(of("json", "iam-statement").map((b) => [where(b), b] as const))("%s is an IAM statement", (_, block) => {
    const statement = JSON.parse(block.code);
    expect(Object.keys(statement).sort()).toEqual(["Action", "Effect", "Resource"]);
    expect(["Allow", "Deny"]).toContain(statement.Effect);
    expect(statement.Resource).toMatch(/^arn:aws:[a-z0-9-]+:/);
  });

  it.each(of("json", "iam-policy").map((b) => [where(b), b] as const))(
    "%s is the policy the Lambda handler returns for an orders:read token on the sample API (… marks a gap)",
    async (_, block) => {
      const shown = JSON.parse(block.code) as { Statement: Array<{ Effect: string; Resource: string[] }> };
      const issuer = await stubIssuer();
      try {
        const handler = createHandler({
          env: { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_CONFIG: JSON.stringify({ routes: ROUTES }) },
          logger: silentLogger(),
        });
        const arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/orders/42";
        const token = await issuer.token({ scope: "orders:read" });
        const answer = (await handler(
          { type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: arn },
          { awsRequestId: "readme" },
        )) as {
          policyDocument: { Statement: Array<{ Effect: string; Resource: string[] }> };
        };
        const stage = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod";
        const real = answer.policyDocument.Statement.map((s) => ({
          Effect: s.Effect,
          Resource: s.Resource.map((r) => r.replace(stage, "S")),
        }));
        expect(real.map((s) => s.Effect)).toEqual(shown.Statement.map((s) => s.Effect));
        shown.Statement.forEach((s, i) => expectWithGaps(real[i]!.Resource, s.Resource));
      } finally {
        vi.unstubAllGlobals();
      }
    },
  );

  it.each(of("json", "log-line").map((b) => [where(b), b] as const))(
    "%s is the line the Lambda handler logs for an expired token",
    async (_, block) => {
      const shown = JSON.parse(block.code) as Record<string, unknown>;
      const lines: string[] = [];
      const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      try {
        const handler = createHandler({ env: { JWT_ISSUER: String(shown.issuer), JWT_AUDIENCE: AUDIENCE } });
        const issuer = await stubIssuer({ issuer: String(shown.issuer), kid: String(shown.kid) });
        const token = await issuer.token({ exp: Math.floor(Date.now() / 1000) - 3600 });
        const arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/orders/42";
        const event = { type: "TOKEN", authorizationToken: `Bearer ${token}`, methodArn: arn };
        await expect(handler(event, { awsRequestId: "c6af9ac6" })).rejects.toThrow("Unauthorized");
      } finally {
        write.mockRestore();
        vi.unstubAllGlobals();
      }
      const real = lines
        .flatMap((l) => l.split("\n"))
        .filter((l) => l.includes('"authorization decision"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)[0]!;
      expect(real, lines.join("")).toBeDefined();
      for (const key of Object.keys(shown)) expect(Object.keys(real), key).toContain(key);
      const fixed = ["level", "message", "service", "event", "route", "allowed", "code", "status", "issuer", "kid"];
      for (const key of fixed) expect(real[key], key).toEqual(shown[key]);
    },
  );
});

describe("README and docs: wrangler.toml blocks", async () => {
  const { experimental_readRawConfig: readRawConfig } = await import("wrangler");
  const { dir, done } = snippetFolder("toml");
  afterAll(done);
  const BINDINGS = ["JWKS_KV", "JWT_REVOCATION_KV", "JWT_RATE_LIMITER", "JWT_ANALYTICS", "JWT_DPOP_REPLAY"];

  it.each(of("toml").map((b) => [where(b), b] as const))("%s is read by wrangler and by the Worker", (_, block) => {
    const file = join(dir, fileNameOf(block, "toml"));
    writeFileSync(file, block.code);
    const raw = readRawConfig({ config: file }).rawConfig as Record<string, any>;
    expect(Object.keys(raw).length, "wrangler read nothing").toBeGreaterThan(0);
    const vars = (raw.vars ?? {}) as Record<string, unknown>;
    if ("JWT_ISSUER" in vars || "JWT_CONFIG" in vars) expect(() => configFromEnv(vars)).not.toThrow();
    const bindings = [
      ...(raw.kv_namespaces ?? []).map((k: { binding: string }) => k.binding),
      ...(raw.ratelimits ?? []).map((r: { name: string }) => r.name),
      ...(raw.analytics_engine_datasets ?? []).map((a: { binding: string }) => a.binding),
      ...(raw.durable_objects?.bindings ?? []).map((d: { name: string }) => d.name),
    ];
    for (const name of bindings) expect(BINDINGS, name).toContain(name);
    if (raw.main?.startsWith("adapters/"))
      expect(() => readRawConfig({ config: join(ROOT, "wrangler.toml") })).not.toThrow();
    if (raw.compatibility_date) expect(raw.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

/** `shown` in order inside `real`; "..." stands for any number of entries, and only there may `real` have more. */
function expectWithGaps(real: string[], shown: string[]): void {
  let at = 0;
  let gap = false;
  for (const item of shown) {
    if (item === "...") {
      gap = true;
      continue;
    }
    const found = real.indexOf(item, at);
    expect(found, `${item} (in ${JSON.stringify(real)})`).toBeGreaterThanOrEqual(at);
    if (!gap) expect(found, `${item} follows directly`).toBe(at);
    at = found + 1;
    gap = false;
  }
  if (!gap) expect(at, "entries after the last one shown").toBe(real.length);
}

function silentLogger(): any {
  const noop = () => {};
  return { info: noop, warn: noop, error: noop, debug: noop, addContext: noop, appendKeys: noop } as never;
}

export type { Block };
