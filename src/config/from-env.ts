/**
 * The configuration: `configFromEnv(env)` reads the `JWT_*` environment variables (README,
 * "Configuration") and the `JWT_CONFIG` JSON, applies defaults and validates everything once.
 * Environment variables override the same fields of `JWT_CONFIG`.
 * @module
 */
import type { AuthorizerConfig, IssuerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { isObject, list, int, bool, str, url, shown, type Raw } from "./readers.js";
import { jsonSyntaxProblem } from "./json-syntax.js";
import { parseRoutes, parseConditions, parseRequirement } from "./routes.js";
import { applyPreset } from "./presets.js";
import * as L from "../limits.js";
import { ALGORITHMS, DEFAULT_ALGORITHMS, HMAC_ALGORITHMS, algorithm } from "../jwt/algorithms.js";

const R = L.RANGES;
const HMAC = HMAC_ALGORITHMS;
const KNOWN = Object.keys(ALGORITHMS);

const TOP_KEYS = [
  "issuers",
  "audience",
  "algorithms",
  "clockTolerance",
  "requiredScopes",
  "maxTokenBytes",
  "tokenSources",
  "routes",
  "defaultAccess",
  "preflight",
  "reportOnly",
  "realm",
  "resource",
  "identity",
  "claimHeaders",
  "stripAuthorization",
  "cache",
];
const ISSUER_KEYS = [
  "issuer",
  "audience",
  "audienceClaim",
  "jwksUri",
  "secret",
  "algorithms",
  "typ",
  "maxLifetime",
  "clockTolerance",
  "requiredClaims",
  "claims",
  "rolesClaim",
  "permissionsClaim",
  "scopesClaim",
  "preset",
  "bareIssuer",
  // preset parameters
  "domain",
  "region",
  "userPoolId",
  "tokenUse",
  "tenants",
  "tenant",
  "version",
  "projectId",
  "clientIds",
  "client",
  "authorizedParties",
];

/** A misspelt key would silently drop a check, so unknown keys are errors. */
function rejectUnknown(raw: Raw, known: string[], name: string): void {
  const unknown = Object.keys(raw).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw new ConfigError(
      name,
      `unknown key ${JSON.stringify(unknown)} (known: ${known.filter((k) => k !== "bareIssuer").join(", ")})`,
    );
}

/**
 * Turns an environment record (a Worker `env`, or the Node process environment) into a validated configuration.
 * Throws a `ConfigError` naming the variable at fault; never returns an open configuration.
 *
 * @example
 * ```ts
 * const config = configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" });
 * ```
 */
export function configFromEnv(env: Record<string, unknown>): AuthorizerConfig {
  const json = readJson(env.JWT_CONFIG);
  rejectUnknown(json, TOP_KEYS, "JWT_CONFIG");
  const issuers = issuersFrom(env, json);
  const identity = isObject(json.identity) ? json.identity : {};
  const sources = isObject(json.tokenSources) ? json.tokenSources : {};
  const jwks = isObject(json.cache) && isObject(json.cache.jwks) ? json.cache.jwks : {};
  const cache = isObject(json.cache) ? json.cache : {};
  const config: AuthorizerConfig = {
    issuers,
    requiredScopes:
      list(env.JWT_REQUIRED_SCOPES, "JWT_REQUIRED_SCOPES", true) ??
      list(json.requiredScopes, "JWT_CONFIG.requiredScopes", true) ??
      [],
    maxTokenBytes:
      int(env.JWT_MAX_TOKEN_BYTES, "JWT_MAX_TOKEN_BYTES", ...R.maxTokenBytes) ??
      int(json.maxTokenBytes, "JWT_CONFIG.maxTokenBytes", ...R.maxTokenBytes) ??
      L.MAX_TOKEN_BYTES,
    tokenSources: {
      ...optional("cookie", str(sources.cookie, "JWT_CONFIG.tokenSources.cookie")),
      ...optional("query", str(sources.query, "JWT_CONFIG.tokenSources.query")),
    },
    routes: parseRoutes(json.routes),
    defaultAccess:
      (str(json.defaultAccess, "JWT_CONFIG.defaultAccess") as AuthorizerConfig["defaultAccess"] | undefined) ??
      "protected",
    authorizePreflight: json.preflight === "authorize",
    reportOnly: bool(env.JWT_REPORT_ONLY, "JWT_REPORT_ONLY") ?? bool(json.reportOnly, "JWT_CONFIG.reportOnly") ?? false,
    realm: str(json.realm, "JWT_CONFIG.realm") ?? L.DEFAULT_REALM,
    identity: {
      claimHeaders: headerMap(identity.claimHeaders ?? json.claimHeaders),
      stripAuthorization:
        bool(identity.stripAuthorization ?? json.stripAuthorization, "JWT_CONFIG.identity.stripAuthorization") ?? false,
    },
    cache: {
      jwks: {
        defaultTtl: int(jwks.defaultTtl, "JWT_CONFIG.cache.jwks.defaultTtl", ...R.jwksDefaultTtl) ?? L.JWKS_DEFAULT_TTL,
        minTtl: int(jwks.minTtl, "JWT_CONFIG.cache.jwks.minTtl", ...R.jwksMinTtl) ?? L.JWKS_MIN_TTL,
        maxTtl: int(jwks.maxTtl, "JWT_CONFIG.cache.jwks.maxTtl", ...R.jwksMaxTtl) ?? L.JWKS_MAX_TTL,
        cooldown: int(jwks.cooldown, "JWT_CONFIG.cache.jwks.cooldown", ...R.jwksCooldown) ?? L.JWKS_COOLDOWN,
        staleFor: int(jwks.staleFor, "JWT_CONFIG.cache.jwks.staleFor", ...R.jwksStaleFor) ?? L.JWKS_STALE_FOR,
        timeoutMs: int(jwks.timeoutMs, "JWT_CONFIG.cache.jwks.timeoutMs", ...R.fetchTimeoutMs) ?? L.FETCH_TIMEOUT_MS,
        maxBytes: int(jwks.maxBytes, "JWT_CONFIG.cache.jwks.maxBytes", ...R.keysBodyBytes) ?? L.MAX_KEYS_BODY_BYTES,
      },
      tokens: int(cache.tokens, "JWT_CONFIG.cache.tokens", ...R.tokenCacheEntries) ?? L.TOKEN_CACHE_ENTRIES,
    },
  };
  if (!["public", "optional", "protected"].includes(config.defaultAccess)) {
    throw new ConfigError("JWT_CONFIG.defaultAccess", "must be public, optional or protected");
  }
  if (config.cache.jwks.minTtl > config.cache.jwks.maxTtl)
    throw new ConfigError("JWT_CONFIG.cache.jwks.minTtl", "must not exceed maxTtl");
  if (json.preflight !== undefined && json.preflight !== "pass" && json.preflight !== "authorize") {
    throw new ConfigError("JWT_CONFIG.preflight", `must be "pass" or "authorize"`);
  }
  const resource = resourceFrom(json.resource);
  if (resource) config.resource = resource;
  return config;
}

function readJson(value: unknown): Raw {
  if (value === undefined || value === null || value === "") return {};
  if (isObject(value)) return value;
  if (typeof value !== "string") throw new ConfigError("JWT_CONFIG", "must be a JSON object or a string holding one");
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Never the parser's own message: it can quote an excerpt of the input, which may hold a secret.
    throw new ConfigError("JWT_CONFIG", `is not valid JSON: ${jsonSyntaxProblem(value)}`);
  }
  if (!isObject(parsed)) throw new ConfigError("JWT_CONFIG", "must be a JSON object");
  return parsed;
}

