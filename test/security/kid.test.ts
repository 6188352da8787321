/**
 * kid games: path traversal, SQL, prototype names, huge and non-string kids, and an unknown-kid
 * flood that must cost at most one JWKS refetch per cooldown.
 */
import { describe, expect, it } from "vitest";
import {
  bearer,
  expectAllowed,
  expectDecision,
  expectRefused,
  goodClaims,
  harness,
  jsonToken,
  jwt,
  makeKey,
  rawToken,
  testKeys,
} from "./harness.js";

const claims = () => JSON.stringify(goodClaims());

describe("kid games", () => {
  const hostile = [
    "../../dev/null",
    "' UNION SELECT 'k'--",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "",
    "rsa-1\u0000",
    "RSA-1",
  ];
  for (const kid of hostile) {
    it(`a token with kid ${JSON.stringify(kid)} is refused as kid_unknown`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await expectRefused(h, token, 401, "kid_unknown");
    });
  }

  it("a token with a 1 MB kid is refused as token_too_large before any fetch", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: "k".repeat(1024 * 1024), typ: "JWT" }), claims(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_too_large");
    expect(h.fetched).toEqual([]);
  });

  it("a 5000-character kid with a forged log line inside is refused as kid_unknown and logged short and escaped", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const kid = `${"k".repeat(5000)}\n{"level":"info","message":"jwt_allowed"}`;
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }), claims(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "kid_unknown");
    for (const entry of h.logs) expect(JSON.stringify(entry).length).toBeLessThan(1024);
    expect(h.logs.some((entry) => entry.message === "jwt_allowed")).toBe(false);
  });

  for (const [name, kid] of [
    ["a number", 1],
    ["an object", { $ne: null }],
    ["an array", ["rsa-1"]],
    ["true", true],
  ] as const) {
    it(`a token whose kid is ${name} is refused as token_malformed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid, typ: "JWT" }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await expectRefused(h, token, 401, "token_malformed");
    });
  }

  it("a token without kid is verified by the only published key of its type", async () => {
    const { rsa } = await testKeys();
    await expectAllowed(await harness(), await jsonToken(rsa, goodClaims(), { kid: undefined }));
  });

  it("a token without kid is refused as kid_unknown when several keys of its type are published", async () => {
    const { rsa, ec } = await testKeys();
    const other = { ...rsa.jwk, kid: "rsa-2", n: rsa.jwk.n!.replace(/^./, "x") };
    await expectRefused(
      await harness({ keys: [rsa.jwk, other, ec.jwk] }),
      await jsonToken(rsa, goodClaims(), { kid: undefined }),
      401,
      "kid_unknown",
    );
  });

  it("a flood of unknown kids costs one JWKS refetch per cooldown, and known keys keep working", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    await expectAllowed(h, await jwt(rsa));
    expect(h.jwksFetches()).toBe(1);
    const cooldownMs = h.config.cache.jwks.cooldown * 1000;
    // Past the cooldown since the first fetch: the first unknown kid may refetch once, the rest may not.
    h.clock.ms += cooldownMs + 1000;
    for (let i = 0; i < 50; i++) {
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid: `unknown-${i}`, typ: "JWT" }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      expectDecision(await h.authorizer.authorize(bearer(token)), 401, "kid_unknown");
    }
    expect(h.jwksFetches()).toBe(2);
    await expectAllowed(h, await jwt(rsa, { sub: "alice", jti: "after-flood" }));
    expect(h.jwksFetches()).toBe(2);
    // Another cooldown later, one more refetch at most.
    h.clock.ms += cooldownMs + 1000;
    for (let i = 0; i < 20; i++) {
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid: `later-${i}`, typ: "JWT" }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      expectDecision(await h.authorizer.authorize(bearer(token)), 401, "kid_unknown");
    }
    expect(h.jwksFetches()).toBe(3);
  });

  it("a key added to the JWKS is found by a token naming its new kid after the cooldown", async () => {
    const { rsa, ec } = await testKeys();
    const h = await harness({ keys: [ec.jwk] });
    const token = await jwt(rsa);
    expectDecision(await h.authorizer.authorize(bearer(token)), 401, "kid_unknown");
    const before = h.jwksFetches();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThanOrEqual(2);
    h.jwks.keys = [rsa.jwk];
    h.clock.ms += h.config.cache.jwks.cooldown * 1000 + 1000;
    await expectAllowed(
      h,
      await jwt(rsa, { iat: Math.floor(h.clock.ms / 1000), exp: Math.floor(h.clock.ms / 1000) + 600 }),
    );
    expect(h.jwksFetches()).toBe(before + 1);
  });

  it("a kid from another trusted issuer's JWKS is unknown to this issuer: no cross-issuer key confusion", async () => {
    const { rsa } = await testKeys();
    const other = await makeKey("RS256", "other-1");
    const OTHER = "https://other.example/";
    const h = await harness({
      extraIssuers: [{ issuer: OTHER, jwksUri: "https://other.example/jwks.json", keys: [other.jwk] }],
    });
    await expectAllowed(h, await jwt(rsa));
    await expectAllowed(h, await jwt(other, { iss: OTHER }));
    await expectRefused(h, await jwt(other), 401, "kid_unknown");
    await expectRefused(h, await jwt(rsa, { iss: OTHER }), 401, "kid_unknown");
  });

  it("a token of one issuer never causes a fetch of another issuer's JWKS", async () => {
    const { rsa } = await testKeys();
    const h = await harness({
      extraIssuers: [{ issuer: "https://other.example/", jwksUri: "https://other.example/jwks.json", keys: [] }],
    });
    await expectAllowed(h, await jwt(rsa));
    await expectRefused(h, await jwt(rsa, {}, { kid: "nope" }), 401, "kid_unknown");
    expect(h.fetched.every((u) => u.startsWith("https://idp.example/"))).toBe(true);
  });
});
