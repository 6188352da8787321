/**
 * Wycheproof JOSE vectors (C2SP/wycheproof, Apache-2.0, copied beside this file so a fresh clone has
 * them): every JWS vector through the core's signature layer `verifyCompactJws`, every JWK vector
 * through the core's key checks `checkJwk`. Each must agree with the vector's `result`, except the
 * cases listed in EXCLUDED, each with the reason and a check that the reason holds for the vector.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { JWK } from "jose";
import { AuthError, verifyCompactJws } from "../../src/index.js";
import * as keyChecks from "../../src/keys/checks.js";
import { bearer, goodClaims, harness, rawToken } from "../security/harness.js";

interface Vector { tcId: number; comment: string; jws: string | object; result: "valid" | "invalid" | "acceptable"; flags: string[] }
interface Group { comment: string; private?: JWK | { keys: JWK[] }; public?: JWK | { keys: JWK[] }; tests: Vector[] }
interface Suite { numberOfTests: number; testGroups: Group[] }

const load = (name: string): Suite => JSON.parse(readFileSync(new URL(`./wycheproof/${name}`, import.meta.url), "utf8")) as Suite;
const jwsSuite = load("json_web_signature_test.json");
const jwkSuite = load("json_web_key_test.json");

const JWS_ALGS = new Set(["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"]);
const text = (jws: string | object): string => (typeof jws === "string" ? jws : JSON.stringify(jws));

function header(jws: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(jws.split(".")[0] ?? "", "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The algorithm the verifier allows: the group key's alg when it is a JWS alg, else the header's. */
function allowedAlg(key: JWK, jws: string): string {
  if (key.alg && JWS_ALGS.has(key.alg)) return key.alg;
  const alg = header(jws)?.alg;
  return typeof alg === "string" ? alg : "RS256";
}

const byId = new Map<number, { group: Group; vector: Vector }>();
for (const group of jwsSuite.testGroups) for (const vector of group.tests) byId.set(vector.tcId, { group, vector });
const vectorKey = (group: Group): JWK => (group.public ?? group.private) as JWK;
const validWithSameJws = (jws: string) => [...byId.values()].filter(({ vector }) => vector.result === "valid" && text(vector.jws) === jws).map(({ vector }) => vector.tcId);

/** Vectors we do not hold the core to, with why, and a check that the why is true of the vector. */
const EXCLUDED: Record<number, { reason: string; holds: (key: JWK, jws: string) => boolean }> = {
  346: { reason: 'labelled valid, but the group key says "alg":"PS256" while the JWS (RFC 7520 figure 20) is PS384; a key bound to one alg must not verify another (RFC 7517 4.4, RFC 8725 3.1)', holds: (k, j) => k.alg === "PS256" && header(j)?.alg === "PS384" },
  350: { reason: "same as 346 with key_ops [verify]: key alg PS256, JWS alg PS384", holds: (k, j) => k.alg === "PS256" && header(j)?.alg === "PS384" },
  347: { reason: 'labelled valid, but the group key says "alg":"ES521", which is no JWS algorithm (a typo for ES512, RFC 7518 3.1); the key does not declare the JWS alg ES512', holds: (k, j) => k.alg === "ES521" && header(j)?.alg === "ES512" },
  351: { reason: "same as 347 with key_ops [verify]: key alg ES521, JWS alg ES512", holds: (k, j) => k.alg === "ES521" && header(j)?.alg === "ES512" },
  367: { reason: "labelled invalid (invalidBase64Padding), but the JWS carries no padding: it is byte for byte the valid tcId 357, the mutation was lost", holds: (_k, j) => validWithSameJws(j).includes(357) },
  370: { reason: "labelled invalid (invalidBase64PaddingInPayload), but the JWS is byte for byte the valid tcId 357", holds: (_k, j) => validWithSameJws(j).includes(357) },
  372: { reason: "labelled valid, but a ? inside the header segment is outside the base64url alphabet (RFC 7515 2, RFC 4648 5); only a lenient decoder that skips it accepts", holds: (_k, j) => j.split(".")[0]!.includes("?") },
  373: { reason: "labelled valid, but a ? inside the payload segment is outside the base64url alphabet (RFC 7515 2, RFC 4648 5)", holds: (_k, j) => j.split(".")[1]!.includes("?") },
  353: { reason: 'key selection only: the key is "use":"enc" and the signature itself is valid (the same JWS is a valid vector elsewhere); refusing an enc key is the JWKS key selection\'s job (RFC 7517 4.2), covered by checkJwk below and the security suite', holds: (k, j) => k.use === "enc" && validWithSameJws(j).length > 0 },
  354: { reason: 'key selection only: the key is "use":"enc" and the signature itself is valid (the same JWS is the valid tcId 18)', holds: (k, j) => k.use === "enc" && validWithSameJws(j).includes(18) },
};

type Outcome = "resolved" | "rejected";
const tally = { passed: 0, failed: 0, excluded: [] as string[] };

async function run(jws: string, key: JWK, alg: string): Promise<{ outcome: Outcome; payload?: Uint8Array; error?: unknown }> {
  try {
    return { outcome: "resolved", payload: await verifyCompactJws(jws, key, { algorithms: [alg] }) };
  } catch (error) {
    return { outcome: "rejected", error };
  }
}

