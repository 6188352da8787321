/**
 * `verify(token)`: size → verified-token cache (a hit needs the key that verified it to be the one the
 * current key set would pick) → unverified `iss` picks a configured issuer (never a
 * fetch for an unknown one) → header checks → key (`kid`, `alg`) → signature → claims → cache.
 * Opaque tokens (and every token of an issuer introspecting `all`) are introspected instead.
 * @module
 */
import type { JWK } from "jose";
import type { AuthorizerConfig, IssuerConfig } from "../config/schema.js";
import type { Claims } from "./claims.js";
import type { Logger, SignatureVerifier, WaitUntil } from "../deps.js";
import { fail } from "../errors.js";
import { LOG_ID_CHARS } from "../limits.js";
import { checkAlg, decodeCheckedPayload, parseCompact, type JwsHeader } from "./compact.js";
import { verifyParsed } from "./signature.js";
import { checkClaims, type TokenMemo } from "./claims.js";
import { encodeBase64url } from "../encoding/base64url.js";
import type { KeyDeps } from "../keys/jwks.js";
import type { KeySource } from "../keys/inline.js";
import { EntryRouter, keySources } from "./routing.js";
import { TokenCache, type Entry } from "./token-cache.js";
import { webCryptoVerify } from "./webcrypto.js";
import { isPlainObject } from "../encoding/strict-json.js";
import { Introspector, isOpaque } from "../introspection/client.js";

export interface Verified {
  claims: Claims;
  issuer: IssuerConfig;
  /** Worked out once per token, kept with its cache entry (absent for introspected tokens). */
  memo?: TokenMemo;
}

/**
 * What a refusal log line and a decision event may carry: never token material beyond the `kid` and
 * the `iss`; whether the verified-token cache answered, and whether keys had to be fetched meanwhile.
 */
export interface VerifyTrace {
  kid?: string;
  iss?: string;
  tokenCache?: "hit" | "miss";
  jwksFetched?: boolean;
}

export class Verifier {
  private readonly issuers = new Map<
    string,
    { config: IssuerConfig; keys?: KeySource; secret?: JWK; introspector?: Introspector }
  >();
  private readonly router: EntryRouter;
  /** The one issuer that introspects opaque tokens, if any. */
  readonly opaque?: Introspector;
  private readonly cache: TokenCache;
  private readonly verifySignature: SignatureVerifier;

  constructor(
    private readonly config: AuthorizerConfig,
    private readonly deps: KeyDeps & { verifySignature?: SignatureVerifier; logger: Logger; waitUntil?: WaitUntil },
  ) {
    this.cache = new TokenCache(config.cache.tokens);
    this.verifySignature = deps.verifySignature ?? webCryptoVerify;
    const sources = keySources(config, deps);
    this.router = new EntryRouter(config.issuers);
    for (const issuer of config.issuers) {
      if (issuer.introspection) {
        this.opaque = new Introspector(issuer, issuer.introspection, deps, config.cache.jwks.maxBytes);
        if (this.opaque.all) {
          this.issuers.set(issuer.issuer, { config: issuer, introspector: this.opaque });
          continue;
        }
      }
      const secret: JWK | undefined = issuer.secret ? { kty: "oct", k: encodeBase64url(issuer.secret) } : undefined;
      this.issuers.set(issuer.issuer, {
        config: issuer,
        ...(secret ? { secret } : { keys: sources.get(issuer.issuer)! }),
      });
    }
  }

  async warmUp(): Promise<void> {
    await Promise.all([...new Set([...this.issuers.values()].map((i) => i.keys))].map((k) => k?.warmUp()));
  }

