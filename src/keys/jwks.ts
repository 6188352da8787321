/**
 * The remote JWKS cache of one issuer:
 * - one in-flight fetch shared by every concurrent caller;
 * - freshness from `Cache-Control: max-age`, clamped to a floor and a ceiling;
 * - refresh-ahead: past freshness (within `staleWhileRevalidate`) known keys answer at once while one
 *   background refresh runs, handed to the caller's `waitUntil`;
 * - an unknown `kid` refetches at once, then not again for a cooldown;
 * - stale-if-error: known keys keep working for a bounded time while the issuer fails;
 * - after a failure with nothing cached, callers fail fast (503) for `RETRY_AFTER` seconds;
 * - keys are checked when loaded; bad ones are skipped and logged;
 * - a `KeyStore` lets a new process or isolate start warm.
 * @module
 */
import type { JWK, JSONWebKeySet } from "jose";
import type { IssuerConfig, JwksCacheConfig } from "../config/schema.js";
import type { JwksFetchEvent, KeyStore, Logger, StoredJwks, WaitUntil } from "../deps.js";
import { fail } from "../errors.js";
import { RETRY_AFTER } from "../limits.js";
import { checkJwk } from "./checks.js";
import { keySet, pick, sameKey, type KeySet } from "./select.js";
import { withTimeout } from "../http/bounds.js";
import { fetchJson } from "../http/fetch.js";
import { discoverJwksUri } from "./discovery.js";
import { reported } from "./report.js";
import { discoveryOf } from "../providers/tenants.js";

export interface KeyDeps {
  fetch: typeof fetch;
  now: () => number;
  logger: Logger;
  keyStore?: KeyStore;
  /** Told of every discovery and JWKS fetch (already made safe: it never throws). */
  onJwksFetch?: (event: JwksFetchEvent) => void;
}

export class IssuerKeys {
  private keys?: KeySet;
  private jwksUri?: string;
  private inflight?: Promise<KeySet | undefined>;
  /**
   * When the last unknown-kid refetch started. The cooldown counts from it only, not from routine
   * refreshes, so a key rotated in just after a refresh is picked up at once.
   */
  private lastFetch = -Infinity;
  private failedAt = -Infinity;
  private storeRead = false;
  /** Fetches made, for diagnostics and tests. */
  fetches = 0;
  /** Loads that went to the network (discovery or JWKS), successful or not. */
  attempts = 0;
  /** How long past freshness keys answer without waiting (ms): `staleWhileRevalidate`, within `staleFor`. */
  private readonly swrMs: number;

  constructor(
    private readonly issuer: IssuerConfig,
    private readonly cfg: JwksCacheConfig,
    private readonly deps: KeyDeps,
  ) {
    if (issuer.jwksUri) this.jwksUri = issuer.jwksUri;
    this.swrMs = revalidateWindowMs(cfg);
  }

  private get storeId(): string {
    return this.issuer.jwksUri ?? this.issuer.issuer;
  }

  /**
   * The key for `kid` (or the only key for `alg` when the token has no `kid`). Throws `kid_unknown`,
   * or `keys_unavailable` when no keys can be had at all. Keys past freshness but within the
   * stale-while-revalidate window answer at once and start one background refresh (given to `background`).
   */
  getKey(kid: string | undefined, alg: string, background?: WaitUntil): JWK | Promise<JWK> {
    // The hot path: fresh (or revalidating) keys and a known kid answer without a promise.
    const keys = this.keys;
    if (keys) {
      const now = this.deps.now();
      if (now < keys.freshUntil + this.swrMs) {
        const key = pick(keys, kid, alg);
        if (key) {
          if (now >= keys.freshUntil) this.revalidate(now, background);
          return key;
        }
      }
    }
    return this.getKeySlow(kid, alg, background);
  }

