/**
 * Claim checks after the signature: time claims are finite integers with leeway, `exp` is required,
 * `aud` and `iss` match exactly, `typ` and lifetime when configured, and the issuer's conditions.
 * @module
 */
import type { IssuerConfig } from "../config/schema.js";
import type { FlatContext, IdentityHeaders } from "../decision.js";
import { fail } from "../errors.js";
import { conditionHolds } from "./claim-path.js";
import { issuerMatches } from "../providers/tenants.js";
import { isPlainObject } from "../encoding/strict-json.js";

/** A verified JWT payload. */
export type Claims = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  scope?: string;
  scp?: string | string[];
};

/**
 * What is worked out once per verified token and reused for as long as the verified-token cache answers
 * for it: the payload as the token carried it, the identity forwarded, the token's scopes. A plain object
 * that travels with the cache entry (no lookup table keyed by claims).
 */
export interface TokenMemo {
  /** The payload segment and its JSON text, as the issuer signed them (absent for introspected claims). */
  payload?: { segment: string; json: string };
  identity?: { headers: IdentityHeaders; context: FlatContext };
  scopes?: string[];
}

const isNumericDate = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Normalises a `typ`: case-insensitive, `application/` optional (RFC 7515 4.1.9). */
const normalizeTyp = (typ: string): string => typ.toLowerCase().replace(/^application\//, "");

/**
 * Judges the claims of a token whose signature is valid. `now` is in seconds.
 * Throws an `AuthError` with the reason.
 */
export function checkClaims(payload: unknown, typ: string | undefined, issuer: IssuerConfig, now: number): Claims {
  if (!isPlainObject(payload)) throw fail("token_malformed");
  const claims = payload as Claims;
  const tol = issuer.clockTolerance;
  if (issuer.typ && (typ === undefined || !issuer.typ.some((t) => normalizeTyp(t) === normalizeTyp(typ))))
    throw fail("typ_invalid");
  const iss = issuerMatches(issuer, claims);
  if (iss !== "ok") throw iss === "tenant" ? fail("claim_condition_failed", "tid") : fail("issuer_unknown");
  if (!("exp" in claims)) throw fail("claim_missing", "exp");
  if (!isNumericDate(claims.exp)) throw fail("claim_invalid", "exp");
  for (const name of ["nbf", "iat"] as const) {
    if (name in claims && !isNumericDate(claims[name])) throw fail("claim_invalid", name);
  }
  if (now >= claims.exp + tol) throw fail("token_expired");
  if (claims.nbf !== undefined && claims.nbf > now + tol) throw fail("token_not_yet_valid");
  if (claims.iat !== undefined && claims.iat > now + tol) throw fail("iat_in_future");
  if (issuer.maxLifetime !== undefined) {
    if (claims.iat === undefined) throw fail("claim_missing", "iat");
    if (claims.exp - claims.iat > issuer.maxLifetime) throw fail("lifetime_exceeded");
  }
  if (issuer.audience !== null) checkAudience(claims[issuer.audienceClaim ?? "aud"], issuer.audience);
  if ("sub" in claims && typeof claims.sub !== "string") throw fail("claim_invalid", "sub");
  if ("scope" in claims && typeof claims.scope !== "string") throw fail("claim_invalid", "scope");
  if (
    "scp" in claims &&
    !(typeof claims.scp === "string" || (Array.isArray(claims.scp) && claims.scp.every((s) => typeof s === "string")))
  )
    throw fail("claim_invalid", "scp");
  for (const name of issuer.requiredClaims) if (claims[name] === undefined) throw fail("claim_missing", name);
  const clock = { now, tolerance: tol };
  for (const c of issuer.claimConditions)
    if (!conditionHolds(claims, c, {}, clock)) throw fail("claim_condition_failed", c.claim);
  const anyOf = issuer.claimAnyOf;
  if (anyOf && !anyOf.some((c) => conditionHolds(claims, c, {}, clock)))
    throw fail("claim_condition_failed", anyOf.map((c) => c.claim).join(" "));
  return claims;
}

function checkAudience(aud: unknown, accepted: string[]): void {
  const list = typeof aud === "string" ? [aud] : aud;
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === "string"))
    throw fail("audience_mismatch");
  if (!list.some((a) => accepted.includes(a))) throw fail("audience_mismatch");
}
