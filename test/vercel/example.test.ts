/**
 * The example project in infra/vercel, wired as Vercel wires it: each file bundled with esbuild (the
 * package names resolved to this checkout's sources), middleware.ts run in edge-runtime, the origin
 * headers following Vercel's override rules, and api/hello.ts answering in Node.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { bundleExample, loadMiddleware, originHeaders } from "./edge.js";

let issuer: TestIssuer;
let middleware: (request: Request) => Promise<Response>;
let matcher: string[];
let hello: (request: Request) => Promise<Response>;
const dir = mkdtempSync(join(tmpdir(), "vercel-example-"));

beforeAll(async () => {
  issuer = await startTestIssuer("ES256");
  const env = { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api" };
  const edge = await loadMiddleware(env, await bundleExample("infra/vercel/middleware.ts", "browser"));
  ({
    config: { matcher },
  } = edge);
  middleware = (request) => edge.call(new URL(request.url).pathname, Object.fromEntries(request.headers));
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  writeFileSync(join(dir, "hello.mjs"), await bundleExample("infra/vercel/api/hello.ts", "node"));
  ({ GET: hello } = await import(/* @vite-ignore */ pathToFileURL(join(dir, "hello.mjs")).href));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
  await issuer?.stop();
});

/** One request as Vercel would run it: middleware first, then the function with the rewritten headers. */
async function viaVercel(headers: Record<string, string>): Promise<Response> {
  const url = "https://example.vercel.app/api/hello";
  const answer = await middleware(new Request(url, { headers }));
  if (answer.headers.get("x-middleware-next") !== "1") return answer;
  return hello(new Request(url, { headers: originHeaders(headers, answer) }));
}

describe("infra/vercel example project", () => {
  it("runs its middleware on /api/ and on the metadata path only", () => {
    expect(matcher).toEqual(["/api/:path*", "/.well-known/oauth-protected-resource"]);
  });

  it("greets the verified subject when the token is valid", async () => {
    const response = await viaVercel({
      authorization: `Bearer ${await issuer.sign({ sub: "alice" })}`,
      "x-auth-sub": "admin",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hello: "alice", issuer: issuer.issuer });
  });

  it("refuses at the middleware when the token is missing", async () => {
    const response = await viaVercel({ "x-auth-sub": "admin" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_request", code: "token_missing" });
  });

  it("still refuses a request that skipped the middleware with a spoofed x-auth-sub (CVE-2025-29927)", async () => {
    const response = await hello(
      new Request("https://example.vercel.app/api/hello", {
        headers: { "x-auth-sub": "admin", "x-middleware-subrequest": "middleware" },
      }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(await response.json()).toEqual({ error: "invalid_request", code: "token_missing" });
  });
});

describe("infra/vercel example project with JWT_ASSERTION_KEY: the function verifies the signed assertion", () => {
  let signedMiddleware: (request: Request) => Promise<Response>;
  let signedHello: (request: Request) => Promise<Response>;
  const signedDir = mkdtempSync(join(tmpdir(), "vercel-assertion-"));

  beforeAll(async () => {
    const { exportJWK, generateKeyPair } = await import("jose");
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const env = {
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: "api",
      JWT_ASSERTION_KEY: JSON.stringify({ ...(await exportJWK(privateKey)), kid: "vercel-1" }),
    };
    const edge = await loadMiddleware(env, await bundleExample("infra/vercel/middleware.ts", "browser"));
    signedMiddleware = (request) => edge.call(new URL(request.url).pathname, Object.fromEntries(request.headers));
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    writeFileSync(join(signedDir, "hello.mjs"), await bundleExample("infra/vercel/api/hello.ts", "node"));
    ({ GET: signedHello } = await import(/* @vite-ignore */ pathToFileURL(join(signedDir, "hello.mjs")).href));
  });
  afterAll(() => rmSync(signedDir, { recursive: true, force: true }));

  // The edge-runtime harness serves the middleware at https://app.example: the deployment's origin here.
  const url = "https://app.example/api/hello";

  it("greets the subject the assertion names, once; a replay of the same assertion is refused", async () => {
    const inbound = { authorization: `Bearer ${await issuer.sign({ sub: "alice" })}`, "x-auth-sub": "admin" };
    const answer = await signedMiddleware(new Request(url, { headers: inbound }));
    const forwarded = originHeaders(inbound, answer);
    expect(forwarded["x-auth-assertion"]).toBeTruthy();
    const first = await signedHello(new Request(url, { headers: forwarded }));
    expect([first.status, await first.json()]).toEqual([200, { hello: "alice", issuer: issuer.issuer }]);
    const replay = await signedHello(new Request(url, { headers: forwarded }));
    expect([replay.status, await replay.json()]).toEqual([401, { error: "invalid_token", code: "assertion_replayed" }]);
  });

  it("refuses a request that skipped the middleware (CVE-2025-29927) even with a valid bearer token", async () => {
    const headers = {
      authorization: `Bearer ${await issuer.sign({ sub: "alice" })}`,
      "x-auth-sub": "admin",
      "x-middleware-subrequest": "middleware",
    };
    const response = await signedHello(new Request(url, { headers }));
    expect([response.status, await response.json()]).toEqual([
      401,
      { error: "invalid_token", code: "assertion_missing" },
    ]);
  });
});
