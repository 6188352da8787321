/**
 * The Node adapter in a real Express app and a plain node:http server, on 127.0.0.1, against a real
 * JWKS server: 200 with `req.auth`, 401 and 403 with the core's answers; and the root export on Node
 * verifying with node:crypto.
 */
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeAuthorizer, type AuthorizedRequest } from "../../adapters/node/index.js";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";

let issuer: TestIssuer;
let servers: Server[] = [];
const env = () => ({
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: "api",
  JWT_CONFIG: JSON.stringify({ routes: [{ path: "/admin/*", roles: ["admin"] }] }),
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  issuer = await startTestIssuer("RS256");
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  servers = [];
  await issuer.stop();
});

describe("an Express app behind nodeAuthorizer", () => {
  it("answers 200 with req.auth, 401 without a token, 403 without the role", async () => {
    const app = express();
    app.use(nodeAuthorizer({ env: env() }));
    app.get("/{*any}", (req, res) => {
      res.json({ sub: (req as AuthorizedRequest).auth?.subject ?? null });
    });
    const url = await listen(createServer(app));
    const ok = await fetch(`${url}/me`, {
      headers: { authorization: `Bearer ${await issuer.sign({ sub: "alice" })}` },
    });
    expect([ok.status, await ok.json()]).toEqual([200, { sub: "alice" }]);
    const missing = await fetch(`${url}/me`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(await missing.json()).toEqual({ error: "invalid_request", code: "token_missing" });
    const forbidden = await fetch(`${url}/admin/users`, {
      headers: { authorization: `Bearer ${await issuer.sign({ roles: ["user"] })}` },
    });
    expect([forbidden.status, await forbidden.json()]).toEqual([
      403,
      { error: "insufficient_scope", code: "forbidden_claims" },
    ]);
  });
});

describe("a plain node:http server", () => {
  it("runs the middleware with its own next()", async () => {
    const authorize = nodeAuthorizer({ env: env() });
    const url = await listen(
      createServer((req, res) => {
        void authorize(req, res, () => {
          res.end(`hello ${(req as AuthorizedRequest).auth?.subject}`);
        });
      }),
    );
    const ok = await fetch(`${url}/x`, { headers: { authorization: `Bearer ${await issuer.sign({ sub: "bob" })}` } });
    expect(await ok.text()).toBe("hello bob");
    expect((await fetch(`${url}/x`, { headers: { authorization: "Bearer not.a.jwt" } })).status).toBe(401);
  });
});

describe("the root export on Node", () => {
  it("verifies with its default verifier and passes an explicit one through", async () => {
    const root = await import("../../adapters/node/root.js");
    const { nodeVerifySignature } = await import("../../adapters/node/verify.js");
    let calls = 0;
    const counting: typeof nodeVerifySignature = (...args) => {
      calls++;
      return nodeVerifySignature(...args);
    };
    const config = root.configFromEnv({ JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api" });
    const defaulted = root.createAuthorizer(config);
    expect((await defaulted.verify(await issuer.sign())).sub).toBe("alice");
    const explicit = root.createAuthorizer(config, { verifySignature: counting });
    await explicit.verify(await issuer.sign({ sub: "carol" }));
    expect(calls).toBe(1);
  });
});
