/**
 * `authorize(request)`: preflight → route rule → token → verify → policy → Decision, with the status
 * and `WWW-Authenticate` of CONTRACT section 4. Never throws.
 * @module
 */
import type { Allowed, AuthorizerConfig, Claims, Decision, Logger, Refused, RouteRule } from "./types.js";
import { AuthError, REASONS, type ReasonCode } from "./errors.js";
import { extractToken } from "./token.js";
import { compileRules, matchRule, checkRule } from "./policy.js";
import { identityFor } from "./identity.js";
import { wwwAuthenticate } from "./response.js";
import { RETRY_AFTER } from "./limits.js";
import type { Verifier, VerifyTrace } from "./verifier.js";

const pass = (reason: Allowed["reason"]): Allowed => ({ ok: true, claims: null, headers: {}, context: {}, reason });

export class Decider {
  private readonly rules;

  constructor(private readonly config: AuthorizerConfig, private readonly verifier: Verifier, private readonly logger: Logger) {
    this.rules = compileRules(config.routes);
  }

  /** Identity per verified claims object: a token answered from the cache reuses it. */
  private readonly identities = new WeakMap<Claims, ReturnType<typeof identityFor>>();

  private identity(claims: Claims, issuer: string): ReturnType<typeof identityFor> {
    let identity = this.identities.get(claims);
    if (!identity) {
      identity = identityFor(claims, issuer, this.config.identity.claimHeaders);
      Object.freeze(identity.headers);
      Object.freeze(identity.context);
      this.identities.set(claims, identity);
    }
    return identity;
  }

  /** The rule a request falls under (undefined: the default access applies). */
  ruleFor(method: string, pathname: string): RouteRule | undefined {
    return matchRule(this.rules, method, pathname);
  }

  async authorize(request: Request): Promise<Decision> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return this.refuse("header_malformed", {}, "/");
    }
    const method = request.method.toUpperCase();
    const route = url.pathname;
    const decision = await this.decide(request, method, url.pathname);
    if (!this.config.reportOnly || decision.ok) return decision;
    this.logger.warn("report_only", { would: decision.status, code: decision.code, method, route });
    return pass("report_only");
  }

  private async decide(request: Request, method: string, pathname: string): Promise<Decision> {
    const h = request.headers;
    if (method === "OPTIONS" && !this.config.authorizePreflight && h.has("origin") && h.has("access-control-request-method")) return pass("preflight");
    const rule = this.ruleFor(method, pathname);
    const access = rule?.access ?? this.config.defaultAccess;
    if (access === "public") return pass("public");
    const trace: VerifyTrace = {};
    try {
      const token = extractToken(request, this.config.tokenSources, this.config.maxTokenBytes);
      if (token === undefined) {
        if (access === "optional") return pass("anonymous");
        return this.refuse("token_missing", trace, pathname);
      }
      const { claims, issuer } = await this.verifier.verify(token, trace);
      const policy = checkRule(rule ?? { path: pathname, access }, claims, issuer, this.config.requiredScopes);
      if (!policy.ok) {
        const refusal = this.refuse(policy.code, trace, pathname, policy.needed);
        refusal.claims = claims;
        return refusal;
      }
      const { headers, context } = this.identity(claims, issuer.issuer);
      const allowed: Allowed = { ok: true, claims, headers, context, issuer: issuer.issuer, reason: "token" };
      if (typeof claims.sub === "string") allowed.subject = claims.sub;
      return allowed;
    } catch (e) {
      if (e instanceof AuthError) return this.refuse(e.code, trace, pathname, undefined, e.detail);
      this.logger.error("authorize_unexpected_error", { error: e instanceof Error ? e.name : "unknown", route: pathname });
      return this.refuse("token_malformed", trace, pathname);
    }
  }

  private refuse(code: ReasonCode, trace: VerifyTrace, route: string, needed?: string, detail?: string): Refused {
    const reason = REASONS[code];
    const refusal: Refused = { ok: false, status: reason.status, error: reason.error, code, description: reason.description };
    if (needed) refusal.requiredScope = needed;
    const header = wwwAuthenticate(refusal, this.config.realm, this.config.resource?.metadataUrl);
    if (header) refusal.wwwAuthenticate = header;
    if (reason.status === 503) refusal.retryAfter = RETRY_AFTER;
    this.logger.info("jwt_refused", { code, status: reason.status, kid: trace.kid, iss: trace.iss, route: route.slice(0, 200), detail: detail?.slice(0, 100) });
    return refusal;
  }
}