function issuersFrom(env: Record<string, unknown>, json: Raw): IssuerConfig[] {
  const fromJson = json.issuers === undefined ? [] : Array.isArray(json.issuers) ? json.issuers : null;
  if (!fromJson || !fromJson.every(isObject)) throw new ConfigError("JWT_CONFIG.issuers", "must be a list of objects");
  const envIssuers = list(env.JWT_ISSUER, "JWT_ISSUER");
  let raws: Array<{ raw: Raw; name: string }>;
  if (envIssuers && envIssuers.length > 0) {
    raws = envIssuers.flatMap((iss) =>
      applyPreset({ ...(fromJson.find((j) => j.issuer === iss) ?? {}), issuer: iss }, "JWT_ISSUER").map((raw) => ({
        raw,
        name: "JWT_ISSUER",
      })),
    );
  } else {
    raws = fromJson.flatMap((raw, i) =>
      applyPreset(raw, `JWT_CONFIG.issuers[${i}]`).map((r) => ({ raw: r, name: `JWT_CONFIG.issuers[${i}]` })),
    );
  }
  if (raws.length === 0) throw new ConfigError("JWT_ISSUER", "is required (or list issuers in JWT_CONFIG.issuers)");
  const single = raws.length === 1;
  for (const variable of ["JWT_JWKS_URI", "JWT_SECRET"]) {
    if (env[variable] !== undefined && env[variable] !== "" && !single)
      throw new ConfigError(variable, "applies to a single issuer, but several are configured");
  }
  const issuers = raws.map(({ raw, name }) => issuerFrom(raw, name, env, json, single));
  const seen = new Set<string>();
  for (const i of issuers) {
    if (seen.has(i.issuer))
      throw new ConfigError(envIssuers?.length ? "JWT_ISSUER" : "JWT_CONFIG.issuers", `lists ${i.issuer} twice`);
    seen.add(i.issuer);
  }
  return issuers;
}

