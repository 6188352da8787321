/**
 * An introspection answer (RFC 7662 2.2), read strictly: a JSON object whose `active` is a boolean, or
 * it is garbage (the endpoint is then treated as unavailable, never as vouching for the token). An active
 * answer becomes claims and goes through the same checks as a JWT's payload.
 * @module
 */
import type { IssuerConfig } from "../config/schema.js";
import { checkClaims, type Claims } from "../jwt/claims.js";
import { fail } from "../errors.js";
import { isPlainObject } from "../encoding/strict-json.js";

/** `token_type` values that name an access token (compared case-insensitively). */
const ACCESS_TOKEN_TYPES = ["bearer", "dpop", "access_token", "urn:ietf:params:oauth:token-type:access_token"];

/**
 * The answer's verdict and members; throws an `Error` (safe to log) when it is not a valid answer.
 *
 * @example
 * ```ts
 * readAnswer({ active: false }); // { active: false }
 * readAnswer({ active: "yes" }); // throws
 * ```
 */
export function readAnswer(body: unknown): { active: boolean; claims?: Claims } {
  if (!isPlainObject(body)) throw new Error("introspection answer is not a JSON object");
  const { active, ...rest } = body as Record<string, unknown>;
  if (typeof active !== "boolean") throw new Error("introspection answer has no boolean active");
  return active ? { active, claims: rest as Claims } : { active };
}

/**
 * Judges an active answer for `issuer` at `now` (seconds): an answer without `iss` is the issuer's,
 * `token_type` (when given) must name an access token, then the JWT claim checks apply (`exp` required,
 * `nbf`, `aud`, scopes, the issuer's conditions); a JWT `typ` requirement does not apply.
 *
 * @example
 * ```ts
 * const claims = checkAnswer({ scope: "read", exp: 1900000000, aud: "api" }, issuer, 1800000000);
 * ```
 */
export function checkAnswer(answer: Claims, issuer: IssuerConfig, now: number): Claims {
  const claims: Claims = answer.iss === undefined ? { ...answer, iss: issuer.issuer } : answer;
  const type = claims.token_type;
  if (type !== undefined && (typeof type !== "string" || !ACCESS_TOKEN_TYPES.includes(type.toLowerCase())))
    throw fail("typ_invalid");
  const { typ: _typ, ...untyped } = issuer;
  return checkClaims(claims, undefined, untyped, now);
}
