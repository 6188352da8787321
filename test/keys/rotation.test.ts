/**
 * Key rotation and unknown `kid`s: a new key is picked up with one refetch, a removed key stops
 * working once a refreshed JWKS drops it, and a flood of random kids costs at most one fetch per cooldown.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALLOWED,
  JWKS_URL,
  KID_UNKNOWN,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  unsignedToken,
  type TestKey,
} from "./fixtures.js";

let a: TestKey;
let b: TestKey;
beforeAll(async () => {
  [a, b] = await Promise.all([makeKey("key-a"), makeKey("key-b", "RS256")]);
});

const COOLDOWN_MS = 30_000;
const TTL_MS = 600_000;

describe("key rotation", () => {
  it("accepts a token signed with a new kid after exactly one refetch", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(1);

    idp.keys = [a.jwk, b.jwk];
    clock.advance(1000);
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(2);
    // Both keys now verify without another fetch.
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("accepts many concurrent tokens with the new kid after exactly one refetch", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    await authorizer.warmUp();
    idp.keys = [a.jwk, b.jwk];
    const tokens = await Promise.all(Array.from({ length: 50 }, () => mint(b, clock)));
    const results = await Promise.all(tokens.map((t) => outcome(authorizer, t)));
    expect(results).toEqual(Array(50).fill(ALLOWED));
    expect(idp.count(JWKS_URL)).toBe(2);
  });

  it("keeps a removed key working while the cached JWKS is fresh, and refuses it with kid_unknown once the refreshed JWKS no longer has it", async () => {
    const idp = fakeIssuer([a.jwk, b.jwk]);
    const clock = makeClock();
    const { authorizer, settle } = authorizerFor(idp, clock);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    idp.keys = [b.jwk];

    clock.advance(TTL_MS - 1);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(1);

    // Past the TTL the cached keys still answer while one refresh runs behind the request.
    clock.advance(1);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    await settle();
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(KID_UNKNOWN);
    // The TTL refresh, then the unknown-kid refetch (the cooldown counts from the last unknown-kid refetch).
    expect(idp.count(JWKS_URL)).toBe(3);
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(KID_UNKNOWN);
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(3);
  });
});

describe("a flood of unknown kids", () => {
  it("costs at most one extra fetch for 10,000 random kids within one cooldown, all refused with 401 kid_unknown", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer, logger } = authorizerFor(idp, clock);
    await authorizer.warmUp();
    expect(idp.count(JWKS_URL)).toBe(1);

    const tokens = Array.from({ length: 10_000 }, () => unsignedToken(crypto.randomUUID(), clock));
    const first = await Promise.all(tokens.slice(0, 5000).map((t) => outcome(authorizer, t)));
    clock.advance(COOLDOWN_MS - 1);
    const second = await Promise.all(tokens.slice(5000).map((t) => outcome(authorizer, t)));
    expect([...first, ...second]).toEqual(Array(10_000).fill(KID_UNKNOWN));
    expect(idp.count(JWKS_URL)).toBe(2);
    expect(idp.calls).toHaveLength(2);
    expect(logger.find("jwt_refused").every((l) => l.fields?.status === 401 && l.fields?.code === "kid_unknown")).toBe(
      true,
    );

    // The known key keeps working throughout.
    expect(await outcome(authorizer, await mint(a, clock))).toEqual(ALLOWED);
    expect(idp.count(JWKS_URL)).toBe(2);
  }, 60_000); // 10,000 Requests take a few seconds to build and refuse; no waiting involved.

  it("allows exactly one more refetch once the cooldown has passed", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    await authorizer.warmUp();
    expect(await outcome(authorizer, unsignedToken("nope-1", clock))).toEqual(KID_UNKNOWN);
    expect(idp.count(JWKS_URL)).toBe(2);

    clock.advance(COOLDOWN_MS);
    const later = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => outcome(authorizer, unsignedToken(`nope-${i + 2}`, clock))),
    );
    expect(later).toEqual(Array(1000).fill(KID_UNKNOWN));
    expect(idp.count(JWKS_URL)).toBe(3);
  });

  it("honours a configured cooldown from JWT_CONFIG.cache.jwks.cooldown", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock, { config: { cache: { jwks: { cooldown: 120 } } } });
    await authorizer.warmUp();
    expect(await outcome(authorizer, unsignedToken("x1", clock))).toEqual(KID_UNKNOWN);
    clock.advance(119_999);
    expect(await outcome(authorizer, unsignedToken("x2", clock))).toEqual(KID_UNKNOWN);
    expect(idp.count(JWKS_URL)).toBe(2);
    clock.advance(1);
    expect(await outcome(authorizer, unsignedToken("x3", clock))).toEqual(KID_UNKNOWN);
    expect(idp.count(JWKS_URL)).toBe(3);
  });

  it("never fetches for a token from an issuer that is not configured, whatever its kid", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    const token = await mint(a, clock, { iss: "https://evil.example" }, { kid: "evil-kid" });
    expect(await outcome(authorizer, token)).toEqual({ status: 401, code: "issuer_unknown" });
    expect(idp.calls).toHaveLength(0);
  });
});
