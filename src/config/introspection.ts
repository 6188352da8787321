/**
 * The `introspection` entry of an issuer (RFC 7662): endpoint (or discovery's), client id, which tokens,
 * cache time; the client secret from `JWT_INTROSPECTION_SECRET` or the variable `clientSecretVar` names.
 * @module
 */
import type { IntrospectionConfig, IssuerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { int, isObject, oneOf, rejectUnknown, str, url } from "./readers.js";
import { INTROSPECTION_CACHE_TTL, RANGES } from "../limits.js";

const KEYS = ["endpoint", "clientId", "tokens", "clientSecretVar", "cacheTtl"];

/**
 * Reads one issuer's `introspection` entry, or `undefined` when it has none.
 *
 * @example
 * ```ts
 * introspectionFrom({ clientId: "api", tokens: "opaque" }, "JWT_CONFIG.issuers[0]", { JWT_INTROSPECTION_SECRET: "s" });
 * ```
 */
export function introspectionFrom(
  raw: unknown,
  entry: string,
  env: Record<string, unknown>,
): IntrospectionConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const name = `${entry}.introspection`;
  if (!isObject(raw)) throw new ConfigError(name, "must be an object");
  rejectUnknown(raw, KEYS, name);
  const clientId = str(raw.clientId, `${name}.clientId`);
  if (!clientId) throw new ConfigError(`${name}.clientId`, "is required");
  const variable = str(raw.clientSecretVar, `${name}.clientSecretVar`) ?? "JWT_INTROSPECTION_SECRET";
  const secret = env[variable];
  if (typeof secret !== "string" || secret === "")
    throw new ConfigError(variable, `is required: the client secret for ${name}`);
  const out: IntrospectionConfig = {
    clientId,
    clientSecret: secret,
    tokens: oneOf(raw.tokens, `${name}.tokens`, ["opaque", "all"] as const) ?? "opaque",
    cacheTtl: int(raw.cacheTtl, `${name}.cacheTtl`, ...RANGES.introspectionCacheTtl) ?? INTROSPECTION_CACHE_TTL,
  };
  const endpoint = url(raw.endpoint, `${name}.endpoint`);
  if (endpoint) out.endpoint = endpoint;
  return out;
}

/** Opaque tokens carry no issuer: at most one entry may take them. */
export function checkOneOpaqueIssuer(issuers: IssuerConfig[], name: string): void {
  const opaque = issuers.filter((i) => i.introspection);
  if (opaque.length > 1)
    throw new ConfigError(name, `${opaque.map((i) => i.issuer).join(" and ")} both introspect opaque tokens`);
}
