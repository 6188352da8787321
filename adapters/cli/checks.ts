/**
 * The checklist `edge-jwt verify` prints: which check a reason code belongs to, and a one-line fix for
 * each code. The verdict itself always comes from the core; this only explains it.
 * @module
 */
import type { ReasonCode } from "../../src/index.js";
import type { Decoded } from "./decode.js";
import { describeTime } from "./duration.js";
import { looksLikeToken } from "./safe.js";

/**
 * The rows of the checklist, in the order the core performs them: syntax and header, the issuer (picked
 * by the unverified `iss`, never a foreign one), the key, the signature, then the verified claims.
 */
export const CHECKS = ["format", "alg", "iss", "kid", "signature", "typ", "claims", "exp", "nbf", "aud"] as const;
/** One row name of `CHECKS`. */
export type CheckName = (typeof CHECKS)[number];

/** One printed row. */
export interface CheckRow {
  check: CheckName;
  result: "passed" | "failed" | "skipped";
  /** What the token says (decoded, for display), or why the check was skipped. */
  detail: string;
  code?: ReasonCode;
  fix?: string;
}

/** Reason code → the check it belongs to (every code: a new one fails to compile until it has a row). */
const ROW_OF: Record<ReasonCode, CheckName> = {
  token_missing: "format",
  token_malformed: "format",
  token_too_large: "format",
  token_ambiguous: "format",
  header_malformed: "format",
  header_forbidden: "format",
  crit_unsupported: "format",
  alg_not_allowed: "alg",
  typ_invalid: "typ",
  issuer_unknown: "iss",
  kid_unknown: "kid",
  key_invalid: "kid",
  keys_unavailable: "kid",
  signature_invalid: "signature",
  token_expired: "exp",
  lifetime_exceeded: "exp",
  token_not_yet_valid: "nbf",
  iat_in_future: "nbf",
  audience_mismatch: "aud",
  claim_invalid: "claims",
  claim_missing: "claims",
  claim_condition_failed: "claims",
  insufficient_scope: "claims",
  forbidden_claims: "claims",
  token_revoked: "claims",
  revocation_unavailable: "claims",
  token_inactive: "signature",
  introspection_unavailable: "signature",
  rate_limited: "claims",
  dpop_invalid: "claims",
  dpop_required: "claims",
  certificate_mismatch: "claims",
};

/** Reason code → one line telling the user what to do (every code: a new one fails to compile without one). */
const FIXES: Record<ReasonCode, string> = {
  token_missing: "pass the token as the argument, or send it as 'Authorization: Bearer <token>'",
  token_ambiguous: "send one token in one place: the Authorization header, the query parameter or the cookie",
  insufficient_scope: "mint the token with the scopes the route needs (--scope), or change the route's scopes",
  forbidden_claims: "give the token the roles, permissions or claims the route needs, or change the route's rule",
  token_malformed: "pass the whole token: three base64url parts joined by dots, without quotes or spaces",
  token_too_large: "keep the claims small: tokens over the size limit (8 KiB by default) are refused before parsing",
  header_malformed: "send the token as 'Authorization: Bearer <token>'",
  header_forbidden: "remove jwk, jku, x5u and x5c from the header: keys come only from the issuer's JWKS",
  crit_unsupported: "do not list header parameters in crit: no extension is supported",
  alg_not_allowed: "sign with an allowed algorithm (RS256, ES256, EdDSA, ...) or allow it with --algorithms",
  typ_invalid: "send an access token (typ at+jwt), not an ID token, or change what --typ requires",
  issuer_unknown: "pass --issuer exactly equal to the token's iss (a trailing slash matters)",
  kid_unknown: "sign with a key the issuer publishes in its JWKS (compare the kid), or publish the key",
  key_invalid: "fix the JWKS key: its kty, crv, alg and use must fit the token's alg, RSA at least 2048 bits",
  keys_unavailable: "check that <issuer>/.well-known/openid-configuration and its jwks_uri answer, or pass --jwks-uri",
  signature_invalid: "the token was altered or signed with another key: mint it again with the issuer's key",
  token_expired: "mint a new token (edge-jwt token --exp 1h), and check this machine's clock",
  lifetime_exceeded: "mint a shorter-lived token (exp - iat within the issuer's maxLifetime)",
  token_not_yet_valid: "wait until nbf, or mint without --nbf; check both clocks",
  iat_in_future: "the issuer's clock is ahead: fix it, or mint the token again",
  audience_mismatch: "mint the token for this audience (--aud), or pass the token's aud to --audience",
  claim_invalid: "give claims their standard types: exp, nbf, iat whole numbers; aud a string or a list of strings",
  claim_missing: "add the missing claim (exp is always required)",
  claim_condition_failed: "the token does not meet the issuer's claim conditions (see the preset or JWT_CONFIG claims)",
  token_revoked: "the token was revoked: get a new one (a sub entry refuses only tokens issued before its time)",
  revocation_unavailable:
    "check that the revocation list URL answers JSON within the timeout, or the store is reachable",
  token_inactive: "the issuer no longer vouches for the token (expired, revoked or never issued): get a new one",
  introspection_unavailable: "check that the issuer's introspection endpoint answers, and the client id and secret",
  rate_limited: "wait for Retry-After seconds; the limit counts requests per issuer and subject",
  dpop_invalid: "send a fresh proof (edge-jwt dpop) for this method and URL, signed by the key in the token's cnf.jkt",
  dpop_required: "send the token as 'Authorization: DPoP <token>' with a DPoP proof header",
  certificate_mismatch: "connect with the client certificate the token is bound to (cnf x5t#S256)",
};

