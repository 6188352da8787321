/**
 * Where the token travels: wrong places (Basic, query or cookie when off, two sources, two tokens),
 * case-insensitive scheme, and header spoofing towards the origin.
 */
import { describe, expect, it } from "vitest";
import { forwardHeaders } from "../../src/index.js";
import { parseChallenge } from "./challenge.js";
import { expectAllowed, expectDecision, expectRefused, harness, jwt, NOW_S, testKeys, URL_BASE } from "./harness.js";

describe("wrong place", () => {
  it("a JWT sent as Authorization: Basic is refused as token_missing with no error attribute", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const decision = await expectRefused(h, token, 401, "token_missing", {
      verify: false,
      request: new Request(URL_BASE, { headers: { authorization: `Basic ${token}` } }),
    });
    expect(parseChallenge(decision.wwwAuthenticate!)).toEqual({ scheme: "Bearer", params: { realm: h.config.realm } });
  });

  it("a token only in the query string while query tokens are off is refused as token_missing", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    await expectRefused(h, token, 401, "token_missing", {
      verify: false,
      request: new Request(`${URL_BASE}?access_token=${token}`),
    });
  });

  it("a token only in a cookie while cookie tokens are off is refused as token_missing", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    await expectRefused(h, token, 401, "token_missing", {
      verify: false,
      request: new Request(URL_BASE, { headers: { cookie: `access_token=${token}` } }),
    });
  });

  it("with query tokens on, a token in the query passes and header plus query is refused as token_ambiguous (400)", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { query: "access_token" } } });
    const token = await jwt(rsa);
    await expectAllowed(h, token, new Request(`${URL_BASE}?access_token=${token}`));
    const both = new Request(`${URL_BASE}?access_token=${token}`, { headers: { authorization: `Bearer ${token}` } });
    const decision = await expectRefused(h, token, 400, "token_ambiguous", { request: both, verify: false });
    expect(parseChallenge(decision.wwwAuthenticate!).params.error).toBe("invalid_request");
  });

  it("with query tokens on, the parameter given twice is refused as token_ambiguous (400)", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { query: "access_token" } } });
    const token = await jwt(rsa);
    await expectRefused(h, token, 400, "token_ambiguous", {
      request: new Request(`${URL_BASE}?access_token=${token}&access_token=${token}`),
      verify: false,
    });
  });

  it("with cookie tokens on, a token in the cookie passes", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { cookie: "access_token" } } });
    const token = await jwt(rsa);
    await expectAllowed(h, token, new Request(URL_BASE, { headers: { cookie: `theme=dark; access_token=${token}` } }));
  });

  // The core treats the cookie as a fallback (browsers send cookies on their own): with a Bearer
  // header present, the header is the one token; a good cookie never rescues a bad header.
  it("with cookie tokens on, an expired Bearer token is refused as token_expired even with a good cookie", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { cookie: "access_token" } } });
    const good = await jwt(rsa);
    const expired = await jwt(rsa, { iat: NOW_S - 7200, exp: NOW_S - 3600 });
    const request = new Request(URL_BASE, {
      headers: { cookie: `access_token=${good}`, authorization: `Bearer ${expired}` },
    });
    await expectRefused(h, expired, 401, "token_expired", { request, secrets: [good] });
  });

  it("with cookie tokens on, the cookie given twice is refused as token_ambiguous (400)", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { cookie: "access_token" } } });
    const token = await jwt(rsa);
    const request = new Request(URL_BASE, { headers: { cookie: `access_token=${token}; access_token=${token}` } });
    await expectRefused(h, token, 400, "token_ambiguous", { request, verify: false });
  });

  // A link can carry a token the user did not choose, while the browser sends the user's own cookie.
  it("with query and cookie tokens on, a query token next to a different cookie token is refused as token_ambiguous (400)", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { query: "access_token", cookie: "access_token" } } });
    const mine = await jwt(rsa);
    const theirs = await jwt(rsa, { sub: "mallory" });
    const request = new Request(`${URL_BASE}?access_token=${theirs}`, { headers: { cookie: `access_token=${mine}` } });
    await expectRefused(h, theirs, 400, "token_ambiguous", { request, verify: false, secrets: [mine] });
  });

  it("with query and cookie tokens on, the same token in the query and the cookie counts once", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { query: "access_token", cookie: "access_token" } } });
    const token = await jwt(rsa);
    await expectAllowed(
      h,
      token,
      new Request(`${URL_BASE}?access_token=${token}`, { headers: { cookie: `access_token=${token}` } }),
    );
  });

  it("with cookie tokens on, a Bearer header next to a cookie is judged on the header alone", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { query: "access_token", cookie: "access_token" } } });
    const token = await jwt(rsa);
    const other = await jwt(rsa, { sub: "bob" });
    await expectAllowed(
      h,
      token,
      new Request(URL_BASE, { headers: { authorization: `Bearer ${token}`, cookie: `access_token=${other}` } }),
    );
  });

  it("Authorization: Bearer with two tokens is refused as header_malformed (400)", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const decision = await expectRefused(h, token, 400, "header_malformed", {
      request: new Request(URL_BASE, { headers: { authorization: `Bearer ${token} ${token}` } }),
      verify: false,
    });
    expect(parseChallenge(decision.wwwAuthenticate!).params.error).toBe("invalid_request");
  });

  it("Authorization: Bearer a b is refused as header_malformed (400)", async () => {
    const h = await harness();
    expectDecision(
      await h.authorizer.authorize(new Request(URL_BASE, { headers: { authorization: "Bearer a b" } })),
      400,
      "header_malformed",
    );
  });

  it("two Authorization headers are refused with 400 invalid_request", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const headers = new Headers();
    headers.append("authorization", `Bearer ${token}`);
    headers.append("authorization", `Bearer ${token}`);
    const decision = await h.authorizer.authorize(new Request(URL_BASE, { headers }));
    expect(decision.ok ? null : [decision.status, decision.error]).toEqual([400, "invalid_request"]);
    expect(decision.ok ? "" : decision.code).toMatch(/^(token_ambiguous|header_malformed)$/);
  });

  for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
    it(`the scheme ${scheme} is accepted case-insensitively`, async () => {
      const { rsa } = await testKeys();
      const token = await jwt(rsa);
      await expectAllowed(
        await harness(),
        token,
        new Request(URL_BASE, { headers: { authorization: `${scheme} ${token}` } }),
      );
    });
  }
});

describe("header spoofing", () => {
  it("inbound x-auth-* headers never reach the origin; the verified identity replaces them", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const inbound = new Headers({
      authorization: `Bearer ${token}`,
      "x-auth-sub": "admin",
      "X-Auth-Claims": "forged",
      "x-auth-role": "root",
      accept: "text/plain",
    });
    const decision = await h.authorizer.authorize(new Request(URL_BASE, { headers: inbound }));
    if (!decision.ok) throw new Error(`expected allowed, got ${decision.code}`);
    const out = forwardHeaders(inbound, decision);
    expect(out.get("x-auth-sub")).toBe("alice");
    expect(out.get("x-auth-iss")).toBe(h.config.issuers[0]!.issuer);
    expect(out.get("x-auth-claims")).toBe(decision.headers["x-auth-claims"]);
    expect(out.get("x-auth-role")).toBeNull();
    expect(out.get("accept")).toBe("text/plain");
    expect(forwardHeaders(inbound, decision, { stripAuthorization: true }).get("authorization")).toBeNull();
  });
});
