/**
 * `onDecision`: exactly one event per `authorize` on every path (allowed, each refusal family, cached,
 * preflight, public, anonymous, report-only), with the rule, cache and fetch facts right, and nothing
 * in it that is a token or a secret. A throwing hook never changes a decision.
 */
import { describe, expect, it } from "vitest";
import type { DecisionEvent } from "../../src/index.js";
import { authorizerFor, fakeIssuer, makeClock, makeKey, mint, request, unsignedToken } from "../keys/fixtures.js";

const ROUTES = [
  { path: "/health", access: "public" },
  { path: "/docs/*", access: "optional" },
  { path: "/admin/*", access: "protected", scopes: ["admin"] },
];

async function setup(extra: { config?: Record<string, unknown>; deps?: object } = {}) {
  const key = await makeKey("k1");
  const idp = fakeIssuer([key.jwk]);
  const clock = makeClock();
  const events: DecisionEvent[] = [];
  let tick = 0;
  const { authorizer, logger } = authorizerFor(idp, clock, {
    config: { routes: ROUTES, ...extra.config },
    deps: { onDecision: (e) => void events.push(e), clock: () => (tick += 1.5), ...extra.deps },
  });
  /** Authorizes and returns the one event it produced. */
  const one = async (req: Request): Promise<DecisionEvent> => {
    const before = events.length;
    await authorizer.authorize(req);
    expect(events.length).toBe(before + 1);
    return events.at(-1)!;
  };
  return { key, idp, clock, events, authorizer, logger, one };
}

const at = (path: string, init: RequestInit = {}) => new Request(`https://api.example${path}`, init);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("one decision event per authorize", () => {
  it("allowed: then the same token again is a cache hit without a fetch", async () => {
    const { key, clock, one } = await setup();
    const token = await mint(key, clock);
    const first = await one(request(token));
    expect(first).toEqual({
      allowed: true,
      code: "token",
      status: 200,
      iss: "https://idp.example",
      kid: "k1",
      method: "GET",
      durationMs: 1.5,
      tokenCache: "miss",
      jwksFetched: true,
    });
    const again = await one(request(token));
    expect(again).toMatchObject({ allowed: true, code: "token", tokenCache: "hit", jwksFetched: false, kid: "k1" });
  });

  it("refusals of every family: missing, malformed, signature, claims, scope, keys unavailable, 400", async () => {
    const { key, clock, idp, one } = await setup();
    expect(await one(at("/orders"))).toMatchObject({ allowed: false, code: "token_missing", status: 401 });
    expect(await one(request("not-a-token"))).toMatchObject({ code: "token_malformed", tokenCache: "miss" });
    const forged = await one(request(unsignedToken("k1", clock)));
    expect(forged).toMatchObject({ status: 401, kid: "k1", iss: "https://idp.example", jwksFetched: true });
    expect(await one(request(await mint(key, clock, { exp: clock.seconds() - 600 })))).toMatchObject({
      code: "token_expired",
      jwksFetched: false,
    });
    const scope = await one(at("/admin/users", { headers: bearer(await mint(key, clock)) }));
    expect(scope).toMatchObject({ status: 403, code: "insufficient_scope", route: "/admin/*" });
    const both = at("/x", { headers: { ...bearer("a.b.c"), cookie: "x=1" } });
    expect((await one(both)).allowed).toBe(false);
    const ambiguous = new Request("https://api.example/orders?access_token=x", { headers: bearer("y") });
    expect(await one(ambiguous)).toMatchObject({ allowed: false });
    // Keys unavailable: a fresh authorizer whose issuer is down.
    const down = await setup();
    down.idp.mode = "500";
    expect(await down.one(request(await mint(down.key, down.clock)))).toMatchObject({
      status: 503,
      code: "keys_unavailable",
      jwksFetched: true,
    });
    expect(idp.calls.length).toBeGreaterThan(0);
  });

  it("preflight, public and anonymous requests: no token looked at", async () => {
    const { one } = await setup();
    const preflight = at("/orders", {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(await one(preflight)).toEqual({
      allowed: true,
      code: "preflight",
      status: 200,
      method: "OPTIONS",
      durationMs: 1.5,
      tokenCache: "none",
      jwksFetched: false,
    });
    expect(await one(at("/health"))).toMatchObject({ code: "public", route: "/health", tokenCache: "none" });
    expect(await one(at("/docs/a"))).toMatchObject({ code: "anonymous", route: "/docs/*" });
    expect((await one(at("/orders", { headers: bearer("x") }))).route).toBeUndefined();
  });

  it("report-only: allowed, with the refusal it did not enforce", async () => {
    const { one } = await setup({ config: { reportOnly: true } });
    expect(await one(at("/orders"))).toMatchObject({
      allowed: true,
      code: "report_only",
      status: 200,
      would: { status: 401, code: "token_missing" },
    });
  });

  it("never carries the token, the secret or the raw sub; a keyed hash only when configured", async () => {
    const secretKey = "s3cr3t-hash-key-of-at-least-32-chars!";
    const { key, clock, one } = await setup({ deps: { subjectHashKey: secretKey } });
    const token = await mint(key, clock, { sub: "alice-the-subject" });
    const events = [await one(request(token)), await one(request(token)), await one(request(token + "x"))];
    for (const e of events) {
      const text = JSON.stringify(e);
      for (const part of [token, ...token.split("."), secretKey, "alice-the-subject"]) expect(text).not.toContain(part);
    }
    expect(events[0]!.subHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(events[1]!.subHash).toBe(events[0]!.subHash);
    const plain = await setup();
    expect((await plain.one(request(await mint(plain.key, plain.clock)))).subHash).toBeUndefined();
    await expect(setup({ deps: { subjectHashKey: "short" } })).rejects.toThrow(TypeError);
  });

  it("a throwing hook never changes the decision and is logged once", async () => {
    const { key, clock, authorizer, logger } = await setup({
      deps: {
        onDecision: () => {
          throw new Error("hook broke");
        },
      },
    });
    const token = await mint(key, clock);
    for (let i = 0; i < 3; i++) expect((await authorizer.authorize(request(token))).ok).toBe(true);
    expect((await authorizer.authorize(at("/orders"))).ok).toBe(false);
    expect(logger.find("on_decision_failed")).toHaveLength(1);
  });

  it("a rejecting async hook is logged once too", async () => {
    const { authorizer, logger } = await setup({ deps: { onDecision: () => Promise.reject(new Error("no")) } });
    for (let i = 0; i < 3; i++) await authorizer.authorize(at("/health"));
    await new Promise((r) => setTimeout(r, 0));
    expect(logger.find("on_decision_failed")).toHaveLength(1);
  });
});
