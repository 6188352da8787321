/**
 * Revocation through a list at a URL, with an injected clock and fetch: listed tokens are refused
 * (cached ones too, once the TTL has passed), `sub` + `before` cuts off older tokens only, entries are
 * per issuer, the fail modes, the last good list while the URL is down, and one fetch for many callers.
 */
import { describe, expect, it } from "vitest";
import { authorizerFor, ISSUER, makeClock, mint, outcome, request, type Clock } from "../keys/fixtures.js";
import { LIST_URL, listServer } from "./fixtures.js";

const REVOKED = { status: 401, code: "token_revoked" } as const;
const ALLOWED = { status: 200, code: "ok" } as const;
const UNAVAILABLE = { status: 503, code: "revocation_unavailable" } as const;

async function setup(revocation: Record<string, unknown> = {}, clock: Clock = makeClock()) {
  const server = await listServer();
  const { authorizer, logger } = authorizerFor(server.idp, clock, {
    config: { revocation: { url: LIST_URL, ...revocation } },
    deps: { fetch: server.fetch },
  });
  return { server, authorizer, logger, clock, token: (claims = {}) => mint(server.key, clock, claims) };
}

describe("a revocation list", () => {
  it("refuses a listed jti with 401 token_revoked and an invalid_token challenge", async () => {
    const { server, authorizer, token } = await setup();
    const t = await token({ jti: "stolen" });
    server.revoked.push({ iss: ISSUER, jti: "stolen" });
    const decision = await authorizer.authorize(request(t));
    expect(decision).toMatchObject({ ok: false, ...REVOKED, error: "invalid_token" });
    expect(!decision.ok && decision.wwwAuthenticate).toContain('error="invalid_token"');
    expect(await outcome(authorizer, await token({ jti: "other" }))).toEqual(ALLOWED);
    await expect(authorizer.verify(t)).rejects.toMatchObject({ code: "token_revoked", status: 401 });
    expect(await authorizer.tokenClaims(request(t))).toBeNull();
  });

  it("refuses a token verified and cached before it was listed, once the list's TTL has passed", async () => {
    const { server, authorizer, clock, token } = await setup({ ttl: 60 });
    const t = await token({ jti: "later" });
    expect(await outcome(authorizer, t)).toEqual(ALLOWED);
    server.revoked.push({ iss: ISSUER, jti: "later" });
    clock.advance(59_000);
    expect(await outcome(authorizer, t)).toEqual(ALLOWED); // the list is still within its TTL
    clock.advance(1_000);
    expect(await outcome(authorizer, t)).toEqual(REVOKED);
    expect(server.fetches).toBe(2);
    expect(server.idp.count("https://idp.example/jwks")).toBe(1); // the token was answered from the cache
  });

  it("refuses tokens of a sub issued before `before` and accepts newer ones", async () => {
    const { server, authorizer, clock, token } = await setup();
    const old = await token({ sub: "fired" });
    clock.advance(10_000);
    server.revoked.push({ iss: ISSUER, sub: "fired", before: clock.seconds() });
    expect(await outcome(authorizer, old)).toEqual(REVOKED);
    expect(await outcome(authorizer, await token({ sub: "fired" }))).toEqual(ALLOWED); // iat == before
    expect(await outcome(authorizer, await token({ sub: "fired", iat: clock.seconds() - 1 }))).toEqual(REVOKED);
    expect(await outcome(authorizer, await token({ sub: "someone-else", iat: 1 }))).toEqual(ALLOWED);
  });

  it("leaves another issuer's equal jti and sub untouched", async () => {
    const { server, authorizer, token } = await setup();
    server.revoked.push({ iss: "https://other.example", jti: "same" });
    server.revoked.push({ iss: `${ISSUER}/`, sub: "alice", before: 4_000_000_000 });
    expect(await outcome(authorizer, await token({ jti: "same", sub: "alice" }))).toEqual(ALLOWED);
  });

  it("closed (the default): nothing fetched yet and the list down answers 503 with Retry-After", async () => {
    const { server, authorizer, token } = await setup();
    server.mode = "500";
    const decision = await authorizer.authorize(request(await token()));
    expect(decision).toMatchObject({ ok: false, ...UNAVAILABLE, retryAfter: 5, error: "temporarily_unavailable" });
    expect(!decision.ok && decision.wwwAuthenticate).toBeUndefined();
  });

  it("open: nothing fetched yet and the list down lets tokens through and logs a warning", async () => {
    const { server, authorizer, logger, token } = await setup({ failMode: "open" });
    server.mode = "500";
    expect(await outcome(authorizer, await token())).toEqual(ALLOWED);
    expect(logger.find("revocation_unchecked_allowed")).toEqual([
      expect.objectContaining({ level: "warn", fields: { iss: ISSUER } }),
    ]);
    expect(logger.find("revocation_list_failed")[0]).toMatchObject({ level: "error" });
  });

  it.each(["500", "garbage"] as const)(
    "serves the last good list while the URL answers %s, and tries again only after Retry-After",
    async (mode) => {
      const { server, authorizer, clock, token } = await setup({ ttl: 60 });
      server.revoked.push({ iss: ISSUER, jti: "x" });
      const listed = await token({ jti: "x" });
      expect(await outcome(authorizer, listed)).toEqual(REVOKED);
      server.mode = mode;
      clock.advance(61_000);
      expect(await outcome(authorizer, listed)).toEqual(REVOKED);
      expect(await outcome(authorizer, await token())).toEqual(ALLOWED);
      expect(server.fetches).toBe(2);
      clock.advance(5_000);
      server.mode = "ok";
      server.revoked = [];
      expect(await outcome(authorizer, listed)).toEqual(ALLOWED);
      expect(server.fetches).toBe(3);
    },
  );

  it.each([
    ["not JSON", "<html>"],
    ["an empty object", "{}"],
    ["a list under another name", '{"revocations": []}'],
    ["an entry with an unknown member", `{"revoked": [{"iss": "${ISSUER}", "jti": "a", "why": "x"}]}`],
    ["a before that is not a whole number", `{"revoked": [{"iss": "${ISSUER}", "sub": "a", "before": "1"}]}`],
    ["more than the size cap", `{"revoked": [], "pad": "${"x".repeat(1024 * 1024)}"}`],
  ])("treats %s as unreachable, never as an empty list", async (_, body) => {
    const { server, authorizer, token } = await setup();
    server.body = body;
    expect(await outcome(authorizer, await token())).toEqual(UNAVAILABLE);
  });

  it("10,000 concurrent requests during a list refresh cost one list fetch", async () => {
    const { server, authorizer, clock, token } = await setup({ ttl: 60 });
    const tokens = [await token(), await token({ sub: "bob" })];
    expect(await outcome(authorizer, tokens[1]!)).toEqual(ALLOWED);
    clock.advance(60_000);
    server.revoked.push({ iss: ISSUER, sub: "bob", before: clock.seconds() });
    const release = server.hold();
    const pending = Array.from({ length: 10_000 }, (_, i) => outcome(authorizer, tokens[i % 2]!));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const results = await Promise.all(pending);
    expect(server.fetches).toBe(2);
    expect(results.filter((r) => r.code === "ok").length).toBe(5_000);
    expect(results.filter((r) => r.code === "token_revoked").length).toBe(5_000);
  });

  it("a cold start under 10,000 concurrent requests costs one list fetch", async () => {
    const { server, authorizer, token } = await setup();
    const t = await token();
    const release = server.hold();
    const pending = Array.from({ length: 10_000 }, () => outcome(authorizer, t));
    await new Promise((r) => setTimeout(r, 10));
    release();
    expect(new Set((await Promise.all(pending)).map((r) => r.code))).toEqual(new Set(["ok"]));
    expect(server.fetches).toBe(1);
  });
});
