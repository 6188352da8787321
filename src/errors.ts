/**
 * Reason codes, their HTTP mapping, the one error type the core throws for a refused token, and the
 * one it throws for an invalid configuration.
 * @module
 */
import type { RfcError } from "./decision.js";

interface Reason {
  status: 400 | 401 | 403 | 429 | 503;
  error: RfcError;
  /** Safe text for `error_description`; never contains token material. */
  description: string;
}

const r = (status: Reason["status"], error: RfcError, description: string): Reason => ({ status, error, description });

/**
 * Every reason code the core can answer with. Codes are stable; descriptions may improve.
 *
 * @example
 * ```ts
 * REASONS.token_expired.status; // 401
 * ```
 */
export const REASONS = {
  token_missing: r(401, "invalid_request", "No bearer token was sent"),
  token_malformed: r(401, "invalid_token", "The token is not a well-formed compact JWS"),
  token_too_large: r(401, "invalid_token", "The token is larger than allowed"),
  token_ambiguous: r(400, "invalid_request", "More than one token was sent"),
  header_malformed: r(400, "invalid_request", "The Authorization header is malformed"),
  header_forbidden: r(401, "invalid_token", "The token header carries a key or key URL, which is never trusted"),
  alg_not_allowed: r(401, "invalid_token", "The token's algorithm is not allowed"),
  typ_invalid: r(401, "invalid_token", "The token type is not accepted"),
  crit_unsupported: r(401, "invalid_token", "The token uses a critical extension that is not supported"),
  kid_unknown: r(401, "invalid_token", "The token's key is not known"),
  key_invalid: r(401, "invalid_token", "The key does not fit the token's algorithm"),
  signature_invalid: r(401, "invalid_token", "The token signature is invalid"),
  token_expired: r(401, "invalid_token", "The token has expired"),
  token_not_yet_valid: r(401, "invalid_token", "The token is not valid yet"),
  iat_in_future: r(401, "invalid_token", "The token was issued in the future"),
  lifetime_exceeded: r(401, "invalid_token", "The token lives longer than allowed"),
  claim_invalid: r(401, "invalid_token", "A token claim has an invalid value"),
  claim_missing: r(401, "invalid_token", "A required token claim is missing"),
  issuer_unknown: r(401, "invalid_token", "The token issuer is not trusted"),
  audience_mismatch: r(401, "invalid_token", "The token is not meant for this audience"),
  claim_condition_failed: r(401, "invalid_token", "The token does not meet the issuer's claim requirements"),
  insufficient_scope: r(403, "insufficient_scope", "The token lacks the scope this route needs"),
  forbidden_claims: r(403, "insufficient_scope", "The token lacks the roles, permissions or claims this route needs"),
  keys_unavailable: r(503, "temporarily_unavailable", "The signing keys cannot be fetched right now"),
  token_revoked: r(401, "invalid_token", "The token has been revoked"),
  revocation_unavailable: r(503, "temporarily_unavailable", "Revocations cannot be checked right now"),
  token_inactive: r(401, "invalid_token", "The issuer says the token is not active"),
  introspection_unavailable: r(503, "temporarily_unavailable", "The token cannot be introspected right now"),
  rate_limited: r(429, "rate_limited", "Too many requests for this subject; retry later"),
  dpop_invalid: r(401, "invalid_dpop_proof", "The DPoP proof is missing or invalid"),
  dpop_required: r(401, "invalid_token", "The token must be sent with the DPoP scheme and a proof"),
  certificate_mismatch: r(401, "invalid_token", "The token is bound to another client certificate"),
} as const satisfies Record<string, Reason>;

export type ReasonCode = keyof typeof REASONS;

/**
 * A refused token. `code` is stable; `status` and `error` follow from it.
 * The message is the safe description and never contains the token.
 */
export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly status: Reason["status"];
  readonly error: RfcError;
  readonly description: string;
  /** For logs only: the `kid` or claim concerned, never token material beyond those. */
  readonly detail?: string;

  constructor(
    readonly code: ReasonCode,
    detail?: string,
  ) {
    const reason = REASONS[code];
    super(reason.description);
    this.status = reason.status;
    this.error = reason.error;
    this.description = reason.description;
    if (detail !== undefined) this.detail = detail;
  }
}

/** Shorthand: `throw fail("token_expired")`. */
export const fail = (code: ReasonCode, detail?: string): AuthError => new AuthError(code, detail);

/**
 * An invalid configuration. `variable` names the environment variable or `JWT_CONFIG` field at fault;
 * the message says what is wrong and never quotes a secret.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