describe("Wycheproof json_web_signature_test.json through verifyCompactJws", () => {
  it("has the 401 vectors the README promises", () => {
    expect(byId.size).toBe(401);
    expect(jwsSuite.numberOfTests).toBe(401);
  });

  for (const group of jwsSuite.testGroups) {
    for (const vector of group.tests) {
      const jws = text(vector.jws);
      const key = vectorKey(group);
      const alg = allowedAlg(key, jws);
      const excluded = EXCLUDED[vector.tcId];
      if (excluded) {
        it(`tcId ${vector.tcId} (${group.comment}, ${vector.comment}) is excluded: ${excluded.reason}`, async () => {
          expect(excluded.holds(key, jws)).toBe(true);
          const { outcome } = await run(jws, key, alg);
          tally.excluded.push(`${vector.tcId}:${vector.result}->${outcome}`);
        });
        continue;
      }
      it(`tcId ${vector.tcId} (${group.comment}, ${vector.comment}) is ${vector.result} under ${alg}`, async () => {
        const { outcome, payload, error } = await run(jws, key, alg);
        try {
          if (vector.result === "valid") {
            expect(outcome, String(error)).toBe("resolved");
            expect(Buffer.from(payload!).toString("base64url")).toBe(jws.split(".")[1]);
          } else if (vector.result === "invalid") {
            expect(outcome).toBe("rejected");
            expect(error, String(error)).toBeInstanceOf(AuthError);
          } else {
            if (outcome === "rejected") expect(error).toBeInstanceOf(AuthError);
            tally.excluded.push(`${vector.tcId}:acceptable->${outcome}`);
          }
          tally.passed++;
        } catch (failure) {
          tally.failed++;
          throw failure;
        }
      });
    }
  }
});

// ---- JWK vectors ---------------------------------------------------------------------------------

type Check = { ok: true } | { ok: false; reason: string };
const checkJwk = (keyChecks as unknown as { checkJwk: (jwk: JWK, alg?: string) => Check }).checkJwk;

/**
 * Rules about a whole key set, not one key. The core has no set-level check function: these run
 * through the authorizer, with the vector's set served as the issuer's JWKS and a proper JWT signed
 * with the vector's key under the vector's kid and alg; "invalid" means the authorizer refuses it.
 */
const SET_LEVEL: Record<number, string> = {
  1: "the set mixes a secret (oct) key with a public key",
  4: "two keys share one kid",
};
const SIGNATURE_LEVEL = new Set([3]); // a good key and a modified signature: the key check must pass, the signature must not
const jwkTally = { passed: 0, failed: 0, excluded: [] as number[], setCodes: [] as string[] };

async function setLevelOutcome(keys: JWK[], kid: string, alg: string): Promise<string> {
  const key = keys.find((k) => k.kid === kid)!;
  const h = await harness({ keys });
  const token = await rawToken(JSON.stringify({ alg, kid, typ: "JWT" }), JSON.stringify(goodClaims()), { alg, key: new Uint8Array(Buffer.from(String(key.k), "base64url")) });
  const decision = await h.authorizer.authorize(bearer(token));
  return decision.ok ? "allowed" : decision.code;
}

describe("Wycheproof json_web_key_test.json through checkJwk (and set rules through the authorizer)", () => {
  it("has the 26 vectors the README promises", () => {
    expect(jwkSuite.testGroups.reduce((n, g) => n + g.tests.length, 0)).toBe(26);
  });

  for (const group of jwkSuite.testGroups) {
    const keys = ((group.public ?? group.private) as { keys: JWK[] }).keys;
    for (const vector of group.tests) {
      const jws = text(vector.jws);
      const h = header(jws) ?? {};
      const alg = String(h.alg);
      const setLevel = SET_LEVEL[vector.tcId];
      it(`JWK tcId ${vector.tcId} (${group.comment}, ${vector.comment}) is ${vector.result}${setLevel ? " as a set" : ""}`, async () => {
        try {
          if (setLevel) {
            const outcome = await setLevelOutcome(keys, String(h.kid), alg);
            jwkTally.setCodes.push(`${vector.tcId}:${outcome}`);
            if (vector.result === "valid") expect(outcome).toBe("allowed");
            else expect(outcome).not.toBe("allowed");
            jwkTally.passed++;
            return;
          }
          const selected = keys.filter((k) => k.kid === h.kid);
          expect(selected).toHaveLength(1);
          const key = selected[0]!;
          const checked = checkJwk(key, alg);
          if (vector.result === "valid") {
            expect(checked).toEqual({ ok: true });
            await expect(verifyCompactJws(jws, key, { algorithms: [alg] })).resolves.toBeInstanceOf(Uint8Array);
          } else if (SIGNATURE_LEVEL.has(vector.tcId)) {
            expect(checked).toEqual({ ok: true });
            await expect(verifyCompactJws(jws, key, { algorithms: [alg] })).rejects.toBeInstanceOf(AuthError);
          } else {
            expect(checked.ok, `checkJwk accepted ${JSON.stringify({ ...key, d: undefined }).slice(0, 120)}`).toBe(false);
            if (!checked.ok) expect(typeof checked.reason).toBe("string");
          }
          jwkTally.passed++;
        } catch (failure) {
          jwkTally.failed++;
          throw failure;
        }
      });
    }
  }
});

afterAll(() => {
  console.log(`wycheproof JWS: ${tally.passed} passed, ${tally.failed} failed, ${tally.excluded.length} excluded (${tally.excluded.join(" ")})`);
  console.log(`wycheproof JWK: ${jwkTally.passed} passed, ${jwkTally.failed} failed, ${jwkTally.excluded.length} excluded; set-level through the authorizer: ${jwkTally.setCodes.join(" ")}`);
});
