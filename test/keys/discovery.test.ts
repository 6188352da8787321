/**
 * A cold cache under concurrency, and OIDC discovery: one fetch for many callers, the discovered
 * document must name the configured issuer exactly, and its `jwks_uri` must be https.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALLOWED,
  DISCOVERY_URL,
  ISSUER,
  JWKS_URL,
  UNAVAILABLE,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type TestKey,
} from "./fixtures.js";

let key: TestKey;
beforeAll(async () => {
  key = await makeKey("k1");
});

describe("a cold cache under 100 concurrent requests", () => {
  it("makes exactly 1 discovery fetch and 1 JWKS fetch when keys are discovered", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => mint(key, clock)));
    const results = await Promise.all(tokens.map((t) => outcome(authorizer, t)));
    expect(results).toEqual(Array(100).fill(ALLOWED));
    expect(idp.count(DISCOVERY_URL)).toBe(1);
    expect(idp.count(JWKS_URL)).toBe(1);
    expect(idp.calls).toHaveLength(2);
  });

  it("makes exactly 1 JWKS fetch and no discovery when JWT_JWKS_URI is set", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => mint(key, clock)));
    const results = await Promise.all(tokens.map((t) => outcome(authorizer, t)));
    expect(results).toEqual(Array(100).fill(ALLOWED));
    expect(idp.count(DISCOVERY_URL)).toBe(0);
    expect(idp.count(JWKS_URL)).toBe(1);
    expect(idp.calls).toHaveLength(1);
  });

  it("shares one fetch between warmUp and requests arriving meanwhile", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    const token = await mint(key, clock);
    const [, result] = await Promise.all([authorizer.warmUp(), outcome(authorizer, token)]);
    expect(result).toEqual(ALLOWED);
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL]);
  });
});

describe("OIDC discovery", () => {
  it("fetches the JWKS from the jwks_uri the discovery document names", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL]);
  });

  it.each([
    ["another host", "https://evil.example"],
    ["a trailing slash the configuration does not have", `${ISSUER}/`],
    ["a different case", ISSUER.toUpperCase()],
    ["no issuer at all", undefined],
  ])(
    "refuses a discovery document naming %s with 503 keys_unavailable, logs it, and never fetches its JWKS",
    async (_name, docIssuer) => {
      const idp = fakeIssuer([key.jwk]);
      idp.discovery = { issuer: docIssuer, jwks_uri: JWKS_URL };
      const clock = makeClock();
      const { authorizer, logger } = authorizerFor(idp, clock, { jwksUri: false });
      const token = await mint(key, clock);
      expect(await outcome(authorizer, token)).toEqual(UNAVAILABLE);
      expect(idp.count(DISCOVERY_URL)).toBe(1);
      expect(idp.count(JWKS_URL)).toBe(0);
      const failed = logger.find("jwks_fetch_failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]!.fields).toMatchObject({ iss: ISSUER, error: "discovery document names another issuer" });
      expect(JSON.stringify(logger.lines)).not.toContain(token);
    },
  );

  it("skips discovery entirely when JWT_JWKS_URI is set", async () => {
    const idp = fakeIssuer([key.jwk]);
    idp.discovery = { issuer: "https://evil.example", jwks_uri: "https://evil.example/jwks" };
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls.map((c) => c.url)).toEqual([JWKS_URL]);
  });

  it.each([
    ["an http URL", "http://idp.example/jwks"],
    ["a relative path", "/jwks"],
    ["a non-string", 42],
    ["a javascript: URL", "javascript:alert(1)"],
  ])("refuses a discovered jwks_uri that is %s, and never fetches it", async (_name, jwksUri) => {
    const idp = fakeIssuer([key.jwk]);
    idp.discovery = { issuer: ISSUER, jwks_uri: jwksUri };
    const clock = makeClock();
    const { authorizer, logger } = authorizerFor(idp, clock, { jwksUri: false });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(UNAVAILABLE);
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL]);
    expect(logger.find("jwks_fetch_failed")).toHaveLength(1);
  });

  it("discovers once and keeps the jwks_uri when the JWKS is refreshed later", async () => {
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { jwksUri: false });
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    clock.advance(600_000); // the default TTL
    expect(await outcome(authorizer, await mint(key, clock))).toEqual(ALLOWED);
    expect(idp.calls.map((c) => c.url)).toEqual([DISCOVERY_URL, JWKS_URL, JWKS_URL]);
  });
});
