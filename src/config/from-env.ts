/**
 * The configuration: `configFromEnv(env)` reads the `JWT_*` environment variables (README,
 * "Configuration") and the `JWT_CONFIG` JSON, applies defaults and validates everything once.
 * Environment variables override the same fields of `JWT_CONFIG`.
 * @module
 */
import type { AuthorizerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { isObject, list, int, bool, str, url, shown, rejectUnknown, type Raw } from "./readers.js";
import { jsonSyntaxProblem } from "./json-syntax.js";
import { parseRoutes } from "./routes.js";
import * as L from "../limits.js";
import { issuersFrom } from "./issuers.js";
import { assertionFrom } from "../assertion/keys.js";
import { BINDING_HEADER } from "../request/identity.js";
import { revocationFrom } from "./revocation.js";
import { tokenSourcesFrom } from "../request/sources.js";

const R = L.RANGES;

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
  "revocation",
];
/**
 * Turns an environment record (a Worker `env`, or the Node process environment) into a validated configuration.
 * Throws a `ConfigError` naming the variable at fault; never returns an open configuration.
 *
 * @example
 * ```ts
 * const config = configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" });
 * ```
 */
export function configFromEnv(environment: object): AuthorizerConfig {
  // Any object of variables: the Node process environment, a Worker's `env` (as `wrangler types` types it).
  const env = environment as Record<string, unknown>;
  const json = readJson(env.JWT_CONFIG);
  rejectUnknown(json, TOP_KEYS, "JWT_CONFIG");
  const issuers = issuersFrom(env, json);
  const identity = section(json.identity, "JWT_CONFIG.identity", IDENTITY_KEYS);
  const cache = section(json.cache, "JWT_CONFIG.cache", ["jwks", "tokens"]);
  const jwks = section(cache.jwks, "JWT_CONFIG.cache.jwks", JWKS_KEYS);
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
    tokenSources: tokenSourcesFrom(json.tokenSources, issuers),
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
      ...optional("assertion", assertionFrom(env, identity.assertion)),
    },
    cache: {
      jwks: {
        defaultTtl: int(jwks.defaultTtl, "JWT_CONFIG.cache.jwks.defaultTtl", ...R.jwksDefaultTtl) ?? L.JWKS_DEFAULT_TTL,
        minTtl: int(jwks.minTtl, "JWT_CONFIG.cache.jwks.minTtl", ...R.jwksMinTtl) ?? L.JWKS_MIN_TTL,
        maxTtl: int(jwks.maxTtl, "JWT_CONFIG.cache.jwks.maxTtl", ...R.jwksMaxTtl) ?? L.JWKS_MAX_TTL,
        cooldown: int(jwks.cooldown, "JWT_CONFIG.cache.jwks.cooldown", ...R.jwksCooldown) ?? L.JWKS_COOLDOWN,
        staleFor: int(jwks.staleFor, "JWT_CONFIG.cache.jwks.staleFor", ...R.jwksStaleFor) ?? L.JWKS_STALE_FOR,
        staleWhileRevalidate:
          int(jwks.staleWhileRevalidate, "JWT_CONFIG.cache.jwks.staleWhileRevalidate", ...R.jwksStaleFor) ??
          L.JWKS_STALE_WHILE_REVALIDATE,
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
  if (bool(identity.serverTiming, "JWT_CONFIG.identity.serverTiming")) config.identity.serverTiming = true;
  const revocation = revocationFrom(json.revocation);
  if (revocation) config.revocation = revocation;
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
    if (["x-auth-sub", "x-auth-iss", "x-auth-claims", BINDING_HEADER].includes(header.toLowerCase())) {
      throw new ConfigError(
        `JWT_CONFIG.identity.claimHeaders.${claim}`,
        `${header} is set by the authorizer itself and cannot be mapped`,
      );
    }
    out[claim] = header.toLowerCase();
  }
  return out;
}

const IDENTITY_KEYS = ["claimHeaders", "stripAuthorization", "serverTiming", "assertion"];
const JWKS_KEYS = "defaultTtl minTtl maxTtl cooldown staleFor staleWhileRevalidate timeoutMs maxBytes".split(" ");

/** A nested member: absent, or an object of known keys (a misspelt cache setting must not pass unseen). */
function section(value: unknown, name: string, known: string[]): Raw {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ConfigError(name, "must be an object");
  rejectUnknown(value, known, name);
  return value;
}

function resourceFrom(value: unknown): AuthorizerConfig["resource"] {
  if (value === undefined) return undefined;
  const raw = typeof value === "string" ? { id: value } : value;
  if (!isObject(raw)) throw new ConfigError("JWT_CONFIG.resource", "must be a URL or an object with an id");
  rejectUnknown(raw, ["id", "metadataUrl", "scopesSupported", "documentation"], "JWT_CONFIG.resource");
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