function issuerFrom(raw: Raw, name: string, env: Record<string, unknown>, json: Raw, single: boolean): IssuerConfig {
  rejectUnknown(raw, ISSUER_KEYS, name);
  const envName = (v: string, field: string) => (env[v] !== undefined && env[v] !== "" ? v : `${name}.${field}`);
  // Presets may declare a scheme-less issuer some providers really use (Google's `accounts.google.com`).
  const issuer =
    raw.bareIssuer === true && typeof raw.issuer === "string"
      ? raw.issuer
      : url(raw.issuer, name === "JWT_ISSUER" ? "JWT_ISSUER" : `${name}.issuer`);
  if (!issuer) throw new ConfigError(name, "needs an issuer");
  const secret = env.JWT_SECRET !== undefined && env.JWT_SECRET !== "" ? env.JWT_SECRET : raw.secret;
  const secretName = envName("JWT_SECRET", "secret");
  if (
    secret !== undefined &&
    (typeof secret !== "string" || new TextEncoder().encode(secret).length < L.MIN_SECRET_BYTES)
  ) {
    throw new ConfigError(secretName, `must be at least ${L.MIN_SECRET_BYTES} bytes long`);
  }
  const algName = envName("JWT_ALGORITHMS", "algorithms");
  const secretBytes = typeof secret === "string" ? new TextEncoder().encode(secret).length : 0;
  // RFC 7518 3.2: an HMAC key must be at least as long as the hash. Default to what the secret allows.
  const minBytes = (alg: string) => ALGORITHMS[alg]!.minKeyBytes!;
  const hmacFits = (alg: string) => secretBytes >= minBytes(alg);
  const algorithms =
    list(env.JWT_ALGORITHMS, "JWT_ALGORITHMS") ??
    list(raw.algorithms ?? json.algorithms, algName) ??
    (secret ? HMAC.filter(hmacFits) : DEFAULT_ALGORITHMS);
  for (const alg of algorithms) {
    if (algorithm(alg) === undefined)
      throw new ConfigError(algName, `unknown algorithm ${JSON.stringify(alg)} (allowed: ${KNOWN.join(", ")})`);
  }
  if (algorithms.length === 0) throw new ConfigError(algName, "must list at least one algorithm");
  const hmac = algorithms.filter((a) => HMAC.includes(a));
  if (secret && hmac.length !== algorithms.length)
    throw new ConfigError(
      algName,
      "with JWT_SECRET only HS256, HS384 and HS512 are allowed (mixing HMAC and public keys invites key confusion)",
    );
  if (!secret && hmac.length > 0) throw new ConfigError(algName, `${hmac.join(", ")} needs JWT_SECRET`);
  const tooShort = hmac.filter((a) => !hmacFits(a));
  if (tooShort.length > 0)
    throw new ConfigError(
      secretName,
      `is ${secretBytes} bytes, shorter than ${tooShort.join(", ")} needs (${minBytes(tooShort.at(-1)!)} bytes)`,
    );
  const audienceName = envName("JWT_AUDIENCE", "audience");
  const audienceRaw =
    env.JWT_AUDIENCE !== undefined && env.JWT_AUDIENCE !== ""
      ? env.JWT_AUDIENCE
      : "audience" in raw
        ? raw.audience
        : json.audience;
  let audience: string[] | null;
  if (audienceRaw === null && (("audience" in raw && raw.audience === null) || json.audience === null)) audience = null;
  else {
    audience = list(audienceRaw, audienceName) ?? [];
    if (audience.length === 0)
      throw new ConfigError(
        "JWT_AUDIENCE",
        `is required for ${issuer} (JWT_CONFIG can switch the check off with "audience": null)`,
      );
  }
  const tolerance =
    int(env.JWT_CLOCK_TOLERANCE, "JWT_CLOCK_TOLERANCE", ...R.clockTolerance) ??
    int(raw.clockTolerance ?? json.clockTolerance, `${name}.clockTolerance`, ...R.clockTolerance) ??
    L.DEFAULT_CLOCK_TOLERANCE;
  const paths = (field: string, fallback: string[]) => list(raw[field], `${name}.${field}`) ?? fallback;
  const out: IssuerConfig = {
    issuer,
    audience,
    algorithms,
    clockTolerance: tolerance,
    requiredClaims: list(raw.requiredClaims, `${name}.requiredClaims`) ?? [],
    claimConditions: parseConditions(raw.claims, `${name}.claims`, "all").conditions,
    claimPaths: {
      roles: paths("rolesClaim", ["roles"]),
      permissions: paths("permissionsClaim", ["permissions"]),
      scopes: paths("scopesClaim", ["scope", "scp"]),
    },
  };
  const jwksUri = single
    ? (url(env.JWT_JWKS_URI, "JWT_JWKS_URI") ?? url(raw.jwksUri, `${name}.jwksUri`))
    : url(raw.jwksUri, `${name}.jwksUri`);
  if (jwksUri && !secret) out.jwksUri = jwksUri;
  if (secret) out.secret = secret as string;
  const typ = list(raw.typ, `${name}.typ`);
  if (typ && typ.length > 0) out.typ = typ;
  const maxLifetime = int(raw.maxLifetime, `${name}.maxLifetime`, ...R.maxLifetime);
  if (maxLifetime !== undefined) out.maxLifetime = maxLifetime;
  if (typeof raw.preset === "string") out.preset = raw.preset;
  const audienceClaim = str(raw.audienceClaim, `${name}.audienceClaim`);
  if (audienceClaim) out.audienceClaim = audienceClaim;
  return out;
}

