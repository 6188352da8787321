/**
 * The per-subject limiter on a Workers Rate Limiting binding named `JWT_RATE_LIMITER` (wrangler.toml
 * `[[ratelimits]]`, `simple = { limit, period }`). The binding says only yes or no, so a 429 says to
 * retry after the binding's period when it is given, else after 60 s (the longest period it allows).
 */
import type { RateLimiter } from "../../src/index.js";

/** The Rate Limiting binding, as the Workers runtime provides it. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * A `deps.rateLimit` on the binding.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { rateLimit: bindingRateLimiter(env.JWT_RATE_LIMITER, 60) });
 * ```
 */
export function bindingRateLimiter(binding: RateLimitBinding, periodSeconds?: number): RateLimiter {
  return async (key) => {
    const { success } = await binding.limit({ key });
    return success ? { ok: true } : { ok: false, ...(periodSeconds ? { retryAfter: periodSeconds } : {}) };
  };
}
