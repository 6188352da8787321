/**
 * The built Vercel middleware (dist/vercel/middleware.js), evaluated in edge-runtime, against a real
 * issuer (discovery + JWKS) on 127.0.0.1. Configuration comes from `process.env` inside the VM.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { BUNDLE, ensureBuilt, loadMiddleware, originHeaders, type LoadedMiddleware } from "./edge.js";

let issuer: TestIssuer;
let mw: LoadedMiddleware;
const env = () => ({ JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api" });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const decode = (b64url: string) => JSON.parse(Buffer.from(b64url, "base64url").toString("utf8"));

async function refusal(response: Response) {
  return {
    status: response.status,
    www: response.headers.get("www-authenticate"),
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
}

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("RS256");
  mw = await loadMiddleware(env());
});
afterAll(() => issuer?.stop());

describe("Vercel middleware in edge-runtime: allowed requests", () => {
  it("lets a valid token through with next() and the identity as request headers", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const response = await mw.call("/api/orders", bearer(token));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-auth-sub")).toBe("alice");
    expect(response.headers.get("x-middleware-request-x-auth-iss")).toBe(issuer.issuer);
    const claims = decode(response.headers.get("x-middleware-request-x-auth-claims")!);
    expect(claims).toMatchObject({ sub: "alice", iss: issuer.issuer, aud: "api", scope: "orders:read" });
    expect(response.headers.get("x-middleware-request-authorization")).toBe(`Bearer ${token}`);
    expect(response.headers.get("x-middleware-override-headers")!.split(",").sort()).toEqual([
      "authorization",
      "x-auth-claims",
      "x-auth-iss",
      "x-auth-sub",
    ]);
  });

  it("fetches the issuer's keys once and reuses them across requests", async () => {
    const fresh = await loadMiddleware(env());
    const before = { ...issuer.counts };
    for (const sub of ["a", "b", "c"]) {
      const response = await fresh.call("/api/x", bearer(await issuer.sign({ sub })));
      expect(response.headers.get("x-middleware-request-x-auth-sub")).toBe(sub);
    }
    expect(issuer.counts.jwks - before.jwks).toBe(1);
    expect(issuer.counts.discovery - before.discovery).toBe(1);
  });
});

describe("Vercel middleware in edge-runtime: spoofed identity headers", () => {
  it("never lets an inbound x-auth-sub: admin reach the origin", async () => {
    const inbound = {
      ...bearer(await issuer.sign()),
      "x-auth-sub": "admin",
      "x-auth-role": "admin",
      accept: "application/json",
    };
    const response = await mw.call("/api/orders", inbound);
    expect(response.headers.get("x-middleware-request-x-auth-sub")).toBe("alice");
    expect(response.headers.get("x-middleware-request-x-auth-role")).toBeNull();
    expect(response.headers.get("x-middleware-override-headers")!.split(",")).not.toContain("x-auth-role");
    const origin = originHeaders(inbound, response);
    expect(origin["x-auth-sub"]).toBe("alice");
    expect(Object.keys(origin).sort()).toEqual([
      "accept",
      "authorization",
      "x-auth-claims",
      "x-auth-iss",
      "x-auth-sub",
    ]);
  });

  it("drops spoofed headers on a public route even when nothing else is left to forward", async () => {
    const open = await loadMiddleware({
      ...env(),
      JWT_CONFIG: JSON.stringify({ routes: [{ path: "/public/*", access: "public" }] }),
    });
    const inbound = { "x-auth-sub": "admin" };
    const response = await open.call("/public/page", inbound);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-auth-sub")).toBeNull();
    expect(originHeaders(inbound, response)).toEqual({});
  });
});

describe("Vercel middleware in edge-runtime: refusals", () => {
  it("answers a request without a token with 401 and a bare Bearer challenge", async () => {
    const response = await mw.call("/api/orders");
    expect(response.headers.get("x-middleware-next")).toBeNull();
    expect(await refusal(response)).toEqual({
      status: 401,
      www: 'Bearer realm="api"',
      type: "application/json",
      body: { error: "invalid_request", code: "token_missing" },
    });
  });

  it("answers an expired token with 401 invalid_token", async () => {
    const token = await issuer.sign({}, { now: Math.floor(Date.now() / 1000) - 7200 });
    expect(await refusal(await mw.call("/api/orders", bearer(token)))).toEqual({
      status: 401,
      type: "application/json",
      body: { error: "invalid_token", code: "token_expired" },
      www: 'Bearer realm="api", error="invalid_token", error_description="The token has expired"',
    });
  });

  it("answers a tampered token with 401 signature_invalid and never echoes the token", async () => {
    const [h, p, s] = (await issuer.sign()).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...decode(p!), sub: "admin" })).toString("base64url")}.${s}`;
    const response = await mw.call("/api/orders", bearer(forged));
    const text = await response.clone().text();
    expect(await refusal(response)).toEqual({
      status: 401,
      type: "application/json",
      body: { error: "invalid_token", code: "signature_invalid" },
      www: 'Bearer realm="api", error="invalid_token", error_description="The token signature is invalid"',
    });
    expect(text + [...response.headers].join()).not.toContain(forged.split(".")[1]!);
  });

  it("answers a valid token without the required scope with 403 insufficient_scope naming it", async () => {
    const scoped = await loadMiddleware({ ...env(), JWT_REQUIRED_SCOPES: "orders:read" });
    expect(await refusal(await scoped.call("/api/orders", bearer(await issuer.sign({ scope: "profile" }))))).toEqual({
      status: 403,
      type: "application/json",
      body: { error: "insufficient_scope", code: "insufficient_scope" },
      www: 'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the scope this route needs", scope="orders:read"',
    });
    const ok = await scoped.call("/api/orders", bearer(await issuer.sign({ scope: "profile orders:read" })));
    expect(ok.headers.get("x-middleware-next")).toBe("1");
  });
});

describe("Vercel middleware in edge-runtime: malformed requests, outages, preflights", () => {
  it("answers a malformed Authorization header with 400 invalid_request", async () => {
    expect(await refusal(await mw.call("/api/orders", { authorization: "Bearer a b" }))).toEqual({
      status: 400,
      type: "application/json",
      body: { error: "invalid_request", code: "header_malformed" },
      www: 'Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"',
    });
  });

  it("answers 503 with Retry-After and no challenge when the issuer's keys cannot be fetched", async () => {
    const down = await startTestIssuer("ES256");
    try {
      down.mode = "500";
      const cold = await loadMiddleware({ JWT_ISSUER: down.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: down.jwksUri });
      const response = await cold.call("/api/orders", bearer(await down.sign()));
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await refusal(response)).toEqual({
        status: 503,
        www: null,
        type: "application/json",
        body: { error: "temporarily_unavailable", code: "keys_unavailable" },
      });
      expect(down.counts).toEqual({ discovery: 0, jwks: 1 });
    } finally {
      await down.stop();
    }
  });

  it("passes a CORS preflight through without a token and without identity", async () => {
    const inbound = { origin: "https://web.example", "access-control-request-method": "POST", "x-auth-sub": "admin" };
    const response = await mw.call("/api/orders", inbound, "OPTIONS");
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(originHeaders(inbound, response)).toEqual({
      origin: "https://web.example",
      "access-control-request-method": "POST",
    });
  });
});

describe("Vercel middleware bundle", () => {
  it("exports a matcher that runs on pages and APIs but not on static assets", () => {
    expect(mw.config.matcher).toHaveLength(1);
    const matches = (path: string) => new RegExp(`^${mw.config.matcher[0]}$`).test(path);
    expect(["/", "/api/orders", "/dashboard/1", "/.well-known/oauth-protected-resource"].map(matches)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["/_next/static/chunk.js", "/_next/image", "/favicon.ico", "/robots.txt"].map(matches)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("serves the RFC 9728 protected-resource metadata when a resource is configured", async () => {
    const withResource = await loadMiddleware({
      ...env(),
      JWT_CONFIG: JSON.stringify({ resource: { id: "https://app.example/", scopesSupported: ["orders:read"] } }),
    });
    const response = await withResource.call("/.well-known/oauth-protected-resource");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: "https://app.example/",
      authorization_servers: [issuer.issuer],
      scopes_supported: ["orders:read"],
    });
  });

  it("imports no node: module and uses no Node-only global", () => {
    const code = readFileSync(BUNDLE, "utf8");
    expect(code).not.toMatch(
      /["'`]node:|\brequire\(|\bBuffer\b|__dirname|__filename|\bsetImmediate\b|process\.(?!env\b)/,
    );
    expect(code).toMatch(/^export\{|export ?\{[^}]*\bas default\b/m);
  });

  it("refuses to load without configuration, naming the variable (edge-runtime without process)", async () => {
    await expect(loadMiddleware(null)).rejects.toThrow(/JWT_ISSUER/);
  });
});
