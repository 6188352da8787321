/**
 * Every limit and default of the core, named, in one place.
 * @module
 */

/** Largest token accepted (bytes), checked before any parsing. Configurable with `maxTokenBytes`. */
export const MAX_TOKEN_BYTES = 8192;
/** Default leeway for `exp`, `nbf`, `iat` in seconds. */
export const DEFAULT_CLOCK_TOLERANCE = 30;
/** The contract caps the leeway at 60 seconds. */
export const MAX_CLOCK_TOLERANCE = 60;
/** Shortest HMAC secret accepted, in bytes (RFC 7518 3.2: at least the hash size of HS256). */
export const MIN_SECRET_BYTES = 32;
/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

/** JWKS freshness when the issuer sends no `Cache-Control: max-age` (seconds). */
export const JWKS_DEFAULT_TTL = 600;
/** Floor and ceiling applied to the issuer's `max-age` (seconds). */
export const JWKS_MIN_TTL = 60;
export const JWKS_MAX_TTL = 86_400;
/** After an unknown-`kid` refetch, no other refetch for this long (seconds). */
export const JWKS_COOLDOWN = 30;
/** Known keys keep working this long past freshness while the issuer fails (seconds). */
export const JWKS_STALE_FOR = 86_400;
/**
 * Known keys past freshness keep answering at once this long while one background refresh runs
 * (seconds); later, a request waits for the refresh. Bounds how long a key the issuer removed can
 * outlive the TTL when nothing asked for it meanwhile.
 */
export const JWKS_STALE_WHILE_REVALIDATE = 300;
/** Timeout of every discovery and JWKS fetch (ms). */
export const FETCH_TIMEOUT_MS = 3000;
/** Largest discovery or JWKS body accepted (bytes). */
export const MAX_KEYS_BODY_BYTES = 256 * 1024;
/**
 * After a failed fetch with nothing cached, how long refusals say to wait, and how long we wait before
 * trying again (seconds).
 */
export const RETRY_AFTER = 5;

/**
 * AWS ALB keys are fetched one per kid, so kids not yet known share a fetch budget: per window of
 * `ALB_KID_WINDOW` seconds, `ALB_FREE_KID_FETCHES` first come first served, plus one for the kid asked for
 * most often in the window before (tracked among `ALB_KID_CANDIDATES` kids). A kid the endpoint does not
 * know is not fetched again for the JWKS `cooldown`; `ALB_MISSING_KIDS` such kids are remembered.
 */
export const ALB_KID_WINDOW = 10;
export const ALB_FREE_KID_FETCHES = 2;
export const ALB_KID_CANDIDATES = 256;
export const ALB_MISSING_KIDS = 512;

/** Verified-token cache entries (LRU). */
export const TOKEN_CACHE_ENTRIES = 10_000;
/** Default realm in `WWW-Authenticate`. */
export const DEFAULT_REALM = "api";

/** Verified-token cache: upper bound on the bytes of token strings held (UTF-16 length × 2). */
export const TOKEN_CACHE_MAX_BYTES = 16 * 1024 * 1024;
/** Token headers that passed the checks, kept by segment (an issuer signs nearly every token alike). */
export const HEADER_CACHE_ENTRIES = 64;
/** Deepest nesting accepted in a token header or payload. */
export const MAX_JSON_DEPTH = 32;
/** A path is percent-decoded at most this many times (double-decoding origins) when read fully. */
export const PATH_DECODE_ROUNDS = 3;
/** More override methods, or path readings, than these in one request are refused (400). */
export const MAX_OVERRIDE_METHODS = 8;
export const MAX_PATH_READINGS = 12;
/** Node verifier: KeyObjects kept by key material. */
export const NODE_KEY_OBJECTS = 256;
/** An `Authorization` header this much longer than `maxTokenBytes` is refused before any regex runs. */
export const AUTHORIZATION_SLACK_BYTES = 64;

/** Revocation list: default strict TTL (seconds), largest body (bytes), most entries, longest `iss`/`jti`/`sub`. */
export const REVOCATION_TTL = 60;
export const MAX_REVOCATION_BODY_BYTES = 1024 * 1024;
export const MAX_REVOCATION_ENTRIES = 50_000;
export const MAX_REVOCATION_ID_CHARS = 1024;
/** A 429 says to wait this long when the limiter gives no time (seconds): a Workers limiter's longest period. */
export const RATE_LIMIT_RETRY_AFTER = 60;

/** Introspection (RFC 7662): default cache time of an active answer, of an inactive one (seconds). */
export const INTROSPECTION_CACHE_TTL = 60;
export const INTROSPECTION_INACTIVE_TTL = 10;
/** Introspection: answers cached (LRU), largest answer body accepted (bytes), timeout of one call (ms). */
export const INTROSPECTION_CACHE_ENTRIES = 10_000;
export const MAX_INTROSPECTION_BODY_BYTES = 64 * 1024;
export const INTROSPECTION_TIMEOUT_MS = 3000;

/** Log lines carry at most this many characters of a `kid`, `alg`, route or detail. */
export const LOG_ID_CHARS = 64;
export const LOG_ALG_CHARS = 16;
export const LOG_ROUTE_CHARS = 200;
export const LOG_DETAIL_CHARS = 100;

/** Accepted ranges `[min, max]` of configurable values (seconds unless named otherwise). */
export const RANGES = {
  maxTokenBytes: [512, 65_536],
  clockTolerance: [0, MAX_CLOCK_TOLERANCE],
  maxLifetime: [1, 31_536_000],
  jwksDefaultTtl: [1, 604_800],
  jwksMinTtl: [0, 604_800],
  jwksMaxTtl: [1, 604_800],
  jwksCooldown: [1, 3600],
  jwksStaleFor: [0, 604_800],
  fetchTimeoutMs: [100, 30_000],
  keysBodyBytes: [1024, 10_485_760],
  tokenCacheEntries: [0, 1_000_000],
  revocationTtl: [1, 86_400],
  introspectionCacheTtl: [0, 3600],
} as const satisfies Record<string, readonly [number, number]>;

/** Signed identity assertion: lifetime bounds and default (seconds). */
export const ASSERTION_TTL = 60;
export const ASSERTION_MIN_TTL = 10;
export const ASSERTION_MAX_TTL = 300;
/** Origin verifier: `jti`s remembered against replay (per process). */
export const ASSERTION_REPLAY_ENTRIES = 100_000;

/** DPoP: a proof's `iat` may be this old (seconds, plus the clock tolerance), and never in the future. */
export const DPOP_PROOF_WINDOW = 60;
/** DPoP: largest proof header accepted (bytes), checked before any parsing. */
export const MAX_DPOP_PROOF_BYTES = 4096;
/** DPoP: longest `jti` accepted (characters). */
export const MAX_DPOP_JTI_CHARS = 256;
/** DPoP: proof identifiers remembered per process or isolate by the default replay store. */
export const DPOP_REPLAY_ENTRIES = 100_000;
