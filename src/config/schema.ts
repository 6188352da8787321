/**
 * The configuration's shape once validated: issuers, route rules, identity, caches. `configFromEnv`
 * builds it from the environment; hosts may also build it by hand. Types (and the method list) only.
 * @module
 */

import type { JWK } from "jose";
import type { AssertionSettings } from "../assertion/mint.js";
import type { TokenSources } from "../request/extract-token.js";

/** The methods a route rule may name (API Gateway puts these in a method ARN; `ANY` arrives as the verb). */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Where one issuer keeps roles, permissions and scopes inside its tokens (dot paths or full claim names). */
export interface ClaimPaths {
  /** e.g. `roles`, `cognito:groups`, `realm_access.roles`, `https://example.com/roles`. Default `roles`. */
  roles: string[];
  /** Default `permissions`. */
  permissions: string[];
  /** Default `scope` (space-separated string) and `scp` (string or array). */
  scopes: string[];
}

/** One trusted issuer. */
export interface IssuerConfig {
  /** Matched exactly against `iss`. */
  issuer: string;
  /** Accepted audiences; `null` switches the audience check off (only through `JWT_CONFIG`). */
  audience: string[] | null;
  /** The claim the audience is read from: `aud` unless a provider puts it elsewhere (Cognito: `client_id`). */
  audienceClaim?: string;
  /** Skips OIDC discovery when set. */
  jwksUri?: string;
  /** HMAC secret: the issuer's tokens are HS256/384/512 and no JWKS is used. */
  secret?: string;
  /** Allowed `alg` values for this issuer. */
  algorithms: string[];
  /** Required `typ` values (compared case-insensitively, `application/` prefix optional), or none. */
  typ?: string[];
  /** Maximum `exp - iat` in seconds. */
  maxLifetime?: number;
  /** Seconds of leeway for `exp`, `nbf`, `iat`. */
  clockTolerance: number;
  /** Claims that must be present (besides `exp`, always required). */
  requiredClaims: string[];
  /** Claim conditions every token of this issuer must meet (provider presets use these). */
  claimConditions: ClaimCondition[];
  /** Written as `{ "any": [...] }`: at least one of these must hold too. */
  claimAnyOf?: ClaimCondition[];
  claimPaths: ClaimPaths;
  /** Name of the provider preset applied, if any. */
  preset?: string;
  /** DPoP (RFC 9449): `allowed` (the default: bound tokens need a proof, others may come as Bearer) or `required`. */
  dpop?: "allowed" | "required";
  /** Inline keys (`"jwks": {"keys": [...]}`), already checked; no network. */
  jwks?: JWK[];
  /** Set when `issuer` is a template holding `{tenant}`: the allowed tenants, or `"*"` for any. */
  tenants?: string[] | "*";
  /** Where a template's keys are discovered (`<discovery>/.well-known/openid-configuration`). */
  discovery?: string;
  /**
   * AWS ALB: `issuer` holds the ALB's ARN, the entry is chosen by the token header's `signer`, keys come
   * per kid from the region, and the token's `iss` must equal `alb.issuer` when that is set.
   */
  alb?: { arn: string; region: string; issuer?: string };
  /** RFC 7662 introspection of this issuer's opaque tokens (or of all its tokens). */
  introspection?: IntrospectionConfig;
}

/** How one issuer's tokens are introspected. */
export interface IntrospectionConfig {
  /** The endpoint; absent: the discovery document's `introspection_endpoint`. */
  endpoint?: string;
  clientId: string;
  /** From `JWT_INTROSPECTION_SECRET`, or the variable named by `clientSecretVar`. */
  clientSecret: string;
  /** `opaque`: tokens that are not a compact JWS; `all`: this issuer's JWTs too. */
  tokens: "opaque" | "all";
  /** Seconds an active answer is cached (never past its `exp`); inactive ones are cached 10 s. */
  cacheTtl: number;
}

export type Match = "any" | "all";

/** A requirement on a list of values found in the token. */
export interface Requirement {
  values: string[];
  match: Match;
}

/**
 * A condition on one claim (dot path). Exactly one of `equals`, `contains`, `oneOf`, `exists`, `nonEmpty`,
 * or, in route rules only, `equalsParam` / `containsParam` (the name of a `:param` of the rule's path), or,
 * in an issuer's `claims` only, `inPast` (judged with that issuer's clock tolerance).
 */
