/**
 * `createAuthorizer(config, deps)` and the `authorize(request)` pipeline, in the order a request meets
 * it: which methods and paths it can be taken for (routes/targets) → preflight → the rules those fall
 * under (routes/match) → token (request/extract-token) → verify (jwt/verifier) → requirements
 * (routes/requirements) → identity (request/identity) → Decision. `authorize` never throws.
 *
 * Create the authorizer once per process or isolate; its JWKS and verified-token caches live as long
 * as it does.
 * @module
 */
import type { JWK } from "jose";
import type { Access, AuthorizerConfig, RouteRule } from "./config/schema.js";
import { AssertionMinter } from "./assertion/mint.js";
import type { Claims, TokenMemo } from "./jwt/claims.js";
import type { Allowed, Decision, Refused, RefusalDetail } from "./decision.js";
import { consoleLogger, type Deps, type Logger } from "./deps.js";
import { AuthError, REASONS, type ReasonCode } from "./errors.js";
import { LOG_DETAIL_CHARS, LOG_ROUTE_CHARS, RETRY_AFTER } from "./limits.js";
import { Verifier, type VerifyTrace } from "./jwt/verifier.js";
import { compileRules, matchTargets } from "./routes/match.js";
import { entitlementsOf, type Entitlements } from "./routes/entitlements.js";
import { bindingsHeld, bindsParams, checkRule, scopesOf } from "./routes/requirements.js";
import { requestTargets } from "./routes/targets.js";
import { extractCredential, extractToken, type Credential } from "./request/extract-token.js";
import { BindingCheck, dpopChallenge, type RequestContext } from "./binding/check.js";
import { MemoryReplayStore } from "./binding/replay-store.js";
import { identityFor, withBindings, type Identity } from "./request/identity.js";
import { wwwAuthenticate } from "./request/response.js";
import { Observer, type DecisionTrace } from "./observe/observer.js";
import { safeHook } from "./observe/hooks.js";
import { Revocation, revokingVerifier } from "./revocation/check.js";
import { overLimit, type RateLimiter } from "./revocation/rate-limit.js";

export interface Authorizer {
  readonly config: AuthorizerConfig;
  /** The decision for a request (`context`: what the platform knows, e.g. the client certificate). Never throws. */
  authorize(request: Request, context?: RequestContext): Promise<Decision>;
  /** Verified claims, or a rejection with an `AuthError` (`status`, `error`, `code`). */
  verify(token: string): Promise<Claims>;
  /** Which route rules verified claims satisfy, and whether routes no rule matches are allowed. */
  entitlements: Entitlements;
  /** RFC 9728 metadata to serve, if a resource is configured. */
  protectedResource(): { path: string; document: Record<string, unknown> } | null;
  /**
   * The signed identity assertion for an allowed request about to be forwarded with `method` to `url`
   * (`x-auth-assertion`), or `undefined` when none is configured or the request passed without a token.
   */
  assertion(decision: Allowed, method: string, url: string): Promise<string | undefined>;
  /** The assertion's public keys, to serve at `/.well-known/edge-jwt/jwks.json`; `null` when off. */
  assertionJwks(): { keys: JWK[] } | null;
  /**
   * The verified claims of the request's token whatever the route, or `null` when it has no valid
   * token. For adapters whose answer is cached across routes (API Gateway policies).
   */
  tokenClaims(request: Request): Promise<Claims | null>;
  /** Fetches every issuer's keys now; never rejects. */
  warmUp(): Promise<void>;
  /** JWKS fetches so far, by issuer. */
  fetchCounts(): Record<string, number>;
}

/**
 * Creates an authorizer.
 *
 * @example
 * ```ts
 * const authorizer = createAuthorizer(configFromEnv(env), { fetch, now: Date.now });
 * const decision = await authorizer.authorize(request);
 * ```
 */
