/**
 * The identity the origin receives (README, "Identity forwarded to the origin"): spoofed `x-auth-*` headers never survive,
 * claim values cannot inject headers, claims map to headers as src/request/identity.ts documents, and the
 * flat context holds only strings, numbers and booleans.
 */
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { forwardHeaders, isIdentityHeader } from "../../src/index.js";
import type { Allowed } from "../../src/index.js";
import { AUDIENCE, expectAllowed, fixture, ISSUER, KEYCLOAK, mint, mintText, NOW_S } from "../routes/fixture.js";

const claimHeaders = {
  email: "x-auth-email",
  name: "x-auth-name",
  roles: "x-auth-roles",
  "realm_access.roles": "x-auth-realm-roles",
  address: "x-auth-address",
  age: "x-auth-age",
  email_verified: "x-auth-verified",
  "org.id": "x-auth-org",
  mixed: "x-auth-mixed",
  "https://example.com/tenant": "X-Auth-Tenant",
};

const identity = (extra: Record<string, unknown> = {}) => ({
  identity: { claimHeaders, ...extra },
  routes: [
    { path: "/open", access: "optional" },
    { path: "/health", access: "public" },
  ],
});

async function allowed(claims: Record<string, unknown>, issuer = ISSUER, extra: Record<string, unknown> = {}) {
  const f = await fixture(identity(extra));
  const token = await mint(claims, issuer);
  return { f, token, decision: expectAllowed(await f.call("GET", "/api", token), "token") };
}

/** Every header of a Headers object, as [name, value] pairs. */
const entries = (h: Headers) => [...h.entries()];

