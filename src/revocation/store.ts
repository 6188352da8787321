/**
 * Revocation stores: where revocations live besides the list (Workers KV, DynamoDB, Redis...). A store
 * answers per token; `keyValueRevocationStore` builds one on any key-value lookup with the key scheme
 * `jti:<iss>|<jti>` (any value: revoked) and `sub:<iss>|<sub>` (value: the `before` epoch seconds).
 * @module
 */
import type { Claims } from "../jwt/claims.js";
import { issuedBefore } from "./parse.js";

/**
 * Revocations kept outside the authorizer. `isRevoked` is called with every verified token (cached
 * ones too); a rejection, or no answer within the fetch timeout, counts as the store being unreachable
 * and the configured fail mode decides.
 */
export interface RevocationStore {
  isRevoked(claims: Claims): Promise<boolean>;
}

/**
 * The key of a token's `jti` and of its `sub`, as `keyValueRevocationStore` reads them (and as
 * `edge-jwt revoke` prints them).
 *
 * @example
 * ```ts
 * revocationKeys({ iss: "https://idp.example/", jti: "a1", sub: "alice" });
 * // { jti: "jti:https://idp.example/|a1", sub: "sub:https://idp.example/|alice" }
 * ```
 */
export function revocationKeys(claims: Claims): { jti?: string; sub?: string } {
  const iss = claims.iss;
  if (typeof iss !== "string") return {};
  return {
    ...(typeof claims.jti === "string" ? { jti: `jti:${iss}|${claims.jti}` } : {}),
    ...(typeof claims.sub === "string" ? { sub: `sub:${iss}|${claims.sub}` } : {}),
  };
}

/**
 * A `RevocationStore` on a key-value lookup (`get` resolves to the value, or `null`/`undefined` when the
 * key is absent). A `sub:` value that is not whole epoch seconds is an error (the fail mode decides),
 * never a pass.
 *
 * @example
 * ```ts
 * const store = keyValueRevocationStore((key) => env.JWT_REVOCATION_KV.get(key));
 * createAuthorizer(config, { revocationStore: store });
 * ```
 */
export function keyValueRevocationStore(get: (key: string) => Promise<string | null | undefined>): RevocationStore {
  return {
    async isRevoked(claims) {
      const keys = revocationKeys(claims);
      // Either key found revokes, even when the other lookup failed; only then does a failure count.
      const [byJti, bySub] = await Promise.allSettled([
        keys.jti === undefined ? undefined : get(keys.jti),
        keys.sub === undefined ? undefined : get(keys.sub),
      ]);
      if (byJti.status === "fulfilled" && byJti.value !== null && byJti.value !== undefined) return true;
      const before = bySub.status === "fulfilled" ? bySub.value : undefined;
      const valid = typeof before === "string" && /^\d{1,15}$/.test(before);
      if (valid && issuedBefore(claims, Number(before))) return true;
      if (byJti.status === "rejected") throw byJti.reason;
      if (bySub.status === "rejected") throw bySub.reason;
      if (before !== null && before !== undefined && !valid)
        throw new Error("a sub: entry holds something other than epoch seconds");
      return false;
    },
  };
}
