/**
 * Opaque tokens through the whole authorizer with an injected fetch and clock: the call itself, the
 * checks of the answer, the cache (TTL, exp, inactive), single flight, outages, and logs.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ISSUER } from "../keys/fixtures.js";
import { answer, CLIENT_ID, INTROSPECTION_URL, introspecting, SECRET } from "./fixtures.js";

const OK = { status: 200, code: "ok" };
const INACTIVE = { status: 401, code: "token_inactive" };
const DOWN = { status: 503, code: "introspection_unavailable" };
const TOKEN = "2YotnFZFEjr1zCsicMWpAA";

afterEach(() => vi.useRealTimers());

describe("introspection call", () => {
  it("POSTs the token form-encoded with client_secret_basic to discovery's endpoint", async () => {
    const { authorizer, idp } = introspecting();
    idp.activate(TOKEN);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    expect(idp.calls).toHaveLength(1);
    const init = idp.calls[0]!.init!;
    expect(init.method).toBe("POST");
    expect(init.redirect).toBe("manual");
    const headers = init.headers as Record<string, string>;
    expect(headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(headers.authorization).toBe(`Basic ${btoa(`${CLIENT_ID}:${SECRET}`)}`);
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      token: TOKEN,
      token_type_hint: "access_token",
    });
    expect(idp.discoveries).toBe(1);
  });

  it("uses a configured endpoint without discovery, and the secret clientSecretVar names", async () => {
    const { authorizer, idp } = introspecting(
      { endpoint: INTROSPECTION_URL, clientSecretVar: "MY_SECRET" },
      { MY_SECRET: "other secret" },
    );
    idp.activate(TOKEN);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    expect(idp.discoveries).toBe(0);
    const headers = idp.calls[0]!.init!.headers as Record<string, string>;
    expect(headers.authorization).toBe(`Basic ${btoa(`${CLIENT_ID}:other+secret`)}`);
  });

  it("forwards the answer's claims, with the issuer's iss when the answer has none", async () => {
    const { authorizer, idp } = introspecting();
    idp.activate(TOKEN);
    const d = await authorizer.authorize(
      new Request("https://api.example/orders/1", { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(d.ok && d.claims).toMatchObject({ iss: ISSUER, sub: "alice", scope: "orders:read" });
    expect(d.ok && d.claims && "active" in d.claims).toBe(false);
  });
});

describe("the answer goes through the JWT checks and the route rules", () => {
  it("enforces the route's scopes", async () => {
    const { authorizer, idp } = introspecting();
    idp.activate(TOKEN);
    expect(await answer(authorizer, TOKEN, "/admin/x")).toEqual({ status: 403, code: "insufficient_scope" });
  });

  it.each([
    ["inactive", { active: false }, INACTIVE],
    ["another audience", { aud: "other" }, { status: 401, code: "audience_mismatch" }],
    ["no audience", { aud: undefined }, { status: 401, code: "audience_mismatch" }],
    ["no exp", { exp: undefined }, { status: 401, code: "claim_missing" }],
    ["exp as a string", { exp: "1900003600" }, { status: 401, code: "claim_invalid" }],
    ["expired", { exp: 1_900_000_000 - 60 }, { status: 401, code: "token_expired" }],
    ["not yet valid", { nbf: 1_900_000_000 + 600 }, { status: 401, code: "token_not_yet_valid" }],
    ["another issuer", { iss: "https://evil.example" }, { status: 401, code: "issuer_unknown" }],
    ["its own issuer", { iss: ISSUER }, OK],
    ["a refresh token", { token_type: "refresh_token" }, { status: 401, code: "typ_invalid" }],
    ["a Bearer token", { token_type: "Bearer" }, OK],
    ["a non-string scope", { scope: ["orders:read"] }, { status: 401, code: "claim_invalid" }],
  ])("%s", async (_name, extra, expected) => {
    const { authorizer, idp } = introspecting();
    idp.activate(TOKEN, extra);
    expect(await answer(authorizer, TOKEN)).toEqual(expected);
  });

  it("answers 401 token_inactive for a random string", async () => {
    const { authorizer } = introspecting();
    expect(await answer(authorizer, "random-string-nobody-issued")).toEqual(INACTIVE);
  });
});

describe("cache", () => {
  it("keeps an active answer for cacheTtl, then asks again (a revoked token is refused then)", async () => {
    const { authorizer, idp, clock } = introspecting({ cacheTtl: 30 });
    idp.activate(TOKEN);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    idp.answers.delete(TOKEN); // revoked at the provider
    clock.advance(29_000);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    expect(idp.calls).toHaveLength(1);
    clock.advance(1_000);
    expect(await answer(authorizer, TOKEN)).toEqual(INACTIVE);
    expect(idp.calls).toHaveLength(2);
  });

  it("defaults to 60 s and never keeps an answer past its exp", async () => {
    const { authorizer, idp, clock } = introspecting();
    idp.activate(TOKEN, { exp: clock.seconds() + 20 });
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    clock.advance(19_000);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    expect(idp.calls).toHaveLength(1);
    clock.advance(1_000);
    await answer(authorizer, TOKEN);
    expect(idp.calls).toHaveLength(2);
    const other = "another-opaque-token";
    idp.activate(other);
    await answer(authorizer, other);
    clock.advance(59_999);
    await answer(authorizer, other);
    expect(idp.calls).toHaveLength(3);
    clock.advance(1);
    await answer(authorizer, other);
    expect(idp.calls).toHaveLength(4);
  });

  it("keeps an inactive answer 10 s", async () => {
    const { authorizer, idp, clock } = introspecting();
    expect(await answer(authorizer, TOKEN)).toEqual(INACTIVE);
    idp.activate(TOKEN);
    clock.advance(9_999);
    expect(await answer(authorizer, TOKEN)).toEqual(INACTIVE);
    clock.advance(1);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    expect(idp.calls).toHaveLength(2);
  });

  it("100 concurrent requests with one unseen token make one introspection call", async () => {
    const { authorizer, idp } = introspecting();
    idp.activate(TOKEN);
    const release = idp.hold();
    const all = Promise.all(Array.from({ length: 100 }, () => answer(authorizer, TOKEN)));
    await vi.waitFor(() => expect(idp.calls).toHaveLength(1));
    release();
    expect(new Set((await all).map((a) => a.code))).toEqual(new Set(["ok"]));
    expect(idp.calls).toHaveLength(1);
  });
});

describe("when the endpoint fails", () => {
  it.each(["500", "garbage", "huge"] as const)("%s: cached answers serve, unseen tokens get 503", async (mode) => {
    const { authorizer, idp, clock } = introspecting();
    idp.activate(TOKEN);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    idp.mode = mode;
    clock.advance(30_000);
    expect(await answer(authorizer, TOKEN)).toEqual(OK);
    idp.activate("unseen");
    expect(await answer(authorizer, "unseen")).toEqual(DOWN);
    const d = await authorizer.authorize(
      new Request("https://api.example/orders/1", { headers: { authorization: "Bearer unseen" } }),
    );
    expect(!d.ok && d.retryAfter).toBe(5);
  });

  it.each([
    ["not an object", "[true]"],
    ["active as a string", '{"active":"true"}'],
    ["no active", '{"sub":"alice"}'],
    ["active null", '{"active":null}'],
  ])("an answer with %s is unavailable, never active", async (_name, raw) => {
    const { authorizer, idp } = introspecting();
    idp.mode = "raw";
    idp.raw = raw;
    expect(await answer(authorizer, TOKEN)).toEqual(DOWN);
  });

  it("a call that never answers is 503 after the timeout", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { authorizer, idp } = introspecting({ endpoint: INTROSPECTION_URL });
    idp.mode = "hang";
    const pending = answer(authorizer, TOKEN);
    await vi.waitFor(() => expect(idp.calls).toHaveLength(1));
    await vi.advanceTimersByTimeAsync(3_100);
    expect(await pending).toEqual(DOWN);
  });
});

describe("logs", () => {
  it("no log line holds a token or the secret", async () => {
    const { authorizer, idp, logger } = introspecting();
    idp.activate(TOKEN);
    await answer(authorizer, TOKEN);
    await answer(authorizer, "inactive-token-value");
    idp.mode = "500";
    await answer(authorizer, "failing-token-value");
    expect(logger.find("introspection_failed")).toHaveLength(1);
    const text = JSON.stringify(logger.lines);
    for (const secret of [TOKEN, "inactive-token-value", "failing-token-value", SECRET])
      expect(text).not.toContain(secret);
  });
});
