/**
 * AWS ALB signing keys: one PEM public key per `kid`, at
 * `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`. The same rules as a JWKS cache, per kid:
 * one in-flight fetch per kid shared by every caller; freshness from `Cache-Control`, clamped; stale-if-error
 * within `staleFor`; refresh-ahead (a known kid past freshness answers at once, within
 * `staleWhileRevalidate`, while its key is refetched in the background). Only a UUID kid is ever fetched,
 * and kids not yet known share the fetch budget of `kid-budget.ts`, so a flood of made-up kids costs a
 * bounded number of fetches and still leaves a real new kid its fetch. PEM answers are size-capped and
 * parsed strictly; keys pass the same checks as JWKS keys.
 * @module
 */
import type { JWK } from "jose";
import type { JwksCacheConfig } from "../config/schema.js";
import { fail } from "../errors.js";
import { RETRY_AFTER } from "../limits.js";
import type { WaitUntil } from "../deps.js";
import { revalidateWindowMs, type KeyDeps } from "./jwks.js";
import type { KeySource } from "./inline.js";
import { checkJwk, publicJwk } from "./checks.js";
import { remember, sameKey } from "./select.js";
import { withTimeout } from "../http/bounds.js";
import { fetchText, MissingDocument } from "../http/fetch-text.js";
import { reported } from "./report.js";
import { KidBudget } from "./kid-budget.js";

/** An ALB `kid` is a UUID; anything else is refused before it could become part of a URL or cost a fetch. */
const KID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A P-256 SPKI in PEM is about 180 bytes; this leaves room for line endings and nothing else. */
const MAX_PEM_BYTES = 1024;
const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n((?:[A-Za-z0-9+/=]{1,76}\r?\n){1,8})-----END PUBLIC KEY-----\r?\n?$/;
/** Kids remembered at once (ALB keys are few; this bounds memory under a flood). */
const MAX_KIDS = 32;

interface Slot {
  key?: JWK;
  freshUntil: number;
  inflight?: Promise<void>;
}

/** Parses one PEM answer into a checked ES256 public JWK, or throws an `Error` safe to log. */
export async function albKeyFromPem(text: string, kid: string): Promise<JWK> {
  const m = PEM.exec(text);
  if (!m) throw new Error("answer is not one PEM public key");
  let jwk: JWK;
  try {
    // The PEM's base64 (the pattern allowed `=` anywhere; atob refuses it out of place, inside the try).
    const der = Uint8Array.from(atob(m[1]!.replace(/\r?\n/g, "")), (c) => c.charCodeAt(0));
    const p256 = { name: "ECDSA", namedCurve: "P-256" };
    const key = await crypto.subtle.importKey("spki", der, p256, true, ["verify"]);
    jwk = publicJwk((await crypto.subtle.exportKey("jwk", key)) as JWK);
  } catch {
    throw new Error("PEM is not a P-256 public key");
  }
  const key: JWK = { ...jwk, kid, alg: "ES256", use: "sig" };
  const check = checkJwk(key, "ES256");
  if (!check.ok) throw new Error(`key refused: ${check.reason}`);
  return key;
}

/**
 * The keys of one ALB region.
 *
 * @example
 * ```ts
 * const keys = new AlbKeys("eu-west-1", config.cache.jwks, deps);
 * const jwk = await keys.getKey(header.kid, "ES256");
 * ```
 */
export class AlbKeys implements KeySource {
  private readonly slots = new Map<string, Slot>();
  private readonly budget: KidBudget;
  /** When a fetch last failed for another reason than "no such kid" (an outage): fail fast for a while. */
  private failedAt = -Infinity;
  fetches = 0;
  attempts = 0;
  private readonly swrMs: number;

  constructor(
    private readonly region: string,
    private readonly cfg: JwksCacheConfig,
    private readonly deps: KeyDeps,
  ) {
    this.budget = new KidBudget(deps.now, cfg.cooldown * 1000);
    this.swrMs = revalidateWindowMs(cfg);
  }

