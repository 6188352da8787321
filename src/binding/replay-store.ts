/**
 * The store that remembers DPoP proof `jti`s while a proof could still be accepted, so a captured proof
 * cannot be sent again. The default lives in memory, bounded, per process or isolate; a host may inject
 * a shared one (the Worker's Durable Object).
 * @module
 */
import { DPOP_REPLAY_ENTRIES } from "../limits.js";

/**
 * Remembers proof identifiers. `seen(id, expiresAt)` records `id` until `expiresAt` (epoch ms) and
 * answers whether it was already recorded and unexpired. It must record and answer in one step (two
 * concurrent calls with the same `id` may not both answer `false`). A store that throws refuses the proof.
 *
 * @example
 * ```ts
 * const store: ReplayStore = { seen: (id, expiresAt) => redis.set(id, 1, { NX: true, PXAT: expiresAt }) === null };
 * ```
 */
export interface ReplayStore {
  seen(id: string, expiresAt: number): boolean | Promise<boolean>;
}

/**
 * The in-memory store: at most `limit` identifiers (default 100,000). When full, the oldest go first:
 * expired ones, then, if every one is live, the oldest live one (whose replay would then pass until it
 * expires). Insertion order is nearly expiry order (every proof lives as long as the window).
 *
 * @example
 * ```ts
 * const store = new MemoryReplayStore(() => Date.now());
 * store.seen("jkt|jti", Date.now() + 90_000); // false, then true
 * ```
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly limit = DPOP_REPLAY_ENTRIES,
  ) {}

  seen(id: string, expiresAt: number): boolean {
    const now = this.now();
    const until = this.ids.get(id);
    if (until !== undefined && until > now) return true;
    this.ids.delete(id);
    if (this.ids.size >= this.limit) this.prune(now);
    this.ids.set(id, expiresAt);
    return false;
  }

  /** Identifiers held now. */
  get size(): number {
    return this.ids.size;
  }

  private prune(now: number): void {
    for (const [id, until] of this.ids) {
      if (until <= now || this.ids.size >= this.limit) this.ids.delete(id);
      else break;
    }
  }
}
