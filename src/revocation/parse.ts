/**
 * The revocation list's format, read strictly: `{"revoked": [{"iss", "jti"} | {"iss", "sub", "before"}]}`
 * and nothing else. Anything that does not fit (an unknown member, a wrong type, too many entries, an
 * overlong id) rejects the whole list: a list that cannot be read is treated as unreachable, never as empty.
 * @module
 */
import type { Claims } from "../jwt/claims.js";
import { isPlainObject } from "../encoding/strict-json.js";
import { MAX_REVOCATION_ENTRIES, MAX_REVOCATION_ID_CHARS } from "../limits.js";

/** Revocations of one issuer: `jti`s, and `sub` → `before` (epoch seconds; the latest entry wins). */
export interface IssuerRevocations {
  jti: Set<string>;
  sub: Map<string, number>;
}

/** A parsed list, by issuer. */
export type RevocationSet = Map<string, IssuerRevocations>;

const id = (value: unknown, where: string): string => {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_REVOCATION_ID_CHARS)
    throw new Error(`${where} must be a string of 1 to ${MAX_REVOCATION_ID_CHARS} characters`);
  return value;
};

/**
 * Reads a fetched list. Throws an `Error` whose message is safe to log (it names the entry, never quotes it).
 *
 * @example
 * ```ts
 * const set = parseRevocationList({ revoked: [{ iss: "https://idp.example/", jti: "a1" }] });
 * isListed(set, { iss: "https://idp.example/", jti: "a1" }); // true
 * ```
 */
export function parseRevocationList(body: unknown): RevocationSet {
  if (!isPlainObject(body) || Object.keys(body).length !== 1 || !Array.isArray(body.revoked))
    throw new Error('the list must be an object with exactly one member, "revoked", an array');
  const entries: unknown[] = body.revoked;
  if (entries.length > MAX_REVOCATION_ENTRIES)
    throw new Error(`the list has more than ${MAX_REVOCATION_ENTRIES} entries`);
  const set: RevocationSet = new Map();
  entries.forEach((entry, i) => {
    const where = `revoked[${i}]`;
    if (!isPlainObject(entry)) throw new Error(`${where} must be an object`);
    const keys = Object.keys(entry).sort().join(",");
    const iss = id(entry.iss, `${where}.iss`);
    let forIssuer = set.get(iss);
    if (!forIssuer) set.set(iss, (forIssuer = { jti: new Set(), sub: new Map() }));
    if (keys === "iss,jti") {
      forIssuer.jti.add(id(entry.jti, `${where}.jti`));
    } else if (keys === "before,iss,sub") {
      const sub = id(entry.sub, `${where}.sub`);
      const before = entry.before;
      if (typeof before !== "number" || !Number.isSafeInteger(before) || before < 0)
        throw new Error(`${where}.before must be a whole number of epoch seconds`);
      forIssuer.sub.set(sub, Math.max(before, forIssuer.sub.get(sub) ?? 0));
    } else {
      throw new Error(`${where} must have exactly iss and jti, or exactly iss, sub and before`);
    }
  });
  return set;
}

/**
 * Whether a verified token is listed: its `iss` and `jti` match an entry, or its `iss` and `sub` match
 * an entry whose `before` is later than its `iat` (a token without `iat` counts as issued before).
 *
 * @example
 * ```ts
 * if (isListed(set, claims)) throw fail("token_revoked");
 * ```
 */
export function isListed(set: RevocationSet, claims: Claims): boolean {
  const forIssuer = typeof claims.iss === "string" ? set.get(claims.iss) : undefined;
  if (!forIssuer) return false;
  if (typeof claims.jti === "string" && forIssuer.jti.has(claims.jti)) return true;
  if (typeof claims.sub !== "string") return false;
  const before = forIssuer.sub.get(claims.sub);
  return before !== undefined && issuedBefore(claims, before);
}

/** Whether a token was issued before `before` (epoch seconds); no `iat` counts as before. */
export const issuedBefore = (claims: Claims, before: number): boolean =>
  typeof claims.iat !== "number" || claims.iat < before;
