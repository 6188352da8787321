/**
 * `authorize(request)`: preflight → route rule → token → verify → policy → Decision, with the status
 * and `WWW-Authenticate` of CONTRACT section 4. Never throws.
 * @module
 */
import type { Allowed, AuthorizerConfig, Claims, Decision, Logger, Refused, RouteRule } from "./types.js";
import { AuthError, REASONS, type ReasonCode } from "./errors.js";
import { extractToken } from "./token.js";
import { compileRules, matchTargets, checkRule } from "./policy.js";
import { requestTargets } from "./path-reading.js";
import { identityFor } from "./identity.js";
import { wwwAuthenticate } from "./response.js";
import { RETRY_AFTER } from "./limits.js";
import type { Verifier, VerifyTrace } from "./verifier.js";

/** How strict an access is: the strictest rule a request falls under decides. */
const RANK = { public: 0, optional: 1, protected: 2 } as const;

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

  async authorize(request: Request): Promise<Decision> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return this.refuse("header_malformed", {}, "/");
    }
    const method = request.method.toUpperCase();
    const route = url.pathname;
    const decision = await this.decide(request, method, url);
    if (!this.config.reportOnly || decision.ok) return decision;
    this.logger.warn("report_only", { would: decision.status, code: decision.code, method, route });
    return pass("report_only");
  }

  private async decide(request: Request, method: string, url: URL): Promise<Decision> {
    const pathname = url.pathname;
    const trace: VerifyTrace = {};
    const targets = requestTargets(request, url);
    if (!targets) return this.refuse("header_malformed", trace, pathname);
    const h = request.headers;
    // A preflight passes untouched only when nothing asks the origin to take it for another method.
    if (method === "OPTIONS" && targets.methods.length === 1 && !this.config.authorizePreflight && h.has("origin") && h.has("access-control-request-method")) return pass("preflight");
    // Every rule any reading of the request falls under must hold; the strictest access decides.
    const rules = matchTargets(this.rules, targets).map((rule): RouteRule => rule ?? { path: pathname, access: this.config.defaultAccess });
    const access = rules.reduce<RouteRule["access"]>((a, r) => (RANK[r.access] > RANK[a] ? r.access : a), "public");
    if (access === "public") return pass("public");
    try {
      const token = extractToken(request, this.config.tokenSources, this.config.maxTokenBytes);
      if (token === undefined) {
        if (access === "optional") return pass("anonymous");
        return this.refuse("token_missing", trace, pathname);
      }
      const { claims, issuer } = await this.verifier.verify(token, trace);
      for (const rule of rules) {
        if (rule.access === "public") continue;
        const policy = checkRule(rule, claims, issuer, this.config.requiredScopes);
        if (!policy.ok) {
          const refusal = this.refuse(policy.code, trace, pathname, policy.needed);
          refusal.claims = claims;
          return refusal;
        }
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
