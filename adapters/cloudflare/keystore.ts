/**
 * Key stores that outlive a Worker isolate, so a new isolate starts with the JWKS the last one fetched:
 * one on the Cache API (`caches.default`, per data centre) and one on Workers KV (global). Entries are
 * keyed by the core's store id (the JWKS URL, or the issuer URL when keys are discovered). The core
 * decides freshness from `fetchedAt`/`freshUntil`; these stores only keep the entry long enough for the
 * core's stale-if-error window, and never throw (a store that fails is a store that misses).
 */
import type { KeyStore, StoredJwks } from "../../src/index.js";

/** The slice of a Workers KV namespace binding the store uses. */
export interface KvLike {
  get(key: string, type: "text"): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

/** Options shared by the stores. */
export interface StoreOptions {
  /** Seconds an entry is kept after `freshUntil` (the core's `cache.jwks.staleFor`). */
  retainSeconds: number;
  /** Epoch ms; injected by tests. */
  now?: () => number;
}

/** Synthetic origin of Cache API keys: never fetched, only used as a cache key. */
const CACHE_KEY_BASE = "https://jwks-cache.edge-jwt-authorizer.internal/";
/** KV key prefix. */
const KV_PREFIX = "jwks:";
/** Workers KV refuses an `expirationTtl` under 60 seconds. */
const KV_MIN_TTL = 60;
/** Workers KV keys are at most 512 bytes; longer ids are not stored (the store misses). */
const KV_MAX_KEY_BYTES = 512;

/**
 * A `KeyStore` on the Cache API. On `*.workers.dev` the Cache API stores nothing: use KV there.
 *
 * @example
 * ```ts
 * const keyStore = cacheApiKeyStore((caches as unknown as { default: Cache }).default, { retainSeconds: 86_400 });
 * ```
 */
export function cacheApiKeyStore(cache: Cache, options: StoreOptions): KeyStore {
  const now = options.now ?? Date.now;
  const key = (id: string) => new Request(CACHE_KEY_BASE + encodeURIComponent(id));
  return {
    async get(id) {
      try {
        const hit = await cache.match(key(id));
        return hit ? parse(await hit.text()) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(id, value) {
      const headers = {
        "content-type": "application/json",
        "cache-control": `max-age=${ttl(value, now(), options.retainSeconds)}`,
      };
      try {
        await cache.put(key(id), new Response(JSON.stringify(value), { headers }));
      } catch {
        // A store that fails is a store that misses.
      }
    },
  };
}

/**
 * A `KeyStore` on a Workers KV namespace (bind it as `JWKS_KV`). KV is eventually consistent across
 * locations, which suits a JWKS: the core still refetches on an unknown `kid`.
 *
 * @example
 * ```ts
 * const keyStore = kvKeyStore(env.JWKS_KV, { retainSeconds: 86_400 });
 * ```
 */
export function kvKeyStore(kv: KvLike, options: StoreOptions): KeyStore {
  const now = options.now ?? Date.now;
  return {
    async get(id) {
      if (!fitsKv(id)) return undefined;
      try {
        const text = await kv.get(KV_PREFIX + id, "text");
        return text === null ? undefined : parse(text);
      } catch {
        return undefined;
      }
    },
    async put(id, value) {
      if (!fitsKv(id)) return;
      try {
        await kv.put(KV_PREFIX + id, JSON.stringify(value), {
          expirationTtl: Math.max(KV_MIN_TTL, ttl(value, now(), options.retainSeconds)),
        });
      } catch {
        // A store that fails is a store that misses.
      }
    },
  };
}

/**
 * Both tiers: reads the Cache API first (local and fast) and KV when the local entry is missing or no
 * longer fresh, refilling the Cache API from a fresher KV entry; writes both.
 *
 * @example
 * ```ts
 * const keyStore = tieredKeyStore(cacheApiKeyStore(caches.default, opts), kvKeyStore(env.JWKS_KV, opts));
 * ```
 */
export function tieredKeyStore(near: KeyStore, far: KeyStore, now: () => number = Date.now): KeyStore {
  return {
    async get(id) {
      const local = await near.get(id);
      if (local && local.freshUntil > now()) return local;
      const remote = await far.get(id);
      if (!remote || (local && remote.fetchedAt <= local.fetchedAt)) return local;
      await near.put(id, remote);
      return remote;
    },
    async put(id, value) {
      await Promise.all([near.put(id, value), far.put(id, value)]);
    },
  };
}

const fitsKv = (id: string) => new TextEncoder().encode(KV_PREFIX + id).length <= KV_MAX_KEY_BYTES;

/** Seconds to keep an entry: until fresh, plus the stale window. At least 1. */
function ttl(value: StoredJwks, now: number, retainSeconds: number): number {
  return Math.max(1, Math.ceil((value.freshUntil - now) / 1000) + retainSeconds);
}

/** A stored entry, or `undefined` when the text is not one (corrupt, or written by something else). */
function parse(text: string): StoredJwks | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredJwks>;
    const keys = (value.jwks as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys) || !Number.isFinite(value.fetchedAt) || !Number.isFinite(value.freshUntil))
      return undefined;
    return value as StoredJwks;
  } catch {
    return undefined;
  }
}
