/**
 * The Vercel middleware hands the `waitUntil` of its second argument (Next's `NextFetchEvent`, Vercel's
 * request context) to the core: past the JWKS TTL a request continues while the refresh is held open,
 * and the event keeps that refresh alive.
 */
import { describe, expect, it } from "vitest";
import { createMiddleware } from "../../adapters/vercel/create.js";
import { JWKS_URL, authorizerFor, fakeIssuer, holdable, makeClock, makeKey, mint } from "../keys/fixtures.js";

describe("the Vercel middleware past the JWKS TTL", () => {
  it("continues while the refresh is held open, and gives the refresh to event.waitUntil", async () => {
    const key = await makeKey("k1");
    const idp = fakeIssuer([key.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const config = { cache: { jwks: { timeoutMs: 30_000 } } };
    const deps = { fetch: gate.fetch, waitUntil: undefined };
    const { authorizer } = authorizerFor(idp, clock, { config, deps });
    await authorizer.warmUp();
    const middleware = createMiddleware({ authorizer, tracer: false });

    gate.hold = true;
    clock.advance(600_000);
    const kept: Promise<unknown>[] = [];
    const request = new Request("https://app.example/api/me", {
      headers: { authorization: `Bearer ${await mint(key, clock)}` },
    });
    const response = await middleware(request, { waitUntil: (p) => void kept.push(p) });
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-auth-sub")).toBe("alice");
    expect([gate.held(), kept.length]).toEqual([1, 1]);
    gate.release();
    await Promise.all(kept);
    expect(idp.count(JWKS_URL)).toBe(2);
  });
});