/** What `verify` was asked to require, for the skipped rows. */
export interface Asked {
  audience?: string[];
  typ?: string[];
}

/**
 * Builds the checklist: rows before the failing one passed, the failing one failed with its code and
 * fix, later ones were not reached. `code` undefined means the core accepted the token.
 */
export function checklist(code: ReasonCode | undefined, decoded: Decoded | undefined, asked: Asked): CheckRow[] {
  const failedRow = code === undefined ? undefined : ROW_OF[code];
  const failedAt = failedRow === undefined ? CHECKS.length : CHECKS.indexOf(failedRow);
  return CHECKS.map((check, i): CheckRow => {
    const detail = describe(check, decoded, asked);
    if (i === failedAt) return { check, result: "failed", detail, code: code!, fix: FIXES[code!] };
    if (check === "aud" && !asked.audience)
      return {
        check,
        result: "skipped",
        detail: `not checked: no --audience given (token aud: ${show(decoded?.payload.aud)})`,
      };
    if (check === "typ" && !asked.typ)
      return {
        check,
        result: "skipped",
        detail: `not required: no --typ given (token typ: ${show(decoded?.header.typ)})`,
      };
    if (i > failedAt) return { check, result: "skipped", detail: "not reached: an earlier check failed" };
    return { check, result: "passed", detail };
  });
}

function describe(check: CheckName, decoded: Decoded | undefined, asked: Asked): string {
  if (!decoded) return "";
  const { header, payload } = decoded;
  const now = Math.floor(Date.now() / 1000);
  switch (check) {
    case "format":
      return "compact JWS (header.payload.signature)";
    case "alg":
      return show(header.alg);
    case "typ":
      return `${show(header.typ)}${asked.typ ? ` (required: ${asked.typ.map(given).join(" or ")})` : ""}`;
    case "iss":
      return show(payload.iss);
    case "kid":
      return show(header.kid);
    case "signature":
      return `${decoded.signatureLength} base64url characters`;
    case "exp":
      return "exp" in payload ? describeTime(payload.exp, now) : "absent";
    case "nbf":
      return "nbf" in payload ? describeTime(payload.nbf, now) : "absent";
    case "aud":
      return `${show(payload.aud)}${asked.audience ? ` (accepted: ${asked.audience.map(given).join(", ")})` : ""}`;
    case "claims":
      return "exp present, claim types, required claims and conditions";
  }
}

/** An option value to show in a row, unless it looks like a token (passed in the wrong place). */
function given(value: string): string {
  return looksLikeToken(value) ? "(a token-like value, not shown)" : value;
}

function show(value: unknown): string {
  return value === undefined ? "absent" : typeof value === "string" ? value : JSON.stringify(value);
}
