/**
 * An injected RevocationStore (the key-value scheme the Worker's KV uses) and an injected per-subject
 * rate limiter, through `authorize`.
 */
import { describe, expect, it } from "vitest";
import { keyValueRevocationStore, refusalResponse, type RateLimiter } from "../../src/index.js";
import { authorizerFor, fakeIssuer, ISSUER, makeClock, makeKey, mint, outcome, request } from "../keys/fixtures.js";

const REVOKED = { status: 401, code: "token_revoked" } as const;
const ALLOWED = { status: 200, code: "ok" } as const;

async function setup(options: { get?: (key: string) => Promise<string | null>; open?: boolean; limit?: RateLimiter }) {
  const clock = makeClock();
  const key = await makeKey("k1");
  const idp = fakeIssuer([key.jwk]);
  const { authorizer, logger } = authorizerFor(idp, clock, {
    ...(options.open ? { config: { revocation: { failMode: "open" } } } : {}),
    deps: {
      ...(options.get ? { revocationStore: keyValueRevocationStore(options.get) } : {}),
      ...(options.limit ? { rateLimit: options.limit } : {}),
    },
  });
  return { authorizer, logger, clock, token: (claims = {}) => mint(key, clock, claims) };
}

describe("a key-value revocation store", () => {
  it("refuses a token whose jti key is present, and a sub's tokens issued before the stored time", async () => {
    const kv = new Map<string, string>();
    const asked: string[] = [];
    const { authorizer, clock, token } = await setup({
      get: async (k) => (asked.push(k), kv.get(k) ?? null),
    });
    const t = await token({ jti: "j1" });
    expect(await outcome(authorizer, t)).toEqual(ALLOWED);
    expect(asked).toEqual([`jti:${ISSUER}|j1`, `sub:${ISSUER}|alice`]);
    kv.set(`jti:${ISSUER}|j1`, "");
    expect(await outcome(authorizer, t)).toEqual(REVOKED); // cached token, checked again
    kv.set(`sub:${ISSUER}|alice`, String(clock.seconds() + 1));
    expect(await outcome(authorizer, await token())).toEqual(REVOKED);
    clock.advance(2_000);
    expect(await outcome(authorizer, await token())).toEqual(ALLOWED);
  });

  it.each([
    ["rejects", () => Promise.reject(new Error("kv down"))],
    ["holds a sub value that is not epoch seconds", async (k: string) => (k.startsWith("sub:") ? "yesterday" : null)],
  ])("closed: a store that %s answers 503 revocation_unavailable", async (_, get) => {
    const { authorizer, logger, token } = await setup({ get });
    expect(await outcome(authorizer, await token())).toEqual({ status: 503, code: "revocation_unavailable" });
    expect(logger.find("revocation_store_failed")).toHaveLength(1);
  });

  it("open: a store that rejects lets the token through with a warning; a listed key still refuses", async () => {
    const { authorizer, logger, token } = await setup({
      open: true,
      get: (k) =>
        k.startsWith("jti:") ? Promise.resolve(k.endsWith("|bad") ? "1" : null) : Promise.reject(new Error()),
    });
    expect(await outcome(authorizer, await token())).toEqual(ALLOWED);
    expect(logger.find("revocation_unchecked_allowed")).toHaveLength(1);
    expect(await outcome(authorizer, await token({ jti: "bad" }))).toEqual(REVOKED);
  });
});

describe("a per-subject rate limiter", () => {
  /** Allows `limit` requests per key. */
  const counting = (limit: number) => {
    const counts = new Map<string, number>();
    const limiter: RateLimiter = (key) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return { ok: counts.get(key)! <= limit };
    };
    return Object.assign(limiter, { counts });
  };

  it("answers 429 rate_limited with Retry-After after the limit for one subject while another passes", async () => {
    const limiter = counting(2);
    const { authorizer, token } = await setup({ limit: limiter });
    const [alice, bob] = [await token(), await token({ sub: "bob" })];
    expect(await outcome(authorizer, alice)).toEqual(ALLOWED);
    expect(await outcome(authorizer, alice)).toEqual(ALLOWED);
    const decision = await authorizer.authorize(request(alice));
    expect(decision).toMatchObject({ ok: false, status: 429, code: "rate_limited", error: "rate_limited" });
    expect(!decision.ok && decision.wwwAuthenticate).toBeUndefined();
    const response = refusalResponse(decision as Extract<typeof decision, { ok: false }>);
    expect([response.status, response.headers.get("retry-after")]).toEqual([429, "60"]);
    expect(await response.json()).toEqual({ error: "rate_limited", code: "rate_limited" });
    expect(await outcome(authorizer, bob)).toEqual(ALLOWED);
    expect([...limiter.counts.keys()]).toEqual([`${ISSUER}|alice`, `${ISSUER}|bob`]);
  });

  it("uses the limiter's Retry-After when it gives a sane one", async () => {
    const { authorizer, token } = await setup({ limit: () => ({ ok: false, retryAfter: 7 }) });
    expect(await authorizer.authorize(request(await token()))).toMatchObject({ status: 429, retryAfter: 7 });
  });

  it("lets requests through and warns when the limiter throws", async () => {
    const { authorizer, logger, token } = await setup({
      limit: () => {
        throw new Error("binding missing");
      },
    });
    expect(await outcome(authorizer, await token())).toEqual(ALLOWED);
    expect(logger.find("rate_limiter_failed")).toHaveLength(1);
  });

  it("never counts a request without a valid token", async () => {
    const limiter = counting(1);
    const { authorizer, clock, token } = await setup({ limit: limiter });
    expect(await outcome(authorizer, await token({ exp: clock.seconds() - 100 }))).toMatchObject({ status: 401 });
    expect(limiter.counts.size).toBe(0);
  });
});