export function createAuthorizer(config: AuthorizerConfig, deps: Deps = {}): Authorizer {
  const logger = deps.logger ?? consoleLogger;
  const keyDeps = {
    fetch: deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
    now: deps.now ?? Date.now,
    logger,
    ...(deps.keyStore ? { keyStore: deps.keyStore } : {}),
    ...(deps.verifySignature ? { verifySignature: deps.verifySignature } : {}),
    ...(deps.onJwksFetch ? { onJwksFetch: safeHook(deps.onJwksFetch, logger, "on_jwks_fetch") } : {}),
  };
  const verifier = new Verifier(config, { ...keyDeps, waitUntil: deps.waitUntil });
  const revocation =
    config.revocation || deps.revocationStore
      ? new Revocation(config.revocation, deps.revocationStore, keyDeps)
      : undefined;
  const checked = revokingVerifier(verifier, revocation);
  const binding = new BindingCheck(
    deps.replayStore ?? new MemoryReplayStore(keyDeps.now),
    keyDeps.now,
    deps.verifySignature,
  );
  const pipeline = new Pipeline(config, checked, binding, logger, Observer.from(deps, logger), deps.rateLimit);
  let resource: ReturnType<Authorizer["protectedResource"]> | undefined;
  const settings = config.identity.assertion;
  const minter = settings ? new AssertionMinter(settings, keyDeps.now) : undefined;
  return {
    config,
    authorize: (request, context) => pipeline.authorize(request, context),
    verify(token) {
      try {
        const verified = checked.verify(token);
        // A cache hit comes back as a value: awaiting a plain object is slower than a promise's `then`.
        return verified instanceof Promise ? verified.then((v) => v.claims) : Promise.resolve(verified.claims);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    entitlements: entitlementsOf(config),
    protectedResource: () => (resource ??= resourceMetadata(config)),
    async tokenClaims(request) {
      try {
        const token = extractToken(request, config.tokenSources, config.maxTokenBytes);
        const claims = token === undefined ? null : (await checked.verify(token)).claims;
        return claims?.cnf === undefined ? claims : null; // a sender-constrained token: per request only
      } catch {
        return null;
      }
    },
    assertion: async (decision, method, url) => minter?.mint(decision, method, url),
    assertionJwks: () => settings?.keys.jwks ?? null,
    warmUp: () => verifier.warmUp(),
    fetchCounts: () => verifier.fetchCounts(),
  };
}

/** The RFC 9728 document of a configuration, made once (the configuration never changes). */
function resourceMetadata(config: AuthorizerConfig): ReturnType<Authorizer["protectedResource"]> {
  const r = config.resource;
  if (!r) return null;
  const document: Record<string, unknown> = {
    resource: r.id,
    authorization_servers: config.issuers.map((i) => i.issuer),
    bearer_methods_supported: ["header", ...(config.tokenSources.query ? ["query"] : [])],
  };
  if (r.scopesSupported) document.scopes_supported = r.scopesSupported;
  if (r.documentation) document.resource_documentation = r.documentation;
  return { path: new URL(r.metadataUrl).pathname, document };
}

/** How strict an access is: the strictest rule a request falls under decides. */
const RANK = { public: 0, optional: 1, protected: 2 } as const;

const pass = (reason: Allowed["reason"]): Allowed => ({ ok: true, claims: null, headers: {}, context: {}, reason });

/** The `authorize` pipeline of one authorizer, with its compiled rules and identity cache. */
class Pipeline {
  private readonly rules;

  constructor(
    private readonly config: AuthorizerConfig,
    private readonly verifier: Pick<Verifier, "verify">,
    private readonly binding: BindingCheck,
    private readonly logger: Logger,
    private readonly observer?: Observer,
    private readonly rateLimit?: RateLimiter,
  ) {
    this.rules = compileRules(config.routes);
  }

  /** One decision, reported once (event and span) when the host asked for that. */
  authorize(request: Request, context: RequestContext = {}): Promise<Decision> {
    if (!this.observer) return this.run(request, {}, context);
    return this.observer.observe(request, (trace) => this.run(request, trace, context));
  }

  private run(request: Request, trace: DecisionTrace, context: RequestContext): Promise<Decision> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.resolve(this.refuse("header_malformed", {}, "/"));
    }
    const decided = this.decide(request, url, trace, context);
    return this.config.reportOnly ? decided.then((d) => this.reportOnly(d, request, url, trace)) : decided;
  }

  /** Report-only mode: a refusal is logged (and traced as what it would have been) and the request passes. */
  private reportOnly(decision: Decision, request: Request, url: URL, trace: DecisionTrace): Decision {
    if (decision.ok) return decision;
    trace.would = { status: decision.status, code: decision.code };
    this.logger.warn("report_only", {
      would: decision.status,
      code: decision.code,
      method: request.method,
      route: url.pathname,
    });
    return pass("report_only");
  }

  private async decide(request: Request, url: URL, trace: DecisionTrace, platform: RequestContext): Promise<Decision> {
    const pathname = url.pathname;
    const targets = requestTargets(request, url);
    if (!targets) return this.refuse("header_malformed", trace, pathname);
    // A preflight passes untouched only when nothing asks the origin to take it for another method.
    const h = request.headers;
    const preflight =
      targets.methods.length === 1 &&
      targets.methods[0] === "OPTIONS" &&
      h.has("origin") &&
      h.has("access-control-request-method");
    if (preflight && !this.config.authorizePreflight) return pass("preflight");
    // Every rule any reading of the request falls under must hold; the strictest access decides.
    const fallback: RouteRule = { path: pathname, access: this.config.defaultAccess };
    const matches = matchTargets(this.rules, targets).map(({ rule, params }) => ({ rule: rule ?? fallback, params }));
    const access = matches.reduce<Access>((a, { rule }) => (RANK[rule.access] > RANK[a] ? rule.access : a), "public");
    // The rule reported: the first of the strictest (the one that refuses, if one does, below).
    const named = (rule: RouteRule | undefined) => {
      trace.rule = rule === fallback ? undefined : rule?.path;
    };
    named(matches.find(({ rule }) => rule.access === access)?.rule);
    if (access === "public") return pass("public");
    let credential: Credential | undefined;
    try {
      credential = extractCredential(request, this.config.tokenSources, this.config.maxTokenBytes);
      if (credential === undefined)
        return access === "optional" ? pass("anonymous") : this.refuse("token_missing", trace, pathname);
      const { token, scheme } = credential;
      // A cache hit answers synchronously; awaiting only real promises spares a microtask per step.
      const verifying = this.verifier.verify(token, trace, platform.waitUntil);
      const { claims, issuer, memo = {} } = verifying instanceof Promise ? await verifying : verifying;
      const binding = this.binding.check({ claims, issuer, scheme, token, request, url, context: platform });
      if (binding) await binding;
      const wait = this.rateLimit && (await overLimit(this.rateLimit, claims, this.logger));
      if (wait) return { ...this.refuse("rate_limited", trace, pathname), retryAfter: wait, claims };
      const bound = matches.filter(({ rule }) => bindsParams(rule));
      const scopes = () => (memo.scopes ??= scopesOf(claims, issuer));
      for (const { rule, params } of matches) {
        if (rule.access === "public") continue;
        const policy = checkRule(rule, claims, issuer, this.config.requiredScopes, params, scopes);
        if (policy.ok) continue;
        named(rule);
        const refusal: Refused = { ...this.refuse(policy.code, trace, pathname, { needed: policy.needed }), claims };
        if (bound.length > 0) refusal.pathBound = true;
        return refusal;
      }
      // The token's own (verified) `iss`: a template entry or an ALB entry stands for several issuers.
      const iss = typeof claims.iss === "string" ? claims.iss : issuer.issuer;
      const { headers, context } = (memo.identity ??= this.identity(claims, iss, memo));
      const allowed: Allowed = { ok: true, claims, headers, context, issuer: iss, reason: "token" };
      if (typeof claims.sub === "string") allowed.subject = claims.sub;
      return bound.length > 0 ? withBindings(allowed, bindingsHeld(bound, claims)) : allowed;
    } catch (e) {
      if (e instanceof AuthError)
        return this.refuse(e.code, trace, pathname, { detail: e.detail, scheme: credential?.scheme });
      this.logger.error("authorize_unexpected_error", {
        error: e instanceof Error ? e.name : "unknown",
        route: pathname,
      });
      return this.refuse("token_malformed", trace, pathname);
    }
  }

  /** The identity of a verified token, built once per token (the memo keeps it with the cache entry). */
  private identity(claims: Claims, issuer: string, memo: TokenMemo): Identity {
    const identity = identityFor(claims, issuer, this.config.identity.claimHeaders, memo.payload);
    Object.freeze(identity.headers);
    Object.freeze(identity.context);
    return identity;
  }

  private refuse(code: ReasonCode, trace: VerifyTrace, route: string, more: RefusalDetail = {}): Refused {
    const { needed, detail, scheme } = more;
    const reason = REASONS[code];
    const refusal: Refused = {
      ok: false,
      status: reason.status,
      error: reason.error,
      code,
      description: reason.description,
    };
    if (needed) refusal.requiredScope = needed;
    const dpop = dpopChallenge(code, scheme, this.config.issuers);
    const header = wwwAuthenticate(refusal, this.config.realm, this.config.resource?.metadataUrl, dpop);
    if (header) refusal.wwwAuthenticate = header;
    if (reason.status === 503) refusal.retryAfter = RETRY_AFTER;
    const fields = {
      code,
      status: reason.status,
      kid: trace.kid,
      iss: trace.iss,
      route: route.slice(0, LOG_ROUTE_CHARS),
      detail: detail?.slice(0, LOG_DETAIL_CHARS),
    };
    this.logger.info("jwt_refused", fields);
    return refusal;
  }
}