  /**
   * Verifies a token; `trace` receives the kid and iss for logging. A background key refresh this call
   * starts goes to `waitUntil` (default: the one in `deps`, if any). A token the verified-token cache
   * answers is answered synchronously (no promise, no microtask); anything else returns a promise.
   * Throws (or rejects with) an `AuthError`.
   */
  verify(token: string, trace: VerifyTrace = {}, waitUntil?: WaitUntil): Verified | Promise<Verified> {
    if (token.length > this.config.maxTokenBytes) throw fail("token_too_large");
    if (this.opaque && isOpaque(token)) return this.opaque.verify(token, trace);
    const now = Math.floor(this.deps.now() / 1000);
    const cached = this.cache.get(token, now);
    if (!cached) return this.verifyFresh(token, trace, waitUntil, now);
    // A hit is exactly as strong as a fresh verification: the current key set (refreshed if stale)
    // must still select the very key that verified the token. If not (rotated away, or its kid reused
    // for other material), verify afresh, which refuses with the code a new authorizer would give.
    const entry = this.issuers.get(cached.issuer)!;
    const { keys } = entry;
    const attempts = keys?.attempts;
    const background = waitUntil ?? this.deps.waitUntil;
    const same = keys && cached.key ? keys.stillPicks(cached.kid, cached.alg, cached.key, background) : !keys;
    if (same instanceof Promise) return same.then((s) => this.hit(s, cached, entry, trace, waitUntil, now, attempts));
    return this.hit(same, cached, entry, trace, waitUntil, now, attempts);
  }

  /** A cache hit once the key check has answered: the cached claims, or a fresh verification. */
  private hit(
    same: boolean,
    cached: Entry,
    { config, keys }: { config: IssuerConfig; keys?: KeySource },
    trace: VerifyTrace,
    waitUntil: WaitUntil | undefined,
    now: number,
    attempts: number | undefined,
  ): Verified | Promise<Verified> {
    if (keys && keys.attempts !== attempts) trace.jwksFetched = true;
    if (!same) return this.verifyFresh(cached.token!, trace, waitUntil, now);
    trace.iss = typeof cached.claims.iss === "string" ? cached.claims.iss : config.issuer;
    if (cached.kid !== undefined) trace.kid = cached.kid.slice(0, LOG_ID_CHARS);
    trace.tokenCache = "hit";
    return { claims: cached.claims, issuer: config, memo: cached.memo };
  }

  /** The whole verification of a token the cache did not answer; `now` in seconds. */
  private async verifyFresh(
    token: string,
    trace: VerifyTrace,
    waitUntil: WaitUntil | undefined,
    now: number,
  ): Promise<Verified> {
    trace.tokenCache = "miss";
    // Padded base64url (AWS ALB) is parsed leniently here and refused below for every other entry.
    const padded = token.includes("=");
    const jws = parseCompact(token, padded);
    const header: JwsHeader = jws.header;
    if (header.kid !== undefined) trace.kid = header.kid.slice(0, LOG_ID_CHARS);
    const { value: payload, text } = decodeCheckedPayload(jws.payload);
    if (!isPlainObject(payload)) throw fail("token_malformed");
    const iss = (payload as Claims).iss;
    if (typeof iss !== "string") throw fail("iss" in payload ? "claim_invalid" : "claim_missing", "iss");
    const entry = this.issuers.get(this.router.route(header, iss, padded))!;
    trace.iss = iss;
    if (entry.introspector) return entry.introspector.verify(token, trace);
    checkAlg(header, entry.config.algorithms);
    const attempts = entry.keys?.attempts;
    let key: JWK | Promise<JWK>;
    try {
      key = entry.secret ?? entry.keys!.getKey(header.kid, header.alg, waitUntil ?? this.deps.waitUntil);
      if (key instanceof Promise) key = await key;
    } finally {
      if (entry.keys && entry.keys.attempts !== attempts) trace.jwksFetched = true;
    }
    const verified = verifyParsed(jws, key, this.verifySignature);
    if (verified) await verified;
    const claims = checkClaims(payload, header.typ, entry.config, now);
    const memo: TokenMemo = { payload: { segment: jws.payload, json: text } };
    this.cache.set(token, {
      claims,
      until: claims.exp! + entry.config.clockTolerance,
      issuer: entry.config.issuer,
      alg: header.alg,
      ...(header.kid !== undefined ? { kid: header.kid } : {}),
      ...(entry.keys ? { key } : {}),
      memo,
    });
    return { claims, issuer: entry.config, memo };
  }

  /** JWKS fetches made so far, per issuer (diagnostics). */
  fetchCounts(): Record<string, number> {
    return Object.fromEntries([...this.issuers].map(([iss, e]) => [iss, e.keys?.fetches ?? 0]));
  }
}