describe("spoofed identity headers", () => {
  const spoofed = {
    "x-auth-sub": "admin",
    "X-Auth-Anything": "x",
    "x-auth-claims": "eyJzdWIiOiJhZG1pbiJ9",
    "X-AUTH-ROLES": "admin",
    accept: "application/json",
  };

  it("an inbound x-auth-sub: admin (and any other x-auth-*) never survives forwardHeaders", async () => {
    const { decision } = await allowed({ sub: "alice", roles: ["user"] });
    const out = forwardHeaders(new Headers(spoofed), decision);
    expect(out.get("x-auth-sub")).toBe("alice");
    expect(out.get("x-auth-anything")).toBeNull();
    expect(out.get("x-auth-roles")).toBe("user");
    expect(JSON.parse(Buffer.from(out.get("x-auth-claims")!, "base64url").toString("utf8")).sub).toBe("alice");
    expect(out.get("accept")).toBe("application/json");
    expect(
      entries(out)
        .filter(([n]) => isIdentityHeader(n))
        .map(([n]) => n)
        .sort(),
    ).toEqual(["x-auth-claims", "x-auth-iss", "x-auth-roles", "x-auth-sub"]);
  });

  it("a token without sub does not let an inbound x-auth-sub through", async () => {
    const { decision } = await allowed({ sub: undefined });
    const out = forwardHeaders(new Headers(spoofed), decision);
    expect(out.get("x-auth-sub")).toBeNull();
    expect(out.get("x-auth-iss")).toBe(ISSUER);
  });

  it("an anonymous request on an optional route forwards no x-auth-* header at all", async () => {
    const f = await fixture(identity());
    const decision = expectAllowed(await f.call("GET", "/open", undefined, spoofed), "anonymous");
    const out = forwardHeaders(new Headers(spoofed), decision);
    expect(entries(out)).toEqual([["accept", "application/json"]]);
  });

  it("a public route forwards no x-auth-* header at all", async () => {
    const f = await fixture(identity());
    const decision = expectAllowed(await f.call("GET", "/health", undefined, spoofed), "public");
    expect(entries(forwardHeaders(new Headers(spoofed), decision))).toEqual([["accept", "application/json"]]);
  });

  it("isIdentityHeader recognises x-auth-* in any case and nothing else", () => {
    expect(["x-auth-sub", "X-Auth-Anything", "X-AUTH-"].map(isIdentityHeader)).toEqual([true, true, true]);
    expect(["authorization", "x-authorization", "x-auth", "auth-x-sub"].map(isIdentityHeader)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("header-safe values", () => {
  it("a claim with CR/LF cannot inject a header", async () => {
    const { decision } = await allowed({
      sub: "alice\r\nx-auth-admin: true",
      email: "a@b.example\r\nSet-Cookie: s=1\n\r",
    });
    for (const value of Object.values(decision.headers)) expect(/[\r\n\0]/.test(value)).toBe(false);
    expect(decision.headers["x-auth-sub"]).toBe("alicex-auth-admin: true");
    expect(decision.headers["x-auth-email"]).toBe("a@b.exampleSet-Cookie: s=1");
    const out = forwardHeaders(new Headers(), decision);
    expect(() => new Headers(decision.headers)).not.toThrow();
    expect(out.get("x-auth-admin")).toBeNull();
    expect(out.get("set-cookie")).toBeNull();
  });

  it("other control characters (tab, NUL, DEL) are dropped too", async () => {
    const { decision } = await allowed({ name: "a\tb\u0000c\u007fd" });
    expect(decision.headers["x-auth-name"]).toBe("abcd");
  });

  it("non-ASCII is percent-encoded as UTF-8, ASCII punctuation is kept", async () => {
    const { decision } = await allowed({ sub: "zoë", name: "Zoë 日本 <z@x>" });
    expect(decision.headers["x-auth-sub"]).toBe("zo%C3%AB");
    expect(decision.headers["x-auth-name"]).toBe("Zo%C3%AB %E6%97%A5%E6%9C%AC <z@x>");
    expect(decodeURIComponent(decision.headers["x-auth-name"]!)).toBe("Zoë 日本 <z@x>");
    for (const value of Object.values(decision.headers)) expect(/^[\x20-\x7e]*$/.test(value)).toBe(true);
    expect(() => new Headers(decision.headers)).not.toThrow();
  });

  it("the flat context keeps the real subject (it is not an HTTP header)", async () => {
    const { decision } = await allowed({ sub: "zoë" });
    expect(decision.context.sub).toBe("zoë");
  });
});

describe("claim-to-header mappings", () => {
  const claims = {
    email: "alice@example.com",
    roles: ["user", "admin"],
    realm_access: { roles: ["kc-admin", "kc-user"] },
    address: { country: "NL", city: "Utrecht" },
    age: 42,
    email_verified: false,
    org: { id: 7 },
    mixed: ["a", { b: 1 }],
    "https://example.com/tenant": "acme",
  };

  it("maps strings, joined arrays, nested paths, numbers, booleans and objects as documented", async () => {
    const { decision } = await allowed(claims);
    expect(decision.headers).toEqual({
      "x-auth-sub": "alice",
      "x-auth-iss": ISSUER,
      "x-auth-claims": decision.headers["x-auth-claims"],
      "x-auth-email": "alice@example.com",
      "x-auth-roles": "user,admin",
      "x-auth-realm-roles": "kc-admin,kc-user",
      "x-auth-address": Buffer.from(JSON.stringify({ country: "NL", city: "Utrecht" })).toString("base64url"),
      "x-auth-age": "42",
      "x-auth-verified": "false",
      "x-auth-org": "7",
      "x-auth-mixed": Buffer.from(JSON.stringify(["a", { b: 1 }])).toString("base64url"),
      "x-auth-tenant": "acme",
    });
  });

  it("a claim the token does not have gives no header", async () => {
    const { decision } = await allowed({});
    expect(Object.keys(decision.headers).sort()).toEqual(["x-auth-claims", "x-auth-iss", "x-auth-sub"]);
  });

  it("x-auth-claims decodes (base64url) to exactly the verified payload", async () => {
    const { decision, token } = await allowed({ ...claims, name: "Zoë 日本", note: "line\nbreak" });
    const header = decision.headers["x-auth-claims"]!;
    expect(/^[A-Za-z0-9_-]+$/.test(header)).toBe(true);
    const decoded = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    expect(decoded).toEqual(decodeJwt(token));
    expect(decoded).toEqual(decision.claims);
  });

  it("x-auth-claims and the context's claims are the payload as the issuer signed it, byte for byte", async () => {
    const text = `{ "iss": "${ISSUER}", "aud": "${AUDIENCE}", "sub": "al\\u0069ce", "exp": ${NOW_S + 600}, "big": 9007199254740993 }`;
    const token = await mintText(text);
    const f = await fixture(identity());
    const decision = expectAllowed(await f.call("GET", "/api", token), "token");
    expect(decision.headers["x-auth-claims"]).toBe(token.split(".")[1]);
    expect(decision.context.claims).toBe(text);
    expect(decision.headers["x-auth-sub"]).toBe("alice");
  });

  it("the same nested path maps per token, whatever the issuer", async () => {
    const { decision } = await allowed({ realm_access: { roles: ["admin"] } }, KEYCLOAK);
    expect(decision.headers["x-auth-realm-roles"]).toBe("admin");
    expect(decision.headers["x-auth-iss"]).toBe(KEYCLOAK);
  });
});

describe("Authorization forwarding", () => {
  it("Authorization is kept by default", async () => {
    const { f, token, decision } = await allowed({});
    expect(f.config.identity.stripAuthorization).toBe(false);
    const out = forwardHeaders(new Headers({ authorization: `Bearer ${token}` }), decision, {
      stripAuthorization: f.config.identity.stripAuthorization,
    });
    expect(out.get("authorization")).toBe(`Bearer ${token}`);
  });

  it("Authorization is removed when the config says stripAuthorization", async () => {
    const { f, token, decision } = await allowed({}, ISSUER, { stripAuthorization: true });
    expect(f.config.identity.stripAuthorization).toBe(true);
    const out = forwardHeaders(new Headers({ Authorization: `Bearer ${token}`, cookie: "a=1" }), decision, {
      stripAuthorization: f.config.identity.stripAuthorization,
    });
    expect(out.get("authorization")).toBeNull();
    expect(out.get("cookie")).toBe("a=1");
    expect(out.get("x-auth-sub")).toBe("alice");
  });

  it("forwardHeaders returns a copy and leaves the inbound headers untouched", async () => {
    const { decision } = await allowed({});
    const inbound = new Headers({ "x-auth-sub": "admin", authorization: "Bearer x" });
    forwardHeaders(inbound, decision, { stripAuthorization: true });
    expect(entries(inbound)).toEqual([
      ["authorization", "Bearer x"],
      ["x-auth-sub", "admin"],
    ]);
  });
});

describe("the flat context", () => {
  it("holds only strings, numbers and booleans", async () => {
    const { decision } = await allowed({
      scope: "read write",
      email: "alice@example.com",
      roles: ["a", "b"],
      address: { c: 1 },
      age: 42,
      email_verified: true,
      mixed: [{ x: 1 }],
    });
    const context: Allowed["context"] = decision.context;
    for (const value of Object.values(context)) expect(["string", "number", "boolean"]).toContain(typeof value);
    expect(context).toEqual({
      iss: ISSUER,
      sub: "alice",
      claims: JSON.stringify(decision.claims),
      scope: "read write",
      email: "alice@example.com",
      roles: "a,b",
      address: Buffer.from(JSON.stringify({ c: 1 })).toString("base64url"),
      age: 42,
      verified: true,
      mixed: Buffer.from(JSON.stringify([{ x: 1 }])).toString("base64url"),
    });
  });
});

describe("identity headers the authorizer owns", () => {
  it.each(["x-auth-sub", "X-Auth-Iss", "x-auth-claims"])(
    "a claim mapping onto %s is refused at start-up",
    async (header) => {
      const { configFromEnv } = await import("../../src/index.js");
      expect(() =>
        configFromEnv({
          JWT_ISSUER: "https://idp.example/",
          JWT_AUDIENCE: "api",
          JWT_CONFIG: { identity: { claimHeaders: { email: header } } },
        }),
      ).toThrowError(expect.objectContaining({ variable: "JWT_CONFIG.identity.claimHeaders.email" }));
    },
  );

  it("encodes % so that a claim reading zo%C3%AB arrives distinct from zoë", async () => {
    const { headerSafe } = await import("../../src/request/identity.js");
    expect(headerSafe("zo%C3%AB")).toBe("zo%25C3%25AB");
    expect(headerSafe("zoë")).toBe("zo%C3%AB");
    expect(decodeURIComponent(headerSafe("zo%C3%AB"))).toBe("zo%C3%AB");
  });
});
