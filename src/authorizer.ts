/**
 * `createAuthorizer(config, deps)`: the one object adapters hold. Create it once per process or
 * isolate; its JWKS and verified-token caches live as long as it does.
 * @module
 */
import type { AuthorizerConfig, Claims, Decision, Deps, RouteRule } from "./types.js";
import { Verifier } from "./verifier.js";
import { Decider } from "./decision.js";
import { consoleLogger } from "./log.js";
import { checkRule } from "./policy.js";
import { extractToken } from "./token.js";

/** One route rule and whether a verified token satisfies it (for API Gateway policies). */
export interface RouteEntitlement {
  /** Upper-case methods; empty means every method. */
  methods: string[];
  /** The rule's path pattern (`/admin/*`, `/orders/:id`). */
  path: string;
  access: RouteRule["access"];
  allowed: boolean;
}

export interface Authorizer {
  readonly config: AuthorizerConfig;
  /** The decision for a request. Never throws. */
  authorize(request: Request): Promise<Decision>;
  /** Verified claims, or a rejection with an `AuthError` (`status`, `error`, `code`). */
  verify(token: string): Promise<Claims>;
  /** Which route rules verified claims satisfy, and whether routes no rule matches are allowed. */
  entitlements(claims: Claims): { rules: RouteEntitlement[]; defaultAllowed: boolean };
  /** RFC 9728 metadata to serve, if a resource is configured. */
  protectedResource(): { path: string; document: Record<string, unknown> } | null;
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
  };
  const verifier = new Verifier(config, keyDeps);
  const decider = new Decider(config, verifier, logger);
  const issuerOf = (claims: Claims) => config.issuers.find((i) => i.issuer === claims.iss) ?? config.issuers[0]!;
  return {
    config,
    authorize: (request) => decider.authorize(request),
    verify: async (token) => (await verifier.verify(token)).claims,
    entitlements(claims) {
      const issuer = issuerOf(claims);
      const rules = config.routes.map((rule) => ({
        methods: rule.methods ?? [],
        path: rule.path,
        access: rule.access,
        allowed: rule.access === "public" || checkRule(rule, claims, issuer, config.requiredScopes).ok,
      }));
      const defaultAllowed = config.defaultAccess !== "protected" || checkRule(undefined, claims, issuer, config.requiredScopes).ok;
      return { rules, defaultAllowed };
    },
    protectedResource() {
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
    },
    async tokenClaims(request) {
      try {
        const token = extractToken(request, config.tokenSources, config.maxTokenBytes);
        return token === undefined ? null : (await verifier.verify(token)).claims;
      } catch {
        return null;
      }
    },
    warmUp: () => verifier.warmUp(),
    fetchCounts: () => verifier.fetchCounts(),
  };
}