export interface ClaimCondition {
  claim: string;
  equals?: string | number | boolean;
  contains?: string;
  oneOf?: Array<string | number | boolean>;
  /** The claim is none of these values (an absent claim is none of them). */
  noneOf?: Array<string | number | boolean>;
  exists?: boolean;
  /** `true`: the claim is a non-empty string or a non-empty array. */
  nonEmpty?: true;
  /** `true`: the claim is a NumericDate no later than now plus the issuer's clock tolerance. */
  inPast?: true;
  /** The claim (a string, or a number written in decimal) equals the path segment, exactly. */
  equalsParam?: string;
  /** The claim (an array, or a space-separated string) contains the path segment, exactly. */
  containsParam?: string;
}

export type Access = "public" | "optional" | "protected";

/** One route rule. */
export interface RouteRule {
  /** Upper-case methods; empty or absent means every method. */
  methods?: string[];
  /** Path pattern: exact `/health`, parameter `/orders/:id`, wildcard suffix `/admin/*`. */
  path: string;
  access: Access;
  scopes?: Requirement;
  roles?: Requirement;
  permissions?: Requirement;
  claims?: { conditions: ClaimCondition[]; match: Match };
}

/** JWKS cache tuning (seconds unless named otherwise). */
export interface JwksCacheConfig {
  /** TTL when the issuer sends no `Cache-Control: max-age`. */
  defaultTtl: number;
  /** Floor and ceiling applied to `max-age`. */
  minTtl: number;
  maxTtl: number;
  /** After an unknown-`kid` refetch, no other refetch for this long. */
  cooldown: number;
  /** How long known keys keep working after they went stale while the issuer is failing. */
  staleFor: number;
  /**
   * How long past freshness known keys keep answering at once while one background refresh runs
   * (never longer than `staleFor`); beyond it, the request waits for the refresh. 0: every request
   * past freshness waits.
   */
  staleWhileRevalidate: number;
  /** Timeout of every discovery and JWKS fetch, in milliseconds. */
  timeoutMs: number;
  /** Largest discovery or JWKS body accepted, in bytes. */
  maxBytes: number;
}

/** The revocation list and what to do when revocations cannot be checked. */
export interface RevocationConfig {
  /** The list's URL (https, or http on loopback); none: only an injected store is consulted. */
  url?: string;
  /** Seconds a fetched list is used; after that it is refetched before any decision. Default 60. */
  ttl: number;
  /** With no list and an unreachable source: `closed` (503, the default) or `open` (allow and log). */
  failMode: "closed" | "open";
}

export interface AuthorizerConfig {
  issuers: IssuerConfig[];
  /** Scopes every protected request needs. */
  requiredScopes: string[];
  /** Largest token accepted, in bytes, checked before any parsing. */
  maxTokenBytes: number;
  /** `Authorization: Bearer` is always read; these are the other places a token may come from. */
  tokenSources: TokenSources;
  routes: RouteRule[];
  /** Access for a request no rule matches. */
  defaultAccess: Access;
  /** CORS preflights pass without a token unless this is true. */
  authorizePreflight: boolean;
  /** Compute and log the decision, but let every request pass without identity headers. */
  reportOnly: boolean;
  /** The `realm` in `WWW-Authenticate`. */
  realm: string;
  /** RFC 9728 protected-resource metadata; refusals then carry `resource_metadata`. */
  resource?: {
    /** The resource identifier (an https URL). */
    id: string;
    /** Where the metadata document is served; default `<origin of id>/.well-known/oauth-protected-resource`. */
    metadataUrl: string;
    scopesSupported?: string[];
    documentation?: string;
  };
  identity: {
    /** Claim (dot path) to header name, e.g. `{ "email": "x-auth-email", "realm_access.roles": "x-auth-roles" }`. */
    claimHeaders: Record<string, string>;
    /** Remove `Authorization` before forwarding. */
    stripAuthorization: boolean;
    /** The signed identity assertion (`JWT_ASSERTION_KEY`, `identity.assertion`), when configured. */
    assertion?: AssertionSettings;
    /**
     * Add `Server-Timing: auth;dur=<ms>` to allowed requests (forwarded request and response);
     * refusals always have it.
     */
    serverTiming?: boolean;
  };
  /** Revocation checks; absent: only an injected store is consulted, in closed mode. */
  revocation?: RevocationConfig;
  cache: {
    jwks: JwksCacheConfig;
    /** Verified-token cache entries; 0 switches it off. */
    tokens: number;
  };
}
