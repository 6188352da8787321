/**
 * Test harness for the built Lambda bundle: makes sure `dist/aws/handler.mjs` is built and fresh
 * (one build at a time across test files), and imports a fresh copy of it per configuration, because
 * the handler reads `process.env` when it is imported.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startTestIssuer, type TestAlg, type TestIssuer } from "../helpers/issuer.js";

export const ROOT = join(import.meta.dirname, "../..");
export const BUNDLE = join(ROOT, "dist/aws/handler.mjs");

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const fresh = () =>
  existsSync(BUNDLE) &&
  statSync(BUNDLE).mtimeMs >=
    Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "adapters/aws")), newest(join(ROOT, "adapters/node")));

/** Builds the `aws` target unless the bundle is newer than every source file. */
export function ensureBuilt(): void {
  const lock = join(ROOT, "dist/.aws-build-lock");
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 600 && !fresh(); i++) {
    try {
      mkdirSync(join(ROOT, "dist"), { recursive: true });
      mkdirSync(lock);
    } catch {
      Atomics.wait(wait, 0, 0, 100); // another test file is building
      continue;
    }
    try {
      if (!fresh()) execFileSync("npx", ["tsx", "scripts/build.ts", "aws"], { cwd: ROOT, stdio: "inherit" });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  if (!fresh()) throw new Error("dist/aws/handler.mjs could not be built");
}

let generation = 0;

/** The handler's signature as the Lambda runtime calls it. */
export type Handler = (event: unknown, context?: unknown) => Promise<any>;

/**
 * A test issuer of `alg` on 127.0.0.1 and the built handler trusting it (audience `api`), with `env` on
 * top: what most Lambda tests start from.
 */
export async function handlerWithIssuer(
  alg: TestAlg,
  env: Record<string, string> = {},
): Promise<{ issuer: TestIssuer; handler: Handler }> {
  ensureBuilt();
  const issuer = await startTestIssuer(alg);
  const handler = await importHandler({ JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", ...env });
  return { issuer, handler };
}

/** Imports a fresh handler with `env` set in `process.env` during the import (then restored). */
export async function importHandler(given: Record<string, string>): Promise<Handler> {
  // EMF metrics go to stdout once per invocation: off in tests unless a test asks for them.
  const env: Record<string, string> = { POWERTOOLS_METRICS_DISABLED: "true", ...given };
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(env)) {
    saved[key] = process.env[key];
    process.env[key] = env[key];
  }
  try {
    // A new query string gives a new module instance, so module-scope state starts cold.
    const mod = (await import(/* @vite-ignore */ `${pathToFileURL(BUNDLE).href}?instance=${++generation}`)) as {
      handler: Handler;
    };
    return mod.handler;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A Lambda context as the Node.js runtime passes it. */
export function lambdaContext(requestId = "c6af9ac6-7b61-11e6-9a41-93e812345678") {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "edge-jwt-authorizer",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:edge-jwt-authorizer",
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: "/aws/lambda/edge-jwt-authorizer",
    logStreamName: "2026/11/29/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 10_000,
  };
}

/** Captures what the handler writes to stdout and stderr (Powertools logs one JSON object per line). */
export async function captureLogs<T>(
  fn: () => Promise<T>,
): Promise<{ result: T | undefined; error: unknown; lines: Record<string, unknown>[]; raw: string }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof s.write;
  }
  let result: T | undefined;
  let error: unknown;
  try {
    result = await fn();
  } catch (e) {
    error = e;
  } finally {
    streams.forEach((s, i) => {
      s.write = originals[i]!;
    });
  }
  const raw = chunks.join("");
  const lines = raw
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { result, error, lines, raw };
}
