/**
 * Claim attacks: time claims at the tolerance boundary and of the wrong type (1e400 parses to
 * Infinity), a missing exp, an over-long lifetime, audience and issuer games, and the token type.
 */
import { describe, expect, it } from "vitest";
import {
  expectAllowed,
  expectRefused,
  goodClaims,
  harness,
  ISSUER,
  jsonToken,
  jwt,
  NOW_S,
  rawToken,
  testKeys,
  TOLERANCE_S,
} from "./harness.js";

/** A validly signed RS256 token whose payload is `goodClaims` with `name` set to the raw JSON text `value`. */
async function withRawClaim(name: string, value: string): Promise<string> {
  const { rsa } = await testKeys();
  const rest = goodClaims();
  delete rest[name];
  const payload = JSON.stringify(rest).replace(/}$/, `,${JSON.stringify(name)}:${value}}`);
  return rawToken(JSON.stringify({ alg: rsa.alg, kid: rsa.kid, typ: "JWT" }), payload, {
    alg: rsa.alg,
    key: rsa.privateKey,
  });
}

describe("time claims", () => {
  it("the harness clock tolerance is the configured one", async () => {
    expect((await harness()).config.issuers[0]!.clockTolerance).toBe(TOLERANCE_S);
  });

  it("a token that expired one second inside the clock tolerance passes", async () => {
    const { rsa } = await testKeys();
    await expectAllowed(await harness(), await jwt(rsa, { iat: NOW_S - 600, exp: NOW_S - TOLERANCE_S + 1 }));
  });

  it("a token that expired one second outside the clock tolerance is refused as token_expired", async () => {
    const { rsa } = await testKeys();
    await expectRefused(
      await harness(),
      await jwt(rsa, { iat: NOW_S - 600, exp: NOW_S - TOLERANCE_S - 1 }),
      401,
      "token_expired",
    );
  });

  it("a token is refused as token_expired once the injected clock passes exp plus the tolerance", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, { exp: NOW_S + 60 });
    await expectAllowed(h, token);
    h.clock.ms = (NOW_S + 60 + TOLERANCE_S + 1) * 1000;
    await expectRefused(h, token, 401, "token_expired");
  });

  it("exp 0 is a finite integer in the past and is refused as token_expired", async () => {
    await expectRefused(await harness(), await withRawClaim("exp", "0"), 401, "token_expired");
  });

  for (const value of [
    '"9999999999"',
    "true",
    "null",
    "1e400",
    "-1e400",
    "-1",
    "1.5",
    "[9999999999]",
    "{}",
    '"1e400"',
  ]) {
    it(`exp written as ${value} is refused as claim_invalid`, async () => {
      await expectRefused(await harness(), await withRawClaim("exp", value), 401, "claim_invalid");
    });
  }

  it("exp of 2000000000.0 written with a fraction part but integral value is accepted or refused as claim_invalid", async () => {
    const h = await harness();
    const decision = await h.authorizer.authorize(
      new Request("https://api.example/", {
        headers: { authorization: `Bearer ${await withRawClaim("exp", "2000000000.0")}` },
      }),
    );
    // JSON.parse cannot tell 2000000000.0 from 2000000000; either answer is consistent.
    expect(decision.ok || decision.code === "claim_invalid").toBe(true);
  });

  it("a token whose nbf is beyond the tolerance in the future is refused as token_not_yet_valid", async () => {
    const { rsa } = await testKeys();
    await expectRefused(await harness(), await jwt(rsa, { nbf: NOW_S + TOLERANCE_S + 1 }), 401, "token_not_yet_valid");
  });

  it("a token whose nbf is within the tolerance passes", async () => {
    const { rsa } = await testKeys();
    await expectAllowed(await harness(), await jwt(rsa, { nbf: NOW_S + TOLERANCE_S - 1 }));
  });

  it("a token whose iat is beyond the tolerance in the future is refused as iat_in_future", async () => {
    const { rsa } = await testKeys();
    await expectRefused(
      await harness(),
      await jwt(rsa, { iat: NOW_S + TOLERANCE_S + 1, exp: NOW_S + 3600 }),
      401,
      "iat_in_future",
    );
  });

  for (const [claim, value] of [
    ["nbf", "1e400"],
    ["nbf", '"0"'],
    ["iat", "1e400"],
    ["iat", '"now"'],
    ["iat", "null"],
  ] as const) {
    it(`${claim} written as ${value} is refused as claim_invalid`, async () => {
      await expectRefused(await harness(), await withRawClaim(claim, value), 401, "claim_invalid");
    });
  }

  it("a token without exp is refused as claim_missing", async () => {
    const { rsa } = await testKeys();
    await expectRefused(await harness(), await jwt(rsa, { exp: undefined }), 401, "claim_missing");
  });
});

