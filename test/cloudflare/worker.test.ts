/**
 * The Cloudflare Worker in real workerd (wrangler's unstable_startWorker), in front of a real echo
 * origin, trusting a real JWKS server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { CASES, decodeClaims, tableEnv, tokensFor, type Tokens } from "../hono/cases.js";
import { bearer, startWorker, type Echo, type RunningWorker } from "./harness.js";

const payloadOf = (token: string) => decodeClaims(token.split(".")[1]!);

describe("the Worker answers the table of cases", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  let worker: RunningWorker;
  let tokens: Tokens;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("RS256"), startEchoOrigin()]);
    tokens = await tokensFor(issuer);
    worker = await startWorker({ ...tableEnv(issuer), ORIGIN_URL: origin.url }, { persist: false });
  });
  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([issuer?.stop(), origin?.stop()]);
  });

  it.each(CASES)("$name", async (row) => {
    const hitsBefore = origin.hits;
    const res = await worker.fetch("/orders/7?x=1", {
      headers: { ...row.headers(tokens), "x-auth-sub": "admin", "x-auth-roles": "admin" },
    });
    expect(res.status).toBe(row.status);
    if (row.status === 200) {
      const seen = (await res.json()) as Echo;
      expect(seen.path).toBe("/orders/7?x=1");
      expect(seen.headers["x-auth-sub"]).toBe("alice");
      expect(seen.headers["x-auth-roles"]).toBeUndefined();
      expect(seen.headers["x-auth-iss"]).toBe(issuer.issuer);
      expect(decodeClaims(seen.headers["x-auth-claims"]!)).toEqual(payloadOf(tokens.valid));
      expect(seen.headers.authorization).toBe(`Bearer ${tokens.valid}`);
      expect(origin.hits).toBe(hitsBefore + 1);
    } else {
      expect(await res.json()).toEqual(row.body);
      expect(res.headers.get("www-authenticate")).toBe(row.wwwAuthenticate);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(origin.hits).toBe(hitsBefore);
    }
  });

  it("forwards the method, path, query and body of an allowed request", async () => {
    const res = await worker.fetch("/orders?page=2&q=a%20b", {
      method: "POST",
      headers: { ...bearer(tokens.valid), "content-type": "text/plain" },
      body: "hello",
    });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect([seen.method, seen.path, seen.headers["content-length"]]).toEqual(["POST", "/orders?page=2&q=a%20b", "5"]);
  });
});

describe("the Worker reads its configuration from env", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  let worker: RunningWorker;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("EdDSA"), startEchoOrigin()]);
    const JWT_CONFIG = {
      issuers: [{ issuer: issuer.issuer, audience: ["api"], jwksUri: issuer.jwksUri }],
      routes: [{ path: "/health", access: "public" }],
      resource: { id: "https://api.example/", scopesSupported: ["read"] },
      identity: { claimHeaders: { email: "x-auth-email" }, stripAuthorization: true, serverTiming: true },
    };
    worker = await startWorker({ JWT_CONFIG, ORIGIN_URL: `${origin.url}/base/` }, { persist: false });
  });
  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([issuer?.stop(), origin?.stop()]);
  });

  it("accepts JWT_CONFIG as a JSON object var, maps claims to headers and strips Authorization when told", async () => {
    const res = await worker.fetch("/me", { headers: bearer(await issuer.sign({ email: "alice@example.com" })) });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect(seen.path).toBe("/base/me");
    expect(seen.headers["x-auth-email"]).toBe("alice@example.com");
    expect(seen.headers["x-auth-sub"]).toBe("alice");
    expect(seen.headers.authorization).toBeUndefined();
  });

  it("with serverTiming, tells the origin and the client what deciding took", async () => {
    const res = await worker.fetch("/me", { headers: bearer(await issuer.sign({})) });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect(seen.headers["server-timing"]).toMatch(/^auth;dur=\d+(\.\d+)?$/);
    expect(res.headers.get("server-timing")).toMatch(/(^|, )auth;dur=\d+(\.\d+)?$/);
    const refused = await worker.fetch("/me");
    expect([refused.status, refused.headers.get("server-timing")]).toEqual([401, expect.stringMatching(/^auth;dur=/)]);
  });

  it("lets a public route through without a token and without identity headers", async () => {
    const res = await worker.fetch("/health", { headers: { "x-auth-sub": "admin" } });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    expect(seen.path).toBe("/base/health");
    expect(seen.headers["x-auth-sub"]).toBeUndefined();
  });

  it("serves the RFC 9728 protected-resource metadata without a token", async () => {
    const hits = origin.hits;
    const res = await worker.fetch("/.well-known/oauth-protected-resource");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const document = (await res.json()) as Record<string, unknown>;
    expect(document.resource).toBe("https://api.example/");
    expect(document.scopes_supported).toEqual(["read"]);
    expect(origin.hits).toBe(hits);
  });

  it("points refusals at the metadata with resource_metadata", async () => {
    const res = await worker.fetch("/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer realm="api", resource_metadata="https://api.example/.well-known/oauth-protected-resource"`,
    );
  });
});

describe("the Worker with an HMAC secret and with a broken configuration", () => {
  let origin: EchoOrigin;
  beforeAll(async () => {
    origin = await startEchoOrigin();
  });
  afterAll(() => origin?.stop());

  it("verifies HS256 tokens with JWT_SECRET given as a secret", async () => {
    const { SignJWT } = await import("jose");
    const secret = "a-secret-of-at-least-thirty-two-bytes!";
    const token = await new SignJWT({ sub: "svc" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("https://hmac.example/")
      .setAudience("api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(secret));
    const worker = await startWorker(
      { JWT_ISSUER: "https://hmac.example/", JWT_AUDIENCE: "api", JWT_SECRET: secret, ORIGIN_URL: origin.url },
      { persist: false },
    );
    try {
      const ok = await worker.fetch("/", { headers: bearer(token) });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as Echo).headers["x-auth-sub"]).toBe("svc");
      const bad = await worker.fetch("/", { headers: bearer(`${token.slice(0, -2)}AA`) });
      expect(bad.status).toBe(401);
      expect(JSON.stringify(await bad.json())).not.toContain(secret);
    } finally {
      await worker.dispose();
    }
  });

  it("answers 500 and never reaches the origin when the configuration is invalid", async () => {
    const worker = await startWorker(
      { JWT_ISSUER: "https://idp.example/", ORIGIN_URL: origin.url },
      { persist: false },
    );
    try {
      const hits = origin.hits;
      const res = await worker.fetch("/", { headers: { authorization: "Bearer a.b.c" } });
      expect(res.status).toBe(500);
      await res.arrayBuffer();
      expect(origin.hits).toBe(hits);
    } finally {
      await worker.dispose();
    }
  });
});
