/**
 * Per-subject limits: the core asks an injected limiter about every verified token, keyed
 * `<iss>|<sub>` (tokens without `sub` share their issuer's key `<iss>|`). A limiter that throws or
 * does not answer in time lets the request through and is logged: a limiter slows abuse, it is not
 * what keeps a request out.
 * @module
 */
import type { Logger } from "../deps.js";
import type { Claims } from "../jwt/claims.js";
import { withTimeout } from "../http/bounds.js";
import { FETCH_TIMEOUT_MS, RATE_LIMIT_RETRY_AFTER } from "../limits.js";

/** A limiter's answer: `ok: false` means over the limit; `retryAfter` in seconds, if it knows. */
export interface RateLimitResult {
  ok: boolean;
  retryAfter?: number;
}

/** Counts one request for `key` and says whether it is within the limit (Workers: the Rate Limiting binding). */
export type RateLimiter = (key: string) => Promise<RateLimitResult> | RateLimitResult;

/**
 * The limiter key of a verified token.
 *
 * @example
 * ```ts
 * rateLimitKey({ iss: "https://idp.example/", sub: "alice" }); // "https://idp.example/|alice"
 * ```
 */
export const rateLimitKey = (claims: Claims): string =>
  `${claims.iss ?? ""}|${typeof claims.sub === "string" ? claims.sub : ""}`;

/**
 * Asks the limiter; resolves to the seconds to wait when over the limit, else `undefined`.
 *
 * @example
 * ```ts
 * const wait = await overLimit(deps.rateLimit, claims, logger);
 * if (wait !== undefined) refuse("rate_limited");
 * ```
 */
export async function overLimit(limiter: RateLimiter, claims: Claims, logger: Logger): Promise<number | undefined> {
  try {
    const answer = await withTimeout(
      Promise.resolve().then(() => limiter(rateLimitKey(claims))),
      FETCH_TIMEOUT_MS,
      () => {
        throw new Error("the rate limiter timed out");
      },
    );
    if (answer.ok) return undefined;
    const wait = answer.retryAfter;
    return typeof wait === "number" && Number.isInteger(wait) && wait > 0 && wait <= 3600
      ? wait
      : RATE_LIMIT_RETRY_AFTER;
  } catch (e) {
    logger.warn("rate_limiter_failed", { error: String((e as Error)?.message ?? e).slice(0, 200) });
    return undefined;
  }
}
