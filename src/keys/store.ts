/**
 * The `KeyStore` interface (in types.ts) and its in-memory default. Adapters supply stores that outlive
 * the process (the Worker: Cache API or KV).
 * @module
 */
import type { KeyStore, StoredJwks } from "../deps.js";

/**
 * A KeyStore in a Map: lives as long as the authorizer. Useful to share keys between authorizers in one
 * process, and as the reference implementation for tests.
 *
 * @example
 * ```ts
 * const store = memoryKeyStore();
 * const a = createAuthorizer(config, { keyStore: store });
 * ```
 */
export function memoryKeyStore(): KeyStore & { entries: Map<string, StoredJwks> } {
  const entries = new Map<string, StoredJwks>();
  return {
    entries,
    async get(id) {
      return entries.get(id);
    },
    async put(id, value) {
      entries.set(id, value);
    },
  };
}
