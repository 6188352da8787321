/**
 * The shapes the core speaks: configuration, injected dependencies and decisions.
 * Types only; no behaviour lives here.
 * @module
 */
import type { JWK, JSONWebKeySet } from "jose";

/** A verified JWT payload. */
export type Claims = Record<string, unknown> & {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  scope?: string;
  scp?: string | string[];
};

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
  claimPaths: ClaimPaths;
  /** Name of the provider preset applied, if any. */
  preset?: string;
}

export type Match = "any" | "all";

/** A requirement on a list of values found in the token. */
export interface Requirement {
  values: string[];
  match: Match;
}

/** A condition on one claim (dot path). Exactly one of `equals`, `contains`, `oneOf`, `exists`. */
export interface ClaimCondition {
  claim: string;
  equals?: string | number | boolean;
  contains?: string;
  oneOf?: Array<string | number | boolean>;
  exists?: boolean;
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
  /** Timeout of every discovery and JWKS fetch, in milliseconds. */
  timeoutMs: number;
  /** Largest discovery or JWKS body accepted, in bytes. */
  maxBytes: number;
}

export interface AuthorizerConfig {
  issuers: IssuerConfig[];
  /** Scopes every protected request needs. */
  requiredScopes: string[];
  /** Largest token accepted, in bytes, checked before any parsing. */
  maxTokenBytes: number;
  tokenSources: {
    /** `Authorization: Bearer` is always read. */
    cookie?: string;
    query?: string;
  };
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
  };
  cache: {
    jwks: JwksCacheConfig;
    /** Verified-token cache entries; 0 switches it off. */
    tokens: number;
  };
}

/** A JWKS as fetched, with when it was fetched and until when it is fresh (epoch ms). */
export interface StoredJwks {
  jwks: JSONWebKeySet;
  fetchedAt: number;
  freshUntil: number;
  /** Where it came from (the discovered `jwks_uri` when the entry is keyed by issuer). */
  jwksUri?: string;
}

/**
 * A cache of JWKS documents that can outlive the process or isolate (the Worker adapter puts it on
 * the Cache API or KV). Keyed by the configured JWKS URL or, when keys are discovered, by the issuer
 * URL (always an absolute URL). Errors thrown by a store are logged and otherwise ignored.
 */
export interface KeyStore {
  get(id: string): Promise<StoredJwks | undefined>;
  put(id: string, value: StoredJwks): Promise<void>;
}

export type LogFields = Record<string, string | number | boolean | undefined>;

/** What the core logs through. Powertools' Logger and `console` both fit. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Verifies one signature. The default uses Web Crypto; Node adapters may inject `node:crypto` for speed.
 * `key` is a public JWK that already passed the key checks; `alg` is the token's (allowed) `alg`.
 * `signingInput` is the ASCII text `<header>.<payload>` and `signature` the signature segment, already
 * checked to be canonical base64url, so a host can decode both natively.
 */
export type SignatureVerifier = (
  alg: string,
  key: JWK,
  signingInput: string,
  signature: string,
) => Promise<boolean> | boolean;

export interface Deps {
  fetch?: typeof fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  keyStore?: KeyStore;
  logger?: Logger;
  verifySignature?: SignatureVerifier;
}

/** Identity forwarded to the origin (CONTRACT section 5). */
export type IdentityHeaders = Record<string, string>;

/** Flat context for API Gateway: strings, numbers and booleans only. */
export type FlatContext = Record<string, string | number | boolean>;

export interface Allowed {
  ok: true;
  /** Verified payload; `null` for an anonymous request on a public or optional route, or a preflight. */
  claims: Claims | null;
  subject?: string;
  issuer?: string;
  /** Headers to set on the forwarded request (`x-auth-sub`, `x-auth-iss`, `x-auth-claims`, mappings). */
  headers: IdentityHeaders;
  /** The same identity, flat, for API Gateway `context`. */
  context: FlatContext;
  /** Why it passed: `token`, `public`, `anonymous` (optional route), `preflight`, `report_only`. */
  reason: "token" | "public" | "anonymous" | "preflight" | "report_only";
}

export type RfcError = "invalid_request" | "invalid_token" | "insufficient_scope" | "temporarily_unavailable";

export interface Refused {
  ok: false;
  status: 400 | 401 | 403 | 503;
  error: RfcError;
  /** Stable reason code, see errors.ts. */
  code: string;
  /** Safe, token-free explanation. */
  description: string;
  /** The `WWW-Authenticate` value, absent on 503. */
  wwwAuthenticate?: string;
  /** Seconds, on 503. */
  retryAfter?: number;
  /** On 403: what was needed, space-separated. */
  requiredScope?: string;
  /** Claims, when the token was valid (403). */
  claims?: Claims;
}

export type Decision = Allowed | Refused;
