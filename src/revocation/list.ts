/**
 * The revocation list at a URL, cached the way revocations need (not the way keys do):
 * - one in-flight fetch shared by every concurrent caller, each waiting a bounded time;
 * - a strict TTL: once it has passed, no decision uses the list without a refetch being tried first
 *   (no refresh-ahead, no serving stale while revalidating);
 * - when the refetch fails, the last good list keeps serving, and the URL is not tried again for
 *   `RETRY_AFTER` seconds;
 * - the body is size-capped, time-limited and parsed strictly; garbage counts as a failed fetch.
 * @module
 */
import type { Logger } from "../deps.js";
import { FETCH_TIMEOUT_MS, MAX_REVOCATION_BODY_BYTES, RETRY_AFTER } from "../limits.js";
import { withTimeout } from "../http/bounds.js";
import { fetchJson } from "../http/fetch.js";
import { parseRevocationList, type RevocationSet } from "./parse.js";

export interface ListDeps {
  fetch: typeof fetch;
  now: () => number;
  logger: Logger;
}

interface Loaded {
  set: RevocationSet;
  /** Epoch ms after which the list must be refetched before it is used again. */
  freshUntil: number;
}

/**
 * One revocation list. `current()` answers the list to decide with, or `undefined` when no list was
 * ever had (the caller applies its fail mode).
 *
 * @example
 * ```ts
 * const list = new RevocationList("https://idp.example/revoked.json", 60, { fetch, now: Date.now, logger });
 * const set = await list.current();
 * ```
 */
export class RevocationList {
  private loaded?: Loaded;
  private inflight?: Promise<Loaded | undefined>;
  private failedAt = -Infinity;
  /** Fetches made, for diagnostics and tests. */
  fetches = 0;

  constructor(
    private readonly url: string,
    /** Seconds. */
    private readonly ttl: number,
    private readonly deps: ListDeps,
    private readonly timeoutMs = FETCH_TIMEOUT_MS,
    private readonly maxBytes = MAX_REVOCATION_BODY_BYTES,
  ) {}

  /** The list to decide with: synchronous while fresh, otherwise after one (shared) refetch attempt. */
  current(): RevocationSet | Promise<RevocationSet | undefined> {
    const loaded = this.loaded;
    if (loaded && this.deps.now() < loaded.freshUntil) return loaded.set;
    return this.refresh().then((fresh) => (fresh ?? this.loaded)?.set);
  }

  private refresh(): Promise<Loaded | undefined> {
    // A failure moments ago: do not hammer the URL; the last good list (if any) serves meanwhile.
    if (this.deps.now() < this.failedAt + RETRY_AFTER * 1000) return Promise.resolve(undefined);
    let shared = this.inflight;
    if (!shared) {
      shared = this.inflight = this.load().finally(() => {
        if (this.inflight === shared) this.inflight = undefined;
      });
    }
    // On Workers a fetch started by a request that has ended may never settle: wait a bounded time.
    return withTimeout(shared, this.timeoutMs + 100, () => {
      if (this.inflight === shared) this.inflight = undefined;
      return undefined;
    });
  }

  private async load(): Promise<Loaded | undefined> {
    this.fetches++;
    try {
      const { body } = await fetchJson(this.deps.fetch, this.url, this.timeoutMs, this.maxBytes);
      const set = parseRevocationList(body);
      const loaded = { set, freshUntil: this.deps.now() + this.ttl * 1000 };
      this.loaded = loaded;
      this.failedAt = -Infinity;
      return loaded;
    } catch (e) {
      this.failedAt = this.deps.now();
      this.deps.logger.error("revocation_list_failed", {
        error: (e as Error).message?.slice(0, 200),
        stale: this.loaded !== undefined,
      });
      return undefined;
    }
  }
}
