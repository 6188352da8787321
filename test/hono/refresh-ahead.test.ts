/**
 * The Hono middleware hands the platform's `waitUntil` (a Worker's `c.executionCtx.waitUntil`) to the
 * core: past the JWKS TTL a request is answered while the refresh is still held open, and that refresh
 * is among the promises the execution context keeps alive. Without an execution context (Node) the
 * refresh simply runs.
 */
import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { jwtAuthorizer, type JwtAuthorizerEnv } from "../../adapters/hono/index.js";
import { ALLOWED, JWKS_URL, authorizerFor, fakeIssuer, holdable, makeClock, makeKey, mint } from "../keys/fixtures.js";

const TTL_MS = 600_000;
const CONFIG = { cache: { jwks: { timeoutMs: 30_000 } } };

async function setup() {
  const key = await makeKey("k1");
  const idp = fakeIssuer([key.jwk]);
  const gate = holdable(idp);
  const clock = makeClock();
  const { authorizer } = authorizerFor(idp, clock, {
    config: CONFIG,
    deps: { fetch: gate.fetch, waitUntil: undefined },
  });
  await authorizer.warmUp();
  const app = new Hono<JwtAuthorizerEnv>();
  app.use("*", jwtAuthorizer({ authorizer }));
  app.get("*", (c) => c.json({ sub: c.get("jwtPayload")?.sub }));
  return { key, idp, gate, clock, app };
}

describe("the Hono middleware past the JWKS TTL", () => {
  it("answers while the refresh is held open, and gives the refresh to executionCtx.waitUntil", async () => {
    const { key, idp, gate, clock, app } = await setup();
    gate.hold = true;
    clock.advance(TTL_MS);
    const kept: Promise<unknown>[] = [];
    const executionCtx = {
      waitUntil: (p: Promise<unknown>) => void kept.push(p),
      passThroughOnException() {},
      props: {},
    };
    const headers = { authorization: `Bearer ${await mint(key, clock)}` };
    const res = await app.request("/me", { headers }, {}, executionCtx);
    expect(res.status).toBe(ALLOWED.status);
    expect(gate.held()).toBe(1);
    // The decision itself and the refresh behind it.
    expect(kept).toHaveLength(2);
    gate.release();
    await Promise.all(kept);
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("answers without an execution context too, the refresh running on its own", async () => {
    const { key, idp, gate, clock, app } = await setup();
    gate.hold = true;
    clock.advance(TTL_MS);
    const res = await app.request("/me", { headers: { authorization: `Bearer ${await mint(key, clock)}` } });
    expect(res.status).toBe(ALLOWED.status);
    expect(gate.held()).toBe(1);
    gate.release();
    while (idp.count(JWKS_URL) < 2) await new Promise((resolve) => setImmediate(resolve));
  });
});
