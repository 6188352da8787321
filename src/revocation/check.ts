/**
 * The revocation check of every verified token, fresh or from the verified-token cache: the list
 * (when a URL is configured), then the store (when one is injected). Listed anywhere: `token_revoked`.
 * When a source cannot answer and nothing says the token is revoked, the fail mode decides: `closed`
 * refuses with `revocation_unavailable` (503), `open` lets the token through and logs a warning.
 * @module
 */
import type { RevocationConfig } from "../config/schema.js";
import type { Claims } from "../jwt/claims.js";
import type { WaitUntil } from "../deps.js";
import type { Verified, Verifier, VerifyTrace } from "../jwt/verifier.js";
import { fail } from "../errors.js";
import { withTimeout } from "../http/bounds.js";
import { FETCH_TIMEOUT_MS } from "../limits.js";
import { RevocationList, type ListDeps } from "./list.js";
import { isListed, type RevocationSet } from "./parse.js";
import type { RevocationStore } from "./store.js";

/**
 * Checks verified tokens against the configured list and store.
 *
 * @example
 * ```ts
 * const revocation = new Revocation({ url, ttl: 60, failMode: "closed" }, undefined, deps);
 * await revocation.check(claims); // throws AuthError token_revoked or revocation_unavailable
 * ```
 */
export class Revocation {
  readonly list?: RevocationList;

  constructor(
    private readonly config: RevocationConfig | undefined,
    private readonly store: RevocationStore | undefined,
    private readonly deps: ListDeps,
  ) {
    if (config?.url) this.list = new RevocationList(config.url, config.ttl, deps);
  }

  /** Throws `token_revoked`, or `revocation_unavailable` in closed mode; synchronous while the list is fresh. */
  check(claims: Claims): void | Promise<void> {
    const set = this.list?.current();
    if (set instanceof Promise) return set.then((s) => this.afterList(claims, s));
    return this.afterList(claims, set);
  }

  private afterList(claims: Claims, set: RevocationSet | undefined): void | Promise<void> {
    if (set && isListed(set, claims)) throw fail("token_revoked");
    const listDown = this.list !== undefined && set === undefined;
    if (this.store) return this.askStore(this.store, claims, listDown);
    if (listDown) this.unavailable(claims);
  }

  private async askStore(store: RevocationStore, claims: Claims, listDown: boolean): Promise<void> {
    let revoked: boolean;
    try {
      const answer = Promise.resolve().then(() => store.isRevoked(claims));
      revoked = await withTimeout(answer, FETCH_TIMEOUT_MS, () => {
        throw new Error("the revocation store timed out");
      });
    } catch (e) {
      this.deps.logger.error("revocation_store_failed", { error: String((e as Error)?.message ?? e).slice(0, 200) });
      return this.unavailable(claims);
    }
    if (typeof revoked !== "boolean") {
      this.deps.logger.error("revocation_store_failed", { error: "the store answered something other than a boolean" });
      return this.unavailable(claims);
    }
    if (revoked) throw fail("token_revoked");
    if (listDown) this.unavailable(claims);
  }

  /** Nothing says the token is revoked, but a source could not answer: the fail mode decides. */
  private unavailable(claims: Claims): void {
    if (this.config?.failMode !== "open") throw fail("revocation_unavailable");
    this.deps.logger.warn("revocation_unchecked_allowed", { iss: typeof claims.iss === "string" ? claims.iss : "" });
  }
}

/**
 * `verifier.verify` followed by the revocation check, for every caller of the authorizer (`authorize`,
 * `verify`, `tokenClaims`); the verifier itself unchanged when revocation is off.
 *
 * @example
 * ```ts
 * const checked = revokingVerifier(verifier, revocation);
 * const { claims } = await checked.verify(token, trace);
 * ```
 */
export function revokingVerifier(verifier: Verifier, revocation: Revocation | undefined): Pick<Verifier, "verify"> {
  if (!revocation) return verifier;
  return {
    verify(token: string, trace?: VerifyTrace, waitUntil?: WaitUntil): Verified | Promise<Verified> {
      const unlessRevoked = (verified: Verified): Verified | Promise<Verified> => {
        const pending = revocation.check(verified.claims);
        return pending ? pending.then(() => verified) : verified;
      };
      const verified = verifier.verify(token, trace, waitUntil);
      return verified instanceof Promise ? verified.then(unlessRevoked) : unlessRevoked(verified);
    },
  };
}
