/**
 * The verified-token cache: exact token string → verified claims, least recently used first out,
 * bounded by entries and by bytes, and never answering once the token's `exp` (with leeway) has passed.
 * Only tokens that passed every check are put in. Each entry remembers the key that verified it; the
 * verifier honours a hit only while a fresh key selection would pick that same key.
 * @module
 */
import type { JWK } from "jose";
import type { Claims, TokenMemo } from "./claims.js";
import { TOKEN_CACHE_MAX_BYTES } from "../limits.js";

export interface Entry {
  claims: Claims;
  /** The exact token: a lookup by its tail counts only when the whole token is equal. */
  token?: string;
  /** Epoch seconds after which the entry is dead (exp + leeway). */
  until: number;
  issuer: string;
  /** The token's `kid` and `alg`, so a hit can select a key exactly as a fresh verification would. */
  kid?: string;
  alg: string;
  /**
   * The JWKS key that verified the token (absent for an HMAC issuer, whose secret is fixed). A hit
   * counts only while the current key set still selects this key (same object or same fingerprint).
   */
  key?: JWK;
  touched?: number;
  /** What the authorizer worked out for this token once (identity, scopes), reused on every hit. */
  memo?: TokenMemo;
}

/**
 * The map key of a token: its last characters (the end of the signature, distinct for distinct
 * verified tokens). Hashing a whole token of a kilobyte on every request costs more than the rest of a
 * hit; the entry's `token` is compared in full, so two tokens that end alike are never confused (the
 * later one just takes the slot).
 */
const KEY_CHARS = 43;
const keyOf = (token: string): string => (token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token);

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Insertions and recency refreshes so far; an entry's `touched` says when it was last moved. */
  private tick = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = TOKEN_CACHE_MAX_BYTES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached entry for a token still valid at `now` (epoch seconds). */
  get(token: string, now: number): Entry | undefined {
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (!entry || entry.token !== token) return undefined;
    if (now >= entry.until) {
      this.delete(key);
      return undefined;
    }
    // Refresh recency (Map order is insertion order), but only once the entry has drifted halfway to
    // eviction: a hot token then costs a lookup, not a delete and an insert, on nearly every hit.
    if (this.tick - entry.touched! > this.maxEntries / 2) {
      this.entries.delete(key);
      entry.touched = ++this.tick;
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(token: string, entry: Entry): void {
    if (this.maxEntries === 0) return;
    const key = keyOf(token);
    this.delete(key);
    entry.token = token;
    entry.touched = ++this.tick;
    this.entries.set(key, entry);
    this.bytes += token.length * 2;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry && this.entries.delete(key)) this.bytes -= entry.token!.length * 2;
  }
}
