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
/** Timeout of every discovery and JWKS fetch (ms). */
export const FETCH_TIMEOUT_MS = 3000;
/** Largest discovery or JWKS body accepted (bytes). */
export const MAX_KEYS_BODY_BYTES = 256 * 1024;
/** After a failed fetch with nothing cached, how long refusals say to wait, and how long we wait before trying again (seconds). */
export const RETRY_AFTER = 5;

/** Verified-token cache entries (LRU). */
export const TOKEN_CACHE_ENTRIES = 10_000;
/** Default realm in `WWW-Authenticate`. */
export const DEFAULT_REALM = "api";
