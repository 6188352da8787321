/**
 * Which fetches of not-yet-known AWS ALB kids may start. ALB publishes one key per kid, so every made-up
 * kid could cost a fetch; this budget bounds that while a real new kid still gets through:
 * - a kid the endpoint said it does not know is not fetched again for the cooldown;
 * - each window of `ALB_KID_WINDOW` seconds has `ALB_FREE_KID_FETCHES` fetches, first come first served;
 * - and one more, for the kid asked for most often (at least twice) among the kids that found no fetch
 *   left in the window before, taken by that kid's first request in this window.
 * So a flood of made-up kids, however large, costs at most 3 fetches per 10 s. Made-up kids asked for
 * once each never win the ranked fetch: a real kid asked for twice in a window, its two requests no further
 * apart than 255 other new kids, is fetched on its first request in the next window, at most 20 s after
 * its first request. To delay it longer, a flood must ask for one fresh made-up kid more often than clients
 * ask for the real one, in every window, and each such kid then costs the flood its cooldown.
 * @module
 */
import { ALB_FREE_KID_FETCHES, ALB_KID_CANDIDATES, ALB_KID_WINDOW, ALB_MISSING_KIDS } from "../limits.js";

/** `fetch`: start one; `missing`: the endpoint said it has no such kid; `wait`: no fetch left in this window. */
export type KidVerdict = "fetch" | "missing" | "wait";

/**
 * The fetch budget of one ALB region's kids.
 *
 * @example
 * ```ts
 * const budget = new KidBudget(() => Date.now(), 30_000);
 * if (budget.admit(kid) === "fetch") { ...fetch...; if (notFound) budget.notFound(kid); }
 * ```
 */
export class KidBudget {
  private window = Number.NaN;
  private free = 0;
  private leader: string | undefined;
  /** Kids that found no fetch left in this window, asked for once (insertion order: the oldest first). */
  private readonly once = new Set<string>();
  /** Those asked for more than once, with how often (insertion order: the first to be asked twice first). */
  private readonly again = new Map<string, number>();
  /** Kids the endpoint does not know, until when (ms); insertion order is expiry order. */
  private readonly missing = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly cooldownMs: number,
  ) {}

  /** Whether a fetch for `kid` (not known, none in flight) may start now. */
  admit(kid: string): KidVerdict {
    const t = this.now();
    this.roll(t);
    if (this.isMissing(kid, t)) return "missing";
    if (kid === this.leader) {
      this.leader = undefined;
      return "fetch";
    }
    if (this.free > 0) {
      this.free--;
      return "fetch";
    }
    this.ask(kid);
    return "wait";
  }

  /** Records that the endpoint does not know `kid`. */
  notFound(kid: string): void {
    this.missing.delete(kid);
    this.missing.set(kid, this.now() + this.cooldownMs);
    if (this.missing.size > ALB_MISSING_KIDS) this.missing.delete(this.missing.keys().next().value!);
  }

  /** Whether the endpoint said, within the cooldown, that it does not know `kid`. */
  isMissing(kid: string, t = this.now()): boolean {
    const until = this.missing.get(kid);
    if (until === undefined) return false;
    if (t < until) return true;
    this.missing.delete(kid);
    return false;
  }

  /** A new window: fresh free fetches, and the ranked fetch for the last window's most-asked kid. */
  private roll(t: number): void {
    const window = Math.floor(t / (ALB_KID_WINDOW * 1000));
    if (window === this.window) return;
    this.window = window;
    this.free = ALB_FREE_KID_FETCHES;
    let best = 1;
    this.leader = undefined;
    // Strictly more: among equals the kid asked for twice first wins.
    for (const [kid, count] of this.again) if (count > best) [best, this.leader] = [count, kid];
    this.once.clear();
    this.again.clear();
  }

  /**
   * Counts a request. When full, forgets the oldest kid asked for once (made-up kids of a flood), in O(1);
   * only when every kid was asked for again, the least asked of them.
   */
  private ask(kid: string): void {
    const count = this.again.get(kid);
    if (count !== undefined) {
      this.again.set(kid, count + 1);
      return;
    }
    if (this.once.delete(kid)) {
      this.again.set(kid, 2);
      return;
    }
    if (this.once.size + this.again.size >= ALB_KID_CANDIDATES) {
      const oldest = this.once.values().next();
      if (!oldest.done) this.once.delete(oldest.value);
      else {
        let victim = "";
        let least = Infinity;
        for (const [k, c] of this.again) if (c < least) [least, victim] = [c, k];
        this.again.delete(victim);
      }
    }
    this.once.add(kid);
  }
}
