/**
 * What `authorize(request)` resolves to: allowed (with the identity to forward) or refused (with the
 * status, RFC 6750 error, reason code and `WWW-Authenticate`). Types only.
 * @module
 */
import type { Claims } from "./jwt/claims.js";
import type { ReasonCode } from "./errors.js";

/** Identity forwarded to the origin: `x-auth-sub`, `x-auth-iss`, `x-auth-claims` and mappings. */
export type IdentityHeaders = Record<string, string>;

/** Flat context for API Gateway: strings, numbers and booleans only. */
export type FlatContext = Record<string, string | number | boolean>;

export interface Allowed {
  ok: true;
  /** Verified payload; `null` for an anonymous request on a public or optional route, or a preflight. */
  claims: Claims | null;
  subject?: string;
  issuer?: string;
  /** Headers to set on the forwarded request (`x-auth-sub`, `x-auth-iss`, `x-auth-claims`, mappings). */
  headers: IdentityHeaders;
  /** The same identity, flat, for API Gateway `context`. */
  context: FlatContext;
  /** Why it passed: `token`, `public`, `anonymous` (optional route), `preflight`, `report_only`. */
  reason: "token" | "public" | "anonymous" | "preflight" | "report_only";
  /**
   * The path bindings that passed (`org_id equals :org`), when a rule compared claims with the path's
   * parameters: the answer then holds for this path only, not for the token on other paths.
   */
  bindings?: string[];
}

export type RfcError =
  | "invalid_request"
  | "invalid_token"
  | "insufficient_scope"
  | "temporarily_unavailable"
  | "rate_limited"
  | "invalid_dpop_proof";

export interface Refused {
  ok: false;
  status: 400 | 401 | 403 | 429 | 503;
  error: RfcError;
  /** Stable reason code (the README lists them). */
  code: ReasonCode;
  /** Safe, token-free explanation. */
  description: string;
  /** The `WWW-Authenticate` value, absent on 429 and 503. */
  wwwAuthenticate?: string;
  /** Seconds, on 429 and 503. */
  retryAfter?: number;
  /** On 403: what was needed, space-separated. */
  requiredScope?: string;
  /** Claims, when the token was valid (403, 429). */
  claims?: Claims;
  /** A rule that compares claims with the path's parameters refused it: the answer holds for this path only. */
  pathBound?: true;
}

export type Decision = Allowed | Refused;

/** What the pipeline adds to a refusal: the scopes needed, a detail for the log, the scheme the token came with. */
export interface RefusalDetail {
  needed?: string | undefined;
  detail?: string | undefined;
  scheme?: "bearer" | "dpop" | undefined;
}