  private async getKeySlow(kid: string | undefined, alg: string, background?: WaitUntil): Promise<JWK> {
    const now = this.deps.now();
    let keys = this.keys;
    // Too stale to answer without the issuer (or nothing yet): wait for the refresh.
    if (!keys || now >= keys.freshUntil + this.swrMs) keys = (await this.refresh(false)) ?? this.keys;
    if (!keys || now >= keys.freshUntil + this.cfg.staleFor * 1000) throw fail("keys_unavailable");
    // Revalidating (or a stale set from the key store): refresh behind the answer; an unknown kid waits for it below.
    if (now >= keys.freshUntil && now < keys.freshUntil + this.swrMs) this.revalidate(now, background);
    let key = pick(keys, kid, alg);
    if (!key && this.inflight) {
      // A refetch is already under way (perhaps for this very kid): wait for it rather than refuse.
      keys = (await this.refresh(false)) ?? keys;
      key = pick(keys, kid, alg);
    } else if (!key && now >= this.lastFetch + this.cfg.cooldown * 1000) {
      this.lastFetch = now;
      keys = (await this.refresh(true)) ?? keys;
      key = pick(keys, kid, alg);
    }
    if (!key) throw fail("kid_unknown", kid?.slice(0, 64));
    return key;
  }

  /**
   * For a token-cache hit: whether a fresh verification would pick, now, the very key that verified the
   * token (same `kid`/`alg` selection, current key set, refreshed first if stale, exactly as `getKey`).
   * False when the key is gone, when its `kid` now names other material, or when no keys can be had:
   * the caller then verifies afresh, which refuses with the right code. A hit on fresh keys costs one
   * selection and an identity check; a fingerprint is compared only after the set was rebuilt.
   */
  stillPicks(kid: string | undefined, alg: string, key: JWK, background?: WaitUntil): boolean | Promise<boolean> {
    // The hot path: fresh keys and the kid's only key is the very object (it fitted `alg` when it verified).
    const keys = this.keys;
    if (kid !== undefined && keys) {
      const now = this.deps.now();
      const candidates = now < keys.freshUntil + this.swrMs ? keys.byKid.get(kid) : undefined;
      if (candidates?.length === 1 && candidates[0] === key) {
        if (now >= keys.freshUntil) this.revalidate(now, background);
        return true;
      }
    }
    const current = this.getKey(kid, alg, background);
    if (!(current instanceof Promise)) return sameKey(current, key);
    return current.then(
      (k) => sameKey(k, key),
      () => false,
    );
  }

  /** A KeyStore call that throws, rejects or never answers costs at most the fetch timeout. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return withTimeout(Promise.resolve().then(call), this.cfg.timeoutMs, () => {
      throw new Error("key store timed out");
    });
  }

  /**
   * Starts one background refresh of keys past freshness, unless one is under way or the last attempt
   * failed within `RETRY_AFTER` (the stale keys serve meanwhile). It never rejects: a failure is logged
   * and reported like any fetch, and the keys in hand keep serving.
   */
  private revalidate(now: number, background: WaitUntil | undefined): void {
    if (this.inflight || now < this.failedAt + RETRY_AFTER * 1000) return;
    const done = this.refresh(false).then(
      () => undefined,
      () => undefined,
    );
    background?.(done);
  }

  /** Loads keys now (warm-up); resolves whether or not it worked. */
  async warmUp(): Promise<void> {
    if (!this.keys) await this.refresh(false);
  }

  /**
   * Shared by all concurrent callers; resolves to the new key set, or undefined when it failed.
   * Each caller also waits at most for the fetch timeouts: on Workers, a load started by a request
   * that has since ended may never settle, and must not hang every later request of the isolate.
   */
  private refresh(force: boolean): Promise<KeySet | undefined> {
    let shared = this.inflight;
    if (!shared) {
      shared = this.inflight = this.load(force).finally(() => {
        if (this.inflight === shared) this.inflight = undefined;
      });
    }
    return withTimeout(shared, this.cfg.timeoutMs * 2 + 100, () => {
      if (this.inflight === shared) this.inflight = undefined;
      return undefined;
    });
  }