  getKey(kid: string | undefined, alg: string, background?: WaitUntil): JWK | Promise<JWK> {
    if (kid === undefined || !KID.test(kid) || alg !== "ES256") throw fail("kid_unknown", kid?.slice(0, 64));
    const slot = this.slots.get(kid);
    if (slot?.key) {
      const now = this.deps.now();
      if (now < slot.freshUntil) return slot.key;
      if (now < slot.freshUntil + this.swrMs) {
        this.revalidate(kid, slot, now, background);
        return slot.key;
      }
    }
    return this.getKeySlow(kid);
  }

  /** One background refetch of a known kid past freshness (not within `RETRY_AFTER` of a failure). */
  private revalidate(kid: string, slot: Slot, now: number, background: WaitUntil | undefined): void {
    if (slot.inflight || now < this.failedAt + RETRY_AFTER * 1000) return;
    slot.inflight = this.load(kid, slot).finally(() => (slot.inflight = undefined));
    background?.(withTimeout(slot.inflight, this.cfg.timeoutMs + 100, () => undefined));
  }

  private async getKeySlow(kid: string): Promise<JWK> {
    let slot = this.slots.get(kid);
    if (!slot?.inflight) {
      // After an outage every kid waits RETRY_AFTER; a kid not yet known also needs the budget's leave.
      const outage = this.deps.now() < this.failedAt + RETRY_AFTER * 1000;
      const verdict = outage ? "wait" : slot?.key ? "fetch" : this.budget.admit(kid);
      if (verdict === "missing") throw fail("kid_unknown", kid);
      if (verdict === "fetch") {
        if (!slot) {
          if (this.slots.size >= MAX_KIDS) this.evict();
          slot = { freshUntil: -Infinity };
          this.slots.set(kid, slot);
        }
        const s = slot;
        s.inflight = this.load(kid, s).finally(() => (s.inflight = undefined));
      }
    }
    if (slot?.inflight) await withTimeout(slot.inflight, this.cfg.timeoutMs + 100, () => undefined);
    const key = slot?.key;
    if (key && this.deps.now() < slot!.freshUntil + this.cfg.staleFor * 1000) return key;
    // No such key (the endpoint said so) is a bad token; not fetched yet, or an outage, is a 503.
    throw fail(this.budget.isMissing(kid) ? "kid_unknown" : "keys_unavailable", kid);
  }

  private async load(kid: string, slot: Slot): Promise<void> {
    const url = `https://public-keys.auth.elb.${this.region}.amazonaws.com/${kid}`;
    const { timeoutMs } = this.cfg;
    this.attempts++;
    this.fetches++;
    try {
      const { text, maxAge } = await reported(this.deps, url, "jwks", (f) =>
        fetchText(f, url, timeoutMs, Math.min(MAX_PEM_BYTES, this.cfg.maxBytes)),
      );
      const key = await albKeyFromPem(text, kid);
      remember(key);
      const at = this.deps.now();
      const ttl =
        maxAge === undefined ? this.cfg.defaultTtl : Math.min(Math.max(maxAge, this.cfg.minTtl), this.cfg.maxTtl);
      slot.key = key;
      slot.freshUntil = at + ttl * 1000;
    } catch (e) {
      // A 404 for a kid never seen means no such key; for a kid whose key is held, an outage (key kept,
      // retried after RETRY_AFTER like any failure, so a refresh past freshness is not tried per request).
      if (e instanceof MissingDocument && !slot.key) this.budget.notFound(kid);
      else this.failedAt = this.deps.now();
      if (!slot.key) this.slots.delete(kid);
      this.deps.logger.error("jwks_fetch_failed", {
        iss: url,
        error: (e as Error).message?.slice(0, 200),
        stale: slot.key !== undefined,
      });
    }
  }

  /** Drops the oldest kid that has no key (made-up ones), else the oldest. */
  private evict(): void {
    const victim = [...this.slots].find(([, s]) => !s.key && !s.inflight)?.[0] ?? this.slots.keys().next().value;
    if (victim !== undefined) this.slots.delete(victim);
  }

  stillPicks(kid: string | undefined, alg: string, key: JWK, background?: WaitUntil): boolean | Promise<boolean> {
    let current: JWK | Promise<JWK>;
    try {
      current = this.getKey(kid, alg, background);
    } catch {
      return false;
    }
    if (!(current instanceof Promise)) return sameKey(current, key);
    return current.then(
      (k) => sameKey(k, key),
      () => false,
    );
  }

  async warmUp(): Promise<void> {}
}
