/**
 * Introspection answers by token hash: a bounded LRU whose entries end at their own time (an active
 * answer at its `exp` or the cache TTL, whichever comes first; an inactive one after a few seconds).
 * Tokens themselves are never kept: the key is the SHA-256 of the token (Web Crypto).
 * @module
 */
import type { Claims } from "../jwt/claims.js";
import { sha256Base64url } from "../encoding/base64url.js";

/** One introspection result: inactive, or active with the answer's claims. */
export interface Answer {
  active: boolean;
  /** The answer's members (without `active`); present when active. */
  claims?: Claims;
  /** Epoch ms after which the entry is no longer used. */
  until: number;
}

/**
 * The cache key of a token: base64url SHA-256.
 *
 * @example
 * ```ts
 * const key = await tokenHash("2YotnFZFEjr1zCsicMWpAA"); // 43 characters
 * ```
 */
export const tokenHash = (token: string): Promise<string> => sha256Base64url(token);

/**
 * A bounded map of answers, least recently used evicted first.
 *
 * @example
 * ```ts
 * const cache = new AnswerCache(1000);
 * cache.set(key, { active: false, until: Date.now() + 10_000 });
 * cache.get(key, Date.now()); // the entry, until it ends
 * ```
 */
export class AnswerCache {
  private readonly entries = new Map<string, Answer>();

  constructor(private readonly max: number) {}

  get(key: string, nowMs: number): Answer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (nowMs >= entry.until) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Answer): void {
    if (this.max <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
