/**
 * The claim conditions `nonEmpty` and `inPast`: what they accept and refuse, in an issuer's `claims` (401
 * `claim_condition_failed`) and in a route rule (403 `forbidden_claims`), and the configuration errors.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import { conditionHolds } from "../../src/jwt/claim-path.js";
import * as F from "../providers/fixtures.js";

const ISS = "https://idp.example.com";
const TOL = 30;
const sharedKey = F.rsaKey("cond-kid");

async function setup(extra: Record<string, unknown>) {
  const key = await sharedKey;
  const issuer = { issuer: ISS, audience: "api", jwks: { keys: [key.jwk] }, clockTolerance: TOL, ...extra };
  const { routes, ...rest } = issuer as Record<string, unknown>;
  const config = { issuers: [rest], ...(routes ? { routes } : {}) };
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify(config) }), {
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
  const call = async (claims: Record<string, unknown>, path = "/") => {
    const token = await F.mint(key, { iss: ISS, aud: "api", sub: "s", exp: F.NOW + 600, ...claims });
    return authorizer.authorize(
      new Request(`https://api.example.com${path}`, { headers: { authorization: `Bearer ${token}` } }),
    );
  };
  return call;
}

const outcome = (d: Decision) => (d.ok ? "ok" : `${d.status} ${d.code}`);

describe("claim condition nonEmpty", () => {
  it("in an issuer's claims: a non-empty string or array passes; empty, missing or another type is 401", async () => {
    const call = await setup({ claims: [{ claim: "org", nonEmpty: true }] });
    expect(outcome(await call({ org: "acme" }))).toBe("ok");
    expect(outcome(await call({ org: ["acme"] }))).toBe("ok");
    for (const org of ["", [], 7, true, { a: 1 }, undefined])
      expect(outcome(await call({ org }))).toBe("401 claim_condition_failed");
  });

  it("in a route rule: an empty claim is 403 forbidden_claims", async () => {
    const call = await setup({ routes: [{ path: "/orgs", claims: [{ claim: "org", nonEmpty: true }] }] });
    expect(outcome(await call({ org: "acme" }, "/orgs"))).toBe("ok");
    expect(outcome(await call({ org: "" }, "/orgs"))).toBe("403 forbidden_claims");
  });
});

describe("claim condition inPast", () => {
  it("passes a time up to now plus the clock tolerance, and refuses a later one with 401", async () => {
    const call = await setup({ claims: [{ claim: "auth_time", inPast: true }] });
    expect(outcome(await call({ auth_time: F.NOW - 3600 }))).toBe("ok");
    expect(outcome(await call({ auth_time: F.NOW + TOL }))).toBe("ok");
    expect(outcome(await call({ auth_time: F.NOW + TOL + 1 }))).toBe("401 claim_condition_failed");
  });

  it("refuses a time claim that is missing or not a NumericDate", async () => {
    const call = await setup({ claims: [{ claim: "auth_time", inPast: true }] });
    for (const auth_time of [undefined, String(F.NOW - 60), -1, 1.5, null])
      expect(outcome(await call({ auth_time }))).toBe("401 claim_condition_failed");
  });

  it("holds exactly for integers no later than now plus the tolerance (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (t, now) => {
        const holds = conditionHolds({ t }, { claim: "t", inPast: true }, {}, { now, tolerance: TOL });
        return holds === t <= now + TOL;
      }),
    );
  });

  it("never holds without a clock", () => {
    expect(conditionHolds({ t: 0 }, { claim: "t", inPast: true })).toBe(false);
  });
});

describe("claim condition configuration errors name the field", () => {
  const error = (config: Record<string, unknown>) => {
    try {
      configFromEnv({ JWT_CONFIG: JSON.stringify(config) });
    } catch (e) {
      return (e as Error).message;
    }
    return "no error";
  };
  const issuer = { issuer: ISS, audience: "api", jwksUri: `${ISS}/jwks` };

  it("inPast is for an issuer's claims only, not for route rules", () => {
    const config = { issuers: [issuer], routes: [{ path: "/a", claims: [{ claim: "auth_time", inPast: true }] }] };
    expect(error(config)).toMatch(/^JWT_CONFIG\.routes\[0\]\.claims\[0\]\.inPast: .*issuer claims only/);
  });

  it("nonEmpty and inPast must be true", () => {
    expect(error({ issuers: [{ ...issuer, claims: [{ claim: "sub", nonEmpty: false }] }] })).toMatch(
      /^JWT_CONFIG\.issuers\[0\]\.claims\[0\]\.nonEmpty: must be true/,
    );
    expect(error({ issuers: [{ ...issuer, claims: [{ claim: "auth_time", inPast: "yes" }] }] })).toMatch(
      /^JWT_CONFIG\.issuers\[0\]\.claims\[0\]\.inPast: must be true/,
    );
  });
});

describe("an issuer's claims written as { any } or { all }", () => {
  it("{ any }: one condition holding is enough, none holding is 401 claim_condition_failed", async () => {
    const call = await setup({
      claims: {
        any: [
          { claim: "org", equals: "acme" },
          { claim: "role", equals: "support" },
        ],
      },
    });
    expect(outcome(await call({ org: "acme" }))).toBe("ok");
    expect(outcome(await call({ org: "other", role: "support" }))).toBe("ok");
    expect(outcome(await call({ org: "other" }))).toBe("401 claim_condition_failed");
    expect(outcome(await call({}))).toBe("401 claim_condition_failed");
  });

  it("{ all }: every condition must hold", async () => {
    const call = await setup({
      claims: {
        all: [
          { claim: "org", equals: "acme" },
          { claim: "role", exists: true },
        ],
      },
    });
    expect(outcome(await call({ org: "acme", role: "x" }))).toBe("ok");
    expect(outcome(await call({ org: "acme" }))).toBe("401 claim_condition_failed");
  });

  // Before, a preset issuer dropped a `{ "any": [...] }` of its own: its tokens passed whatever they held.
  it("on a preset issuer, the user's { any } holds next to the preset's own rows", async () => {
    const key = await sharedKey;
    const domain = "tenant.eu.auth0.com";
    const fetch = F.servingFetch({ [`https://${domain}/.well-known/jwks.json`]: { keys: [key.jwk] } });
    const issuer = {
      preset: "auth0",
      domain,
      audience: "https://api.example.com",
      claims: {
        any: [
          { claim: "org_id", equals: "org_acme" },
          { claim: "org_id", equals: "org_beta" },
        ],
      },
    };
    const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: { issuers: [issuer] } }), {
      fetch,
      now: () => F.NOW * 1000,
      logger: silentLogger,
    });
    const call = async (claims: Record<string, unknown>) =>
      outcome(
        await authorizer.authorize(
          new Request("https://api.example.com/", {
            headers: { authorization: `Bearer ${await F.mint(key, { ...F.auth0Access(domain), ...claims })}` },
          }),
        ),
      );
    expect(await call({ org_id: "org_beta" })).toBe("ok");
    expect(await call({ org_id: "org_other" })).toBe("401 claim_condition_failed");
    expect(await call({})).toBe("401 claim_condition_failed");
    // The preset's own checks still hold: another audience is refused whatever the org.
    expect(await call({ org_id: "org_acme", aud: "https://other.example.com" })).toBe("401 audience_mismatch");
  });
});

describe("claim condition noneOf", () => {
  it("passes a claim that is none of the values, or absent; refuses one that is", async () => {
    const call = await setup({ claims: [{ claim: "sts", noneOf: ["pending", "revoked"] }] });
    expect(outcome(await call({ sts: "active" }))).toBe("ok");
    expect(outcome(await call({}))).toBe("ok");
    expect(outcome(await call({ sts: "pending" }))).toBe("401 claim_condition_failed");
    expect(outcome(await call({ sts: "revoked" }))).toBe("401 claim_condition_failed");
  });

  it("must be a non-empty list of scalars", () => {
    for (const noneOf of [[], "pending", [{}]])
      expect(() =>
        configFromEnv({
          JWT_CONFIG: { issuers: [{ issuer: ISS, audience: "api", claims: [{ claim: "sts", noneOf }] }] },
        }),
      ).toThrow(/claims\[0\]\.noneOf: must be a non-empty list/);
  });
});