describe("lifetime", () => {
  it("a token living longer than maxLifetime is refused as lifetime_exceeded", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ issuer: { maxLifetime: 3600 } });
    await expectRefused(h, await jwt(rsa, { iat: NOW_S, exp: NOW_S + 3601 }), 401, "lifetime_exceeded");
  });

  it("a token living exactly maxLifetime passes", async () => {
    const { rsa } = await testKeys();
    await expectAllowed(
      await harness({ issuer: { maxLifetime: 3600 } }),
      await jwt(rsa, { iat: NOW_S, exp: NOW_S + 3600 }),
    );
  });
});

describe("audience", () => {
  it('aud ["other","api"] passes', async () => {
    const { rsa } = await testKeys();
    await expectAllowed(await harness(), await jwt(rsa, { aud: ["other", "api"] }));
  });

  for (const aud of [[], "API", ["a", 1], ["api", 1], " api", "api ", "", ["API"], 1, null, { api: true }]) {
    it(`aud ${JSON.stringify(aud)} is refused as audience_mismatch`, async () => {
      const { rsa } = await testKeys();
      await expectRefused(await harness(), await jsonToken(rsa, goodClaims({ aud })), 401, "audience_mismatch");
    });
  }

  it("a token without aud is refused as audience_mismatch", async () => {
    const { rsa } = await testKeys();
    await expectRefused(await harness(), await jwt(rsa, { aud: undefined }), 401, "audience_mismatch");
  });
});

describe("issuer", () => {
  it("iss https://idp.example against configured https://idp.example/ is refused as issuer_unknown with no fetch", async () => {
    const { rsa } = await testKeys();
    for (const discovery of [false, true]) {
      const h = await harness({ discovery });
      await expectRefused(h, await jwt(rsa, { iss: "https://idp.example" }), 401, "issuer_unknown");
      expect(h.fetched).toEqual([]);
    }
  });

  for (const iss of [
    "https://evil.example/",
    "https://IDP.example/",
    "https://idp.example/.",
    "https://idp.example//",
    `${ISSUER}?`,
    "http://idp.example/",
  ]) {
    it(`an unconfigured issuer ${iss} is refused as issuer_unknown and never causes a fetch`, async () => {
      const { rsa } = await testKeys();
      const h = await harness({ discovery: true });
      await expectRefused(h, await jwt(rsa, { iss }), 401, "issuer_unknown");
      expect(h.fetched).toEqual([]);
    });
  }

  it("a token without iss is refused as claim_missing with no fetch", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ discovery: true });
    await expectRefused(h, await jwt(rsa, { iss: undefined }), 401, "claim_missing");
    expect(h.fetched).toEqual([]);
  });

  for (const iss of [[ISSUER], 1, null, { href: ISSUER }]) {
    it(`a token whose iss is ${JSON.stringify(iss)} (not a string) is refused as claim_invalid with no fetch`, async () => {
      const { rsa } = await testKeys();
      const h = await harness({ discovery: true });
      await expectRefused(h, await jsonToken(rsa, goodClaims({ iss })), 401, "claim_invalid");
      expect(h.fetched).toEqual([]);
    });
  }

  it("the configured issuer is fetched through discovery once and passes", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ discovery: true });
    await expectAllowed(h, await jwt(rsa));
    expect(h.fetched).toEqual([
      "https://idp.example/.well-known/openid-configuration",
      "https://idp.example/jwks.json",
    ]);
  });
});

describe("token type", () => {
  const typed = () => harness({ issuer: { typ: ["at+jwt"] } });

  it("with typ at+jwt required, a token of typ JWT (an ID token) is refused as typ_invalid", async () => {
    const { rsa } = await testKeys();
    await expectRefused(await typed(), await jwt(rsa, {}, { typ: "JWT" }), 401, "typ_invalid");
  });

  it("with typ at+jwt required, a token without typ is refused as typ_invalid", async () => {
    const { rsa } = await testKeys();
    await expectRefused(await typed(), await jsonToken(rsa, goodClaims(), { typ: undefined }), 401, "typ_invalid");
  });

  for (const typ of ["at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"]) {
    it(`with typ at+jwt required, a token of typ ${typ} passes`, async () => {
      const { rsa } = await testKeys();
      await expectAllowed(await typed(), await jwt(rsa, {}, { typ }));
    });
  }

  for (const typ of ["at+jwt ", "application/jwt", "xat+jwt", "at+jwt, JWT"]) {
    it(`with typ at+jwt required, a token of typ ${JSON.stringify(typ)} is refused as typ_invalid`, async () => {
      const { rsa } = await testKeys();
      await expectRefused(await typed(), await jwt(rsa, {}, { typ }), 401, "typ_invalid");
    });
  }

  it("without a typ requirement, a token of typ JWT passes", async () => {
    const { rsa } = await testKeys();
    await expectAllowed(await harness(), await jwt(rsa, {}, { typ: "JWT" }));
  });
});
