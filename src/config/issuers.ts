/**
 * The issuers of a configuration: from `JWT_ISSUER` (with `JWT_AUDIENCE`, `JWT_JWKS_URI`, `JWT_SECRET`,
 * `JWT_ALGORITHMS`, `JWT_CLOCK_TOLERANCE`) or `JWT_CONFIG.issuers`, each expanded by its provider preset
 * and validated: algorithms from the one table, HMAC never mixed with public keys, audience required.
 * @module
 */
import type { IssuerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { isObject, list, int, str, url, rejectUnknown, type Raw } from "./readers.js";
import { parseConditions } from "./routes.js";
import { applyPreset } from "../providers/presets.js";
import { addKeySources } from "./key-sources.js";
import { checkOneOpaqueIssuer, introspectionFrom } from "./introspection.js";
import * as L from "../limits.js";
import { ALGORITHMS, DEFAULT_ALGORITHMS, HMAC_ALGORITHMS, algorithm } from "../jwt/algorithms.js";

const R = L.RANGES;
const HMAC = HMAC_ALGORITHMS;
const KNOWN = Object.keys(ALGORITHMS);
/** Keys an issuer entry may hold, then the parameters of the provider presets. */
const ISSUER_KEYS = [
  ..."issuer audience audienceClaim jwksUri secret algorithms typ maxLifetime clockTolerance".split(" "),
  ..."requiredClaims claims rolesClaim permissionsClaim scopesClaim introspection preset dpop".split(" "),
  // Set by the presets on the entries they expand to (never listed to users).
  ..."bareIssuer presetClaims".split(" "),
  ..."domain region userPoolId tokenUse tenants tenant version projectId clientIds client authorizedParties".split(" "),
  ..."jwks discovery albArn albIssuer teamDomain hostedDomain".split(" "),
];

export function issuersFrom(env: Record<string, unknown>, json: Raw): IssuerConfig[] {
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
  checkOneOpaqueIssuer(issuers, "JWT_CONFIG.issuers");
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
  const own = parseConditions(raw.claims, `${name}.claims`, "all");
  const preset = parseConditions(raw.presetClaims, `${name}.claims`, "all");
  const out: IssuerConfig = {
    issuer,
    audience,
    algorithms,
    clockTolerance: tolerance,
    requiredClaims: list(raw.requiredClaims, `${name}.requiredClaims`) ?? [],
    claimConditions: [...preset.conditions, ...(own.match === "all" ? own.conditions : [])],
    ...(own.match === "any" && own.conditions.length > 0 ? { claimAnyOf: own.conditions } : {}),
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
  addKeySources(out, raw, name);
  const introspection = introspectionFrom(raw.introspection, name, env);
  if (introspection) out.introspection = introspection;
  if (raw.dpop !== undefined && raw.dpop !== "allowed" && raw.dpop !== "required")
    throw new ConfigError(`${name}.dpop`, `must be "allowed" or "required"`);
  if (raw.dpop === "required") out.dpop = "required";
  return out;
}
