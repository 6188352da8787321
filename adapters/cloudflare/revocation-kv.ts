/**
 * Revocations in a Workers KV namespace bound as `JWT_REVOCATION_KV`: key `jti:<iss>|<jti>` (any value)
 * revokes one token, key `sub:<iss>|<sub>` (value: epoch seconds) revokes a subject's tokens issued
 * before that time. Writes take effect within KV's propagation time (up to about a minute).
 */
import { keyValueRevocationStore, type RevocationStore } from "../../src/index.js";

/** The part of a KV namespace the revocation store reads. */
export interface RevocationKv {
  get(key: string, type: "text"): Promise<string | null>;
}

/** KV refuses keys over 512 bytes: such a key cannot have been written, so it is simply absent. */
const fitsKv = (key: string): boolean => new TextEncoder().encode(key).byteLength <= 512;

/**
 * A `RevocationStore` on a KV namespace.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { revocationStore: kvRevocationStore(env.JWT_REVOCATION_KV) });
 * // revoke: npx wrangler kv key put --binding JWT_REVOCATION_KV "jti:https://idp.example/|a1" "1"
 * ```
 */
export function kvRevocationStore(kv: RevocationKv): RevocationStore {
  return keyValueRevocationStore(async (key) => (fitsKv(key) ? kv.get(key, "text") : null));
}
