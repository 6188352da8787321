/**
 * `Server-Timing: auth;dur=<ms>` on every refusal, and on allowed requests (the response, and the
 * request the origin gets) only with `identity.serverTiming`; and the Vercel middleware's tracer option.
 */
import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { configFromEnv } from "../../src/index.js";
import { jwtAuthorizer, type JwtAuthorizerEnv } from "../../adapters/hono/index.js";
import { createMiddleware } from "../../adapters/vercel/create.js";
import { fakeIssuer, ISSUER, JWKS_URL, makeClock, makeKey, mint, request } from "../keys/fixtures.js";

const TIMING = /^auth;dur=\d+(\.\d+)?$/;

async function app(identity: Record<string, unknown> = {}) {
  const key = await makeKey("k1");
  const clock = makeClock();
  const idp = fakeIssuer([key.jwk]);
  const env = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_JWKS_URI: JWKS_URL, JWT_CONFIG: { identity } };
  const hono = new Hono<JwtAuthorizerEnv>();
  hono.use(jwtAuthorizer({ env, deps: { fetch: idp.fetch, now: clock.now } }));
  hono.get("*", (c) => c.json({ ms: c.get("authDurationMs") }));
  return { hono, token: await mint(key, clock), env, idp, clock };
}

describe("Server-Timing", () => {
  it("is on refusals always, and on allowed responses only when identity.serverTiming is set", async () => {
    const off = await app();
    const refused = await off.hono.request("/orders");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("server-timing")).toMatch(TIMING);
    const allowed = await off.hono.fetch(request(off.token));
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("server-timing")).toBeNull();
    expect(((await allowed.json()) as { ms: number }).ms).toBeGreaterThanOrEqual(0);
    const on = await app({ serverTiming: true });
    expect((await on.hono.fetch(request(on.token))).headers.get("server-timing")).toMatch(TIMING);
    expect(configFromEnv({ ...on.env, JWT_CONFIG: { identity: { serverTiming: false } } }).identity).not.toHaveProperty(
      "serverTiming",
    );
    expect(() => configFromEnv({ ...on.env, JWT_CONFIG: { identity: { serverTiming: "maybe" } } })).toThrow(
      /serverTiming/,
    );
  });

  it("Vercel: on the forwarded request and the response when asked; refusals always; spans through `tracer`", async () => {
    const { env, idp, clock, token } = await app({ serverTiming: true });
    const spans: string[] = [];
    const span = { setAttribute: () => undefined, setStatus: () => undefined, end: () => undefined };
    const tracer = { startSpan: (name: string) => (spans.push(name), span) };
    const middleware = createMiddleware({ env, deps: { fetch: idp.fetch, now: clock.now }, tracer });
    const allowed = await middleware(request(token));
    expect(allowed.headers.get("server-timing")).toMatch(TIMING);
    expect(allowed.headers.get("x-middleware-request-server-timing")).toMatch(TIMING);
    expect((await middleware(new Request("https://api.example/x"))).headers.get("server-timing")).toMatch(TIMING);
    expect(spans).toEqual(["jwt.authorize", "jwt.authorize"]);
  });
});