function headerMap(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value))
    throw new ConfigError("JWT_CONFIG.identity.claimHeaders", "must map claim paths to header names");
  const out: Record<string, string> = {};
  for (const [claim, header] of Object.entries(value)) {
    if (typeof header !== "string" || !/^x-auth-[a-z0-9-]+$/i.test(header)) {
      throw new ConfigError(
        `JWT_CONFIG.identity.claimHeaders.${claim}`,
        `must be a header name starting with x-auth- (letters, digits, dashes), got ${shown(header, claim)}`,
      );
    }
    if (["x-auth-sub", "x-auth-iss", "x-auth-claims"].includes(header.toLowerCase())) {
      throw new ConfigError(
        `JWT_CONFIG.identity.claimHeaders.${claim}`,
        `${header} is set by the authorizer itself and cannot be mapped`,
      );
    }
    out[claim] = header.toLowerCase();
  }
  return out;
}

function resourceFrom(value: unknown): AuthorizerConfig["resource"] {
  if (value === undefined) return undefined;
  const raw = typeof value === "string" ? { id: value } : value;
  if (!isObject(raw)) throw new ConfigError("JWT_CONFIG.resource", "must be a URL or an object with an id");
  const id = url(raw.id, "JWT_CONFIG.resource.id")!;
  const metadataUrl =
    url(raw.metadataUrl, "JWT_CONFIG.resource.metadataUrl") ??
    `${new URL(id).origin}/.well-known/oauth-protected-resource${new URL(id).pathname.replace(/\/$/, "")}`;
  const scopes = list(raw.scopesSupported, "JWT_CONFIG.resource.scopesSupported", true);
  const documentation = url(raw.documentation, "JWT_CONFIG.resource.documentation");
  return { id, metadataUrl, ...optional("scopesSupported", scopes), ...optional("documentation", documentation) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export { parseRequirement };
