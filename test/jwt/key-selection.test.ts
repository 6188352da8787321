/**
 * Key selection in large key sets: with up to 1,000 keys, the indexed lookup picks exactly what a scan
 * of the whole set picks: by `kid` the one key that fits the token's `alg` (none fitting: the first, so
 * the refusal says key_invalid; two fitting: none), and without `kid` the only key of the `alg`'s type.
 */
import fc from "fast-check";
import type { JWK } from "jose";
import { describe, expect, it } from "vitest";
import { keySet, pick } from "../../src/keys/select.js";
import { keyFitsAlg } from "../../src/keys/checks.js";
import { algorithm } from "../../src/jwt/algorithms.js";

/** The selection rule, as a scan of every key. */
function scan(keys: JWK[], kid: string | undefined, alg: string): JWK | undefined {
  if (kid !== undefined) {
    const named = keys.filter((k) => k.kid === kid);
    if (named.length === 0) return undefined;
    const fitting = named.filter((k) => keyFitsAlg(k, alg).ok);
    return fitting.length === 1 ? fitting[0] : fitting.length === 0 ? named[0] : undefined;
  }
  const ofType = keys.filter((k) => k.kty === algorithm(alg)?.kty);
  return ofType.length === 1 ? ofType[0] : undefined;
}

// Key material is not looked at by selection: shapes with the members that decide whether a key fits.
const SHAPES: JWK[] = [
  { kty: "RSA", n: "n", e: "AQAB", alg: "RS256" },
  { kty: "RSA", n: "n", e: "AQAB" },
  { kty: "RSA", n: "n", e: "AQAB", alg: "PS256", use: "sig" },
  { kty: "EC", crv: "P-256", x: "x", y: "y", alg: "ES256" },
  { kty: "EC", crv: "P-384", x: "x", y: "y" },
  { kty: "OKP", crv: "Ed25519", x: "x", use: "enc" },
  { kty: "OKP", crv: "Ed25519", x: "x" },
];
const ALGS = ["RS256", "PS256", "ES256", "ES384", "EdDSA", "HS256", "none"];

describe("key selection", () => {
  it("picks the same key as a scan, with or without kid, in sets of up to 1,000 keys", () => {
    const key = fc
      .tuple(fc.constantFrom(...SHAPES), fc.option(fc.constantFrom("a", "b", "c", "d"), { nil: undefined }))
      .map(([shape, kid]) => (kid === undefined ? { ...shape } : { ...shape, kid }));
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 12 }),
        fc.integer({ min: 0, max: 988 }),
        fc.option(fc.constantFrom("a", "b", "c", "d", "filler-3"), { nil: undefined }),
        fc.constantFrom(...ALGS),
        (some, fillers, kid, alg) => {
          // Fillers: distinct kids, same shape, so large sets are exercised with and without kid.
          const keys = [...some, ...Array.from({ length: fillers }, (_, i) => ({ ...SHAPES[3]!, kid: `filler-${i}` }))];
          const set = keySet(keys, 0, Infinity);
          expect(pick(set, kid, alg)).toBe(scan(keys, kid, alg));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds the one key named by kid among 1,000, and no key without kid when several share the type", () => {
    const keys = Array.from({ length: 1000 }, (_, i) => ({ ...SHAPES[3]!, kid: `k${i}` }));
    const set = keySet(keys, 0, Infinity);
    expect(pick(set, "k999", "ES256")).toBe(keys[999]);
    expect(pick(set, "k1000", "ES256")).toBeUndefined();
    expect(pick(set, undefined, "ES256")).toBeUndefined();
    expect(pick(keySet([...keys, { ...SHAPES[6]! }], 0, Infinity), undefined, "EdDSA")).toEqual(SHAPES[6]);
  });
});
