/**
 * The new hostile inputs: token headers (whole value is the token) under the one rule for several
 * sources, ALB PEM answers, and ALB per-kid key fetching (single flight, cooldown, stale-if-error).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exportSPKI, generateKeyPair } from "jose";
import { extractToken } from "../../src/request/extract-token.js";
import { AuthError } from "../../src/errors.js";
import { AlbKeys, albKeyFromPem } from "../../src/keys/alb.js";
import { silentLogger } from "../../src/deps.js";
import { check } from "./runs.js";

const SOURCES = { header: "cf-access-jwt-assertion", cookies: ["CF_Authorization"], query: "t" };
const req = (headers: Record<string, string>, query = "") => new Request(`https://a.example/${query}`, { headers });

describe("token headers under the one rule", () => {
  it("header, Authorization and cookie with the same token count once; different tokens are ambiguous", () => {
    expect(extractToken(req({ "cf-access-jwt-assertion": " a.b.c " }), SOURCES, 100)).toBe("a.b.c");
    const same = {
      "cf-access-jwt-assertion": "a.b.c",
      authorization: "Bearer a.b.c",
      cookie: "CF_Authorization=a.b.c",
    };
    expect(extractToken(req(same), SOURCES, 100)).toBe("a.b.c");
    expect(() => extractToken(req({ ...same, authorization: "Bearer x.y.z" }), SOURCES, 100)).toThrowError(
      expect.objectContaining({ code: "token_ambiguous" }),
    );
    expect(() => extractToken(req({ "cf-access-jwt-assertion": "a.b.c" }, "?t=a.b.c"), SOURCES, 100)).toThrowError(
      expect.objectContaining({ code: "token_ambiguous" }),
    );
    expect(() => extractToken(req({ "cf-access-jwt-assertion": "a.b.c, d.e.f" }), SOURCES, 100)).toThrowError(
      expect.objectContaining({ code: "token_ambiguous" }),
    );
    expect(() => extractToken(req({ "cf-access-jwt-assertion": "x".repeat(101) }), SOURCES, 100)).toThrowError(
      expect.objectContaining({ code: "token_too_large" }),
    );
  });

  it("any header value gives the trimmed token, nothing, or a documented refusal (fixed seed)", async () => {
    await check(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (value) => {
        let headers: Headers;
        try {
          headers = new Headers({ "cf-access-jwt-assertion": value });
        } catch {
          return; // not a value a request can carry
        }
        try {
          const token = extractToken(new Request("https://a.example/", { headers }), SOURCES, 150);
          if (token !== undefined) expect(token).toMatch(/^[A-Za-z0-9\-._~+/=]{1,150}$/);
        } catch (e) {
          expect(e).toBeInstanceOf(AuthError);
          expect(["token_ambiguous", "header_malformed", "token_too_large"]).toContain((e as AuthError).code);
        }
      }),
      300,
    );
  });
});

describe("ALB PEM answers", () => {
  it("a P-256 SPKI PEM becomes an ES256 JWK with the kid; anything else is refused (fixed seed)", async () => {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const pem = await exportSPKI(publicKey);
    const jwk = await albKeyFromPem(pem, "k1");
    expect(jwk).toMatchObject({ kty: "EC", crv: "P-256", kid: "k1", alg: "ES256" });
    const rsa = await exportSPKI((await generateKeyPair("RS256", { extractable: true })).publicKey);
    await expect(albKeyFromPem(rsa, "k1")).rejects.toThrow();
    await check(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.constant(pem).map((p) => p.replace("A", "!")),
          fc.constant(pem + "x"),
        ),
        async (text) => {
          await expect(albKeyFromPem(text, "k1")).rejects.toThrow(Error);
        },
      ),
      200,
    );
  });
});

describe("ALB per-kid keys", () => {
  const cfg = {
    defaultTtl: 600,
    minTtl: 60,
    maxTtl: 3600,
    cooldown: 30,
    staleFor: 3600,
    staleWhileRevalidate: 300,
    timeoutMs: 1000,
    maxBytes: 65536,
  };
  const KID = "e7a6b2c1-1234-4a5b-8c9d-0123456789ab";

  async function setup() {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const pem = await exportSPKI(publicKey);
    let now = 1_000_000;
    let mode: "ok" | "down" | "huge" = "ok";
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(url);
      await new Promise((r) => setTimeout(r, 5));
      if (mode === "down") return new Response("no", { status: 503 });
      if (mode === "huge") return new Response("x".repeat(5000));
      return new Response(pem);
    }) as unknown as typeof globalThis.fetch;
    const keys = new AlbKeys("eu-west-1", cfg, { fetch, now: () => now, logger: silentLogger });
    return { keys, urls, tick: (s: number) => (now += s * 1000), set: (m: typeof mode) => (mode = m) };
  }

  it("one fetch for many concurrent callers; fresh keys answer without fetching", async () => {
    const { keys, urls } = await setup();
    const all = await Promise.all(Array.from({ length: 20 }, () => keys.getKey(KID, "ES256")));
    expect(new Set(all).size).toBe(1);
    expect(urls).toEqual([`https://public-keys.auth.elb.eu-west-1.amazonaws.com/${KID}`]);
    expect(keys.getKey(KID, "ES256")).toBe(all[0]);
  });

  it("stale keys keep working while the endpoint fails; oversized answers are refused", async () => {
    const { keys, tick, set } = await setup();
    const key = await keys.getKey(KID, "ES256");
    set("down");
    tick(700);
    expect(await keys.getKey(KID, "ES256")).toBe(key);
    tick(4000);
    await expect(keys.getKey(KID, "ES256")).rejects.toMatchObject({ code: "keys_unavailable" });
    const fresh = await setup();
    fresh.set("huge");
    await expect(fresh.keys.getKey(KID, "ES256")).rejects.toMatchObject({ code: "keys_unavailable" });
  });

  it("a kid that is not a UUID, or another alg, is refused without a fetch", async () => {
    const { keys, urls } = await setup();
    for (const kid of ["../x", "a/b", "", "x".repeat(65), undefined])
      expect(() => keys.getKey(kid, "ES256")).toThrowError(expect.objectContaining({ code: "kid_unknown" }));
    expect(() => keys.getKey(KID, "RS256")).toThrowError(expect.objectContaining({ code: "kid_unknown" }));
    expect(urls).toEqual([]);
  });
});

describe("stripAuthorization also strips token headers and preset cookies", () => {
  it("drops cf-access-jwt-assertion, CF_Authorization and __session, keeps the rest", async () => {
    const { forwardHeaders } = await import("../../src/request/forward.js");
    const inbound = new Headers({
      "cf-access-jwt-assertion": "a.b.c",
      cookie: "CF_Authorization=a.b.c; theme=dark; __session=x.y.z",
      accept: "text/html",
    });
    const decision = { ok: true, claims: {}, headers: {}, context: {}, issuer: "i", reason: "token" } as never;
    const sources = { headers: ["cf-access-jwt-assertion"], cookies: ["CF_Authorization", "__session"] };
    const out = forwardHeaders(inbound, decision, { stripAuthorization: true, tokenSources: sources });
    expect([...out.keys()].sort()).toEqual(["accept", "cookie"]);
    expect(out.get("cookie")).toBe("theme=dark");
  });
});
