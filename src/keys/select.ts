/**
 * Which key of a key set verifies a token: by `kid` (the one that fits the token among keys sharing
 * it), or, without a `kid`, the only key of the right type; never a guess between several. And whether
 * two key objects are the same key, for the verified-token cache.
 * @module
 */
import type { JWK } from "jose";
import { keyFitsAlg } from "./checks.js";
import { algorithm } from "../jwt/algorithms.js";

/**
 * One issuer's usable keys, indexed by `kid` and by key type (so a JWKS of 1,000 keys costs a token one
 * lookup, with or without a `kid`), with when they were fetched and until when they are fresh.
 */
export interface KeySet {
  byKid: Map<string, JWK[]>;
  byKty: Map<string, JWK[]>;
  all: JWK[];
  raw: JWK[];
  fetchedAt: number;
  freshUntil: number;
}

/** Indexes checked keys (and computes their fingerprints) once, when a set is loaded. */
export function keySet(list: JWK[], fetchedAt: number, freshUntil: number): KeySet {
  const byKid = new Map<string, JWK[]>();
  const byKty = new Map<string, JWK[]>();
  const add = (index: Map<string, JWK[]>, name: string, jwk: JWK) => {
    const bucket = index.get(name);
    if (bucket) bucket.push(jwk);
    else index.set(name, [jwk]);
  };
  for (const jwk of list) {
    remember(jwk);
    if (jwk.kid !== undefined) add(byKid, jwk.kid, jwk);
    if (jwk.kty !== undefined) add(byKty, jwk.kty, jwk);
  }
  return { byKid, byKty, all: list, raw: list, fetchedAt, freshUntil };
}

/**
 * Per key object, computed once when its set is built: the members that decide whether and how it
 * verifies a token (material, type, curve, `alg`, `use`, `key_ops`). Two key objects with the same
 * fingerprint verify exactly the same tokens, so a refresh that republishes a key keeps the token cache warm.
 */
const FINGERPRINTS = new WeakMap<JWK, string>();

/** Computes a loaded key's fingerprint once. */
export function remember(jwk: JWK): void {
  const members = [jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y, jwk.k, jwk.alg, jwk.use, jwk.key_ops];
  FINGERPRINTS.set(jwk, JSON.stringify(members.map((m) => m ?? null)));
}

/** The same key object, or two objects loaded with the same fingerprint. */
export function sameKey(a: JWK, b: JWK): boolean {
  if (a === b) return true;
  const fa = FINGERPRINTS.get(a);
  return fa !== undefined && fa === FINGERPRINTS.get(b);
}

/** The key a token names; without `kid`, the only key of the right type (never a guess between several). */
export function pick(keys: KeySet, kid: string | undefined, alg: string): JWK | undefined {
  if (kid !== undefined) {
    const candidates = keys.byKid.get(kid);
    if (!candidates) return undefined;
    // Among keys sharing a kid, the one that fits the token (type, alg, use, key_ops); two that fit are
    // ambiguous, and we refuse rather than guess. None fitting: the first, so the refusal says key_invalid.
    const fitting = candidates.filter((k) => keyFitsAlg(k, alg).ok);
    return fitting.length === 1 ? fitting[0] : fitting.length === 0 ? candidates[0] : undefined;
  }
  const kty = algorithm(alg)?.kty;
  const fitting = kty === undefined ? undefined : keys.byKty.get(kty);
  return fitting?.length === 1 ? fitting[0] : undefined;
}
