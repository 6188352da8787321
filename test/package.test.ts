/**
 * The package as users import it: `npm test` builds first, then these imports resolve through
 * package.json `exports` to dist/, exactly as `import "edge-jwt-authorizer"` does in an application.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type * as CdkEntry from "../adapters/cdk/index.js";

const load = (specifier: string) => import(/* @vite-ignore */ specifier);

describe("the published entry points", () => {
  it("the core exports createAuthorizer, configFromEnv and the response helpers", async () => {
    const core = await load("edge-jwt-authorizer");
    for (const name of [
      "createAuthorizer",
      "configFromEnv",
      "refusalResponse",
      "forwardHeaders",
      "AuthError",
      "ConfigError",
      "REASONS",
    ])
      expect(typeof core[name], name).not.toBe("undefined");
    const authorizer = core.createAuthorizer(
      core.configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" }),
    );
    const decision = await authorizer.authorize(new Request("https://api.example/x"));
    expect(decision).toMatchObject({ ok: false, status: 401, code: "token_missing" });
  });

  it.each([
    ["edge-jwt-authorizer/hono", "jwtAuthorizer"],
    ["edge-jwt-authorizer/cloudflare", "workerAuthorizer"],
    ["edge-jwt-authorizer/aws", "createHandler"],
    ["edge-jwt-authorizer/vercel", "createMiddleware"],
    ["edge-jwt-authorizer/origin", "createOriginVerifier"],
    ["edge-jwt-authorizer/origin", "originMiddleware"],
    ["edge-jwt-authorizer/origin", "assertionMiddleware"],
    ["edge-jwt-authorizer/node", "nodeAuthorizer"],
    ["edge-jwt-authorizer/node", "nodeVerifySignature"],
  ])("%s exports %s", async (specifier, name) => {
    expect(typeof (await load(specifier))[name]).toBe("function");
  });

  it("on Node the root export resolves to the node:crypto build (the node condition), elsewhere to the neutral one", async () => {
    const { createRequire } = await import("node:module");
    const pkg = (await import("../package.json", { with: { type: "json" } })).default as unknown as {
      exports: Record<string, Record<string, string>>;
    };
    expect(createRequire(import.meta.url).resolve("edge-jwt-authorizer")).toMatch(/dist\/node-root\.js$/);
    expect(pkg.exports["."]!.default).toBe("./dist/index.js");
    const core = await load("edge-jwt-authorizer");
    expect(typeof core.createAuthorizer).toBe("function");
  });

  it("edge-jwt-authorizer/cloudflare's default export is the ready-made Worker (a fetch handler)", async () => {
    const worker = (await load("edge-jwt-authorizer/cloudflare")).default as { fetch: unknown };
    expect(typeof worker.fetch).toBe("function");
  });

  it("edge-jwt-authorizer/cdk is a stack a user's own CDK app instantiates, with the handler this package ships", async () => {
    const { App } = await import("aws-cdk-lib");
    const { Template } = await import("aws-cdk-lib/assertions");
    const { AuthorizerStack } = (await load("edge-jwt-authorizer/cdk")) as typeof CdkEntry;
    const stack = new AuthorizerStack(new App(), "UserApp", {
      jwtEnv: { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" },
      originUrl: "https://backend.example.com",
    });
    const fns = Object.values(Template.fromStack(stack).findResources("AWS::Lambda::Function"));
    expect(fns.some((f) => f.Properties.Handler === "handler.handler")).toBe(true);
  }, 120_000);

  it("ships type declarations for every entry point named in package.json", async () => {
    const pkg = (await import("../package.json", { with: { type: "json" } })).default as {
      exports: Record<string, { types?: string } | string>;
    };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      expect(existsSync(new URL(`../${target.types}`, import.meta.url)), `${entry} -> ${target.types}`).toBe(true);
    }
  });
});
