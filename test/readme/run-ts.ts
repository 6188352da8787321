/**
 * Runs a TypeScript snippet on Node the way its text says it is used: a fetch handler, a Worker (`{ fetch }`)
 * or Hono app, Vercel middleware, a Lambda handler, an Express server (its `listen(3000)` moved to a free port),
 * or an origin verifier. Each must let a request with a valid token through to the identity and refuse
 * one without (the origin verifiers refuse both: a bearer token is not the edge's assertion).
 */
import { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import { expect, vi } from "vitest";
import type { Block } from "./blocks.js";
import { AUDIENCE, ISSUER, ORIGIN, stubIssuer } from "./harness.js";

type Shape = "origin" | "vercel" | "handler" | "app" | "lambda" | "server" | "claims" | "authorizer";

/** How a snippet is run, or null when it is only type-checked (no entry point, or a module not installed). */
export function runnableShape(code: string, resolve: (specifier: string) => string): Shape | null {
  const imports = [...code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]!);
  for (const spec of imports) {
    try {
      resolve(spec);
    } catch {
      return null;
    }
  }
  if (/readFileSync\(/.test(code)) return null; // reads a file the user has, not this test
  const origin = imports.includes("edge-jwt-authorizer/origin");
  if (/\.listen\(/.test(code)) return "server";
  if (origin && /export default/.test(code)) return "origin";
  if (imports.includes("edge-jwt-authorizer/vercel") && /export default/.test(code)) return "vercel";
  if (/export default async function/.test(code)) return "handler";
  if (/export default app;|export \{ default\b/.test(code)) return "app";
  if (/export const handler\b/.test(code)) return "lambda";
  if (/export async function claimsOf\b/.test(code)) return "claims";
  if (/export const authorizer\b/.test(code)) return "authorizer";
  return null;
}

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
const env = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, ORIGIN_URL: ORIGIN };
/** The Lambda handler's Powertools log and metric lines stay out of the test output. */
const quiet = { POWERTOOLS_LOG_LEVEL: "SILENT", POWERTOOLS_METRICS_DISABLED: "true" };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function runSnippet(block: Block, file: string): Promise<void> {
  const shape = runnableShape(block.code, () => "")!;
  const issuer = await stubIssuer();
  const token = await issuer.token();
  for (const [name, value] of Object.entries({ ...env, ...quiet })) vi.stubEnv(name, value);
  // The Worker's key store (Cache API) where there is none: a store that misses.
  vi.stubGlobal("caches", {
    default: { match: async () => undefined, put: async () => {}, delete: async () => false },
  });
  try {
    if (shape === "server") return await runServer(block, file, token);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, any>;
    const path = block.code.includes('"/api/me"') ? "/api/me" : "/me";
    const url = `https://api.example.com${path}`;
    switch (shape) {
      case "origin": {
        for (const headers of [{}, bearer(token)]) {
          const res: Response = await mod.default(new Request(url, { headers }));
          expect(res.status).toBe(401);
          expect((await res.json()).code).toBe("assertion_missing");
        }
        return;
      }
      case "vercel": {
        const allowed: Response = await mod.default(new Request(url, { headers: bearer(token) }));
        expect(allowed.headers.get("x-middleware-next")).toBe("1");
        expect(allowed.headers.get("x-middleware-request-x-auth-sub")).toBe("alice");
        expect(mod.config?.matcher).toBeDefined();
        expect(((await mod.default(new Request(url))) as Response).status).toBe(401);
        return;
      }
      case "handler":
      case "app": {
        const call = (headers: Record<string, string>): Promise<Response> =>
          shape === "handler"
            ? mod.default(new Request(url, { headers }))
            : typeof mod.default.request === "function"
              ? mod.default.request(url, { headers }, env, ctx) // a Hono app
              : mod.default.fetch(new Request(url, { headers }), env, ctx); // a Worker's `{ fetch }`
        const allowed = await call(bearer(token));
        expect(allowed.status).toBe(200);
        expect((await allowed.json()).sub).toBe("alice");
        const refused = await call({});
        expect(refused.status).toBe(401);
        expect((await refused.json()).code).toBe("token_missing");
        return;
      }
      case "lambda": {
        const event = (t?: string) => ({
          type: "TOKEN",
          methodArn: "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/prod/GET/me",
          authorizationToken: t === undefined ? "" : `Bearer ${t}`,
        });
        const context = { awsRequestId: "readme", functionName: "readme" };
        const allowed = await mod.handler(event(token), context);
        expect(allowed.principalId).toBe("alice");
        expect(JSON.stringify(allowed.policyDocument)).toContain('"Effect":"Allow"');
        await expect(mod.handler(event(), context)).rejects.toThrow(/^Unauthorized$/);
        return;
      }
      case "claims": {
        expect((await mod.claimsOf(token))?.sub).toBe("alice");
        expect(await mod.claimsOf("not.a.token")).toBeNull();
        return;
      }
      case "authorizer": {
        expect(await mod.authorizer.authorize(new Request(url, { headers: bearer(token) }))).toMatchObject({
          ok: true,
          subject: "alice",
        });
        expect(await mod.authorizer.authorize(new Request(url))).toMatchObject({ ok: false, code: "token_missing" });
        return;
      }
    }
  } finally {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  }
}

/** Imports a snippet that calls `listen(3000)`, with every `listen` moved to a free port on 127.0.0.1. */
async function runServer(block: Block, file: string, token: string): Promise<void> {
  const listen = Server.prototype.listen;
  const servers: Server[] = [];
  Server.prototype.listen = function (this: Server) {
    servers.push(this);
    return (listen as (this: Server, port: number, host: string) => Server).call(this, 0, "127.0.0.1");
  } as typeof listen;
  try {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  } finally {
    Server.prototype.listen = listen;
  }
  const server = servers[0];
  if (!server) throw new Error(`${block.file}:${block.line}: listen() was not called`);
  if (!server.listening) await once(server, "listening");
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
    const origin = block.code.includes("edge-jwt-authorizer/origin");
    const allowed = await fetch(url, { headers: bearer(token) });
    if (origin) {
      expect(allowed.status).toBe(401);
      expect((await allowed.json()).code).toBe("assertion_missing");
    } else {
      expect(allowed.status).toBe(200);
      expect((await allowed.json()).sub).toBe("alice");
    }
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect((await refused.json()).code).toBe(origin ? "assertion_missing" : "token_missing");
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
