/**
 * RFC 7662 introspection for one issuer: a POST of the token (form-encoded, `client_secret_basic`) to
 * the configured endpoint or discovery's `introspection_endpoint`, bounded in time and size; answers
 * cached by token hash; one call in flight per token. A failure (network, HTTP status, garbage) is
 * `introspection_unavailable` (503) for a token with no cached answer; cached answers keep serving.
 * @module
 */
import type { IntrospectionConfig, IssuerConfig } from "../config/schema.js";
import type { Logger } from "../deps.js";
import type { Verified, VerifyTrace } from "../jwt/verifier.js";
import { fail } from "../errors.js";
import * as L from "../limits.js";
import { withTimeout } from "../http/bounds.js";
import { fetchJson } from "../http/fetch.js";
import { discoverUrl } from "../keys/discovery.js";
import { AnswerCache, tokenHash, type Answer } from "./cache.js";
import { checkAnswer, readAnswer } from "./claims.js";

export interface IntrospectionDeps {
  fetch: typeof fetch;
  now: () => number;
  logger: Logger;
}

/** Whether a token is opaque: not three dot-separated segments (a compact JWS). */
export const isOpaque = (token: string): boolean => token.split(".", 4).length !== 3;

/** RFC 6749 2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

/**
 * Introspects the tokens of one issuer.
 *
 * @example
 * ```ts
 * const introspector = new Introspector(issuer, issuer.introspection!, { fetch, now: Date.now, logger }, 262144);
 * const { claims } = await introspector.verify(opaqueToken, {});
 * ```
 */
export class Introspector {
  private endpoint?: string;
  private readonly cache = new AnswerCache(L.INTROSPECTION_CACHE_ENTRIES);
  private readonly inflight = new Map<string, Promise<Answer>>();
  private readonly authorization: string;
  /** Introspection calls made (diagnostics and tests). */
  calls = 0;

  constructor(
    private readonly issuer: IssuerConfig,
    private readonly cfg: IntrospectionConfig,
    private readonly deps: IntrospectionDeps,
    private readonly discoveryMaxBytes: number,
  ) {
    if (cfg.endpoint) this.endpoint = cfg.endpoint;
    this.authorization = `Basic ${btoa(`${formEncode(cfg.clientId)}:${formEncode(cfg.clientSecret)}`)}`;
  }

  /** Whether this issuer's JWTs are introspected too. */
  get all(): boolean {
    return this.cfg.tokens === "all";
  }

  /** The claims of an active token that passes the checks; throws an `AuthError` otherwise. */
  async verify(token: string, trace: VerifyTrace): Promise<Verified> {
    const key = await tokenHash(token);
    trace.iss = this.issuer.issuer;
    let answer = this.cache.get(key, this.deps.now());
    trace.tokenCache = answer ? "hit" : "miss";
    answer ??= await this.lookup(key, token);
    if (!answer.active) throw fail("token_inactive");
    const claims = checkAnswer(answer.claims!, this.issuer, Math.floor(this.deps.now() / 1000));
    return { claims, issuer: this.issuer };
  }

  /**
   * One call per token hash, shared by concurrent callers; each waits at most a bounded time (on
   * Workers a call started by a request that has ended may never settle).
   */
  private lookup(key: string, token: string): Promise<Answer> {
    let shared = this.inflight.get(key);
    if (!shared) {
      const started = this.call(token, key).finally(() => {
        if (this.inflight.get(key) === started) this.inflight.delete(key);
      });
      shared = started;
      this.inflight.set(key, shared);
    }
    const mine = shared;
    return withTimeout(mine, L.INTROSPECTION_TIMEOUT_MS * 2 + 100, () => {
      if (this.inflight.get(key) === mine) this.inflight.delete(key);
      throw fail("introspection_unavailable");
    });
  }

  private async call(token: string, key: string): Promise<Answer> {
    const iss = this.issuer.issuer;
    const timeout = L.INTROSPECTION_TIMEOUT_MS;
    let read: ReturnType<typeof readAnswer>;
    try {
      this.endpoint ??= await discoverUrl(
        this.deps.fetch,
        iss,
        "introspection_endpoint",
        timeout,
        this.discoveryMaxBytes,
      );
      this.calls++;
      const post = {
        body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: this.authorization },
      };
      const { body } = await fetchJson(this.deps.fetch, this.endpoint, timeout, L.MAX_INTROSPECTION_BODY_BYTES, post);
      read = readAnswer(body);
    } catch (e) {
      const error = (e instanceof Error ? e.message : "failed").slice(0, L.LOG_DETAIL_CHARS);
      this.deps.logger.error("introspection_failed", { iss, error });
      throw fail("introspection_unavailable");
    }
    const now = this.deps.now();
    const exp = read.claims?.exp;
    const until = !read.active
      ? now + L.INTROSPECTION_INACTIVE_TTL * 1000
      : typeof exp === "number" && Number.isSafeInteger(exp)
        ? Math.min(now + this.cfg.cacheTtl * 1000, exp * 1000)
        : now + L.INTROSPECTION_INACTIVE_TTL * 1000;
    const answer: Answer = { ...read, until };
    if (until > now) this.cache.set(key, answer);
    return answer;
  }
}
