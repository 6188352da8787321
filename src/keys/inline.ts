/**
 * Keys pinned in the configuration (`"jwks": {"keys": [...]}` on an issuer): checked once by the same
 * key checks as fetched keys, never fetched, never stale. The same interface as the remote caches.
 * @module
 */
import type { JWK } from "jose";
import { fail } from "../errors.js";
import type { WaitUntil } from "../deps.js";
import { keySet, pick, sameKey, type KeySet } from "./select.js";

/** What the verifier asks of an issuer's keys, wherever they come from (JWKS, inline, ALB per kid). */
export interface KeySource {
  /**
   * The key for `kid` (or the only key for `alg`); throws `kid_unknown` or `keys_unavailable`. Keys past
   * their freshness still answer at once (within the stale-while-revalidate window) while one refresh
   * runs in the background: that refresh is handed to `background` when given.
   */
  getKey(kid: string | undefined, alg: string, background?: WaitUntil): JWK | Promise<JWK>;
  /** Whether a fresh verification would pick this very key now (verified-token cache hits). */
  stillPicks(kid: string | undefined, alg: string, key: JWK, background?: WaitUntil): boolean | Promise<boolean>;
  warmUp(): Promise<void>;
  /** Network fetches made, and loads that went to the network. */
  fetches: number;
  attempts: number;
}

/**
 * An issuer's inline keys (already checked by `checkJwk` when the configuration was read).
 *
 * @example
 * ```ts
 * const keys = new InlineKeys([{ kty: "OKP", crv: "Ed25519", x: "...", kid: "k1" }]);
 * await keys.getKey("k1", "EdDSA");
 * ```
 */
export class InlineKeys implements KeySource {
  private readonly keys: KeySet;
  readonly fetches = 0;
  readonly attempts = 0;

  constructor(list: JWK[]) {
    this.keys = keySet(list, 0, Infinity);
  }

  getKey(kid: string | undefined, alg: string): JWK {
    const key = pick(this.keys, kid, alg);
    if (!key) throw fail("kid_unknown", kid?.slice(0, 64));
    return key;
  }

  stillPicks(kid: string | undefined, alg: string, key: JWK): boolean {
    const current = pick(this.keys, kid, alg);
    return current !== undefined && sameKey(current, key);
  }

  async warmUp(): Promise<void> {}
}