  private async load(force: boolean): Promise<KeySet | undefined> {
    const now = this.deps.now();
    if (!force) {
      const stored = await this.fromStore(now);
      if (stored) return stored;
      // The last attempt failed moments ago: do not hammer a failing issuer (stale keys, if any, serve meanwhile).
      if (now < this.failedAt + RETRY_AFTER * 1000) return undefined;
    }
    try {
      this.attempts++;
      const { timeoutMs, maxBytes } = this.cfg;
      const iss = this.issuer.issuer;
      const [base, expected] = discoveryOf(this.issuer);
      this.jwksUri ??= await reported(this.deps, iss, "discovery", (f) =>
        discoverJwksUri(f, base, timeoutMs, maxBytes, expected),
      );
      this.fetches++;
      const jwksUri = this.jwksUri;
      const { body, maxAge } = await reported(this.deps, iss, "jwks", (f) =>
        fetchJson(f, jwksUri, timeoutMs, maxBytes),
      );
      const fetchedAt = this.deps.now();
      const ttl =
        maxAge === undefined ? this.cfg.defaultTtl : Math.min(Math.max(maxAge, this.cfg.minTtl), this.cfg.maxTtl);
      const keys = this.build(body, fetchedAt, fetchedAt + ttl * 1000);
      this.keys = keys;
      this.failedAt = -Infinity;
      const stored: StoredJwks = {
        jwks: { keys: keys.raw },
        fetchedAt,
        freshUntil: keys.freshUntil,
        jwksUri: this.jwksUri,
      };
      const store = this.deps.keyStore;
      if (store)
        await this.bounded(() => store.put(this.storeId, stored)).catch((e: unknown) =>
          this.deps.logger.warn("keystore_put_failed", { iss: this.issuer.issuer, error: String(e) }),
        );
      return keys;
    } catch (e) {
      this.failedAt = this.deps.now();
      this.deps.logger.error("jwks_fetch_failed", {
        iss: this.issuer.issuer,
        error: (e as Error).message?.slice(0, 200),
        stale: this.keys !== undefined,
      });
      return undefined;
    }
  }

  /** A fresher key set from the shared store, if there is one (read at cold start and when ours went stale). */
  private async fromStore(now: number): Promise<KeySet | undefined> {
    const store = this.deps.keyStore;
    if (!store || (this.storeRead && !this.keys)) return undefined;
    this.storeRead = true;
    try {
      const stored = await this.bounded(() => store.get(this.storeId));
      if (!stored || (this.keys && stored.fetchedAt <= this.keys.fetchedAt)) return undefined;
      if (stored.jwksUri) this.jwksUri ??= stored.jwksUri;
      const keys = this.build(stored.jwks, stored.fetchedAt, stored.freshUntil);
      // A stored set past the revalidate window serves only (within staleFor) if the fetch that follows
      // fails; within it, it answers at once and the caller refreshes it in the background.
      if (now >= stored.freshUntil + this.swrMs) {
        this.keys ??= keys;
        return undefined;
      }
      this.keys = keys;
      return keys;
    } catch (e) {
      this.deps.logger.warn("keystore_get_failed", { iss: this.issuer.issuer, error: String(e) });
      return undefined;
    }
  }

  private build(body: unknown, fetchedAt: number, freshUntil: number): KeySet {
    const list = (body as JSONWebKeySet | null)?.keys;
    if (!Array.isArray(list)) throw new Error("JWKS has no keys array");
    const all: JWK[] = [];
    for (const jwk of list as JWK[]) {
      const check = checkJwk(jwk);
      if (!check.ok) {
        this.deps.logger.warn("jwks_key_skipped", {
          iss: this.issuer.issuer,
          kid: typeof jwk?.kid === "string" ? jwk.kid.slice(0, 64) : undefined,
          reason: check.reason,
        });
        continue;
      }
      all.push(jwk);
    }
    return keySet(all, fetchedAt, freshUntil);
  }
}

/**
 * How long past freshness keys answer without waiting for a refresh, in ms: `staleWhileRevalidate`,
 * never beyond `staleFor`.
 */
export const revalidateWindowMs = (cfg: JwksCacheConfig): number =>
  Math.min(cfg.staleWhileRevalidate, cfg.staleFor) * 1000;
