/**
 * Issuer templates: one entry such as `https://login.microsoftonline.com/{tenant}/v2.0` with
 * `"tenants": [...]` or `"*"` stands for many issuers. A token's `iss` picks the template, its tenant
 * must be allowed, and the token's `tid` must name the same tenant. Matching is a string comparison
 * around the placeholder: nothing is fetched per tenant.
 * @module
 */
import type { IssuerConfig } from "../config/schema.js";
import type { Claims } from "../jwt/claims.js";
import { ConfigError } from "../errors.js";
import { list } from "../config/readers.js";

export const TENANT = "{tenant}";
/** A tenant id as it may appear inside an issuer URL: GUIDs, names; never `/`, `?` or `{`. */
const TENANT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The tenant `iss` names under `template`, or `undefined` when it does not fit the template.
 *
 * @example
 * ```ts
 * tenantOf("https://login.microsoftonline.com/{tenant}/v2.0", "https://login.microsoftonline.com/abc/v2.0"); // "abc"
 * ```
 */
export function tenantOf(template: string, iss: string): string | undefined {
  const at = template.indexOf(TENANT);
  if (at < 0) return undefined;
  const head = template.slice(0, at);
  const tail = template.slice(at + TENANT.length);
  if (iss.length <= head.length + tail.length || !iss.startsWith(head) || !iss.endsWith(tail)) return undefined;
  const tenant = iss.slice(head.length, iss.length - tail.length);
  return TENANT_ID.test(tenant) ? tenant : undefined;
}

/** Each allow-list as a set, built on first use: a template with thousands of tenants costs one lookup. */
const TENANT_SETS = new WeakMap<readonly string[], Set<string>>();

function allowedTenant(tenants: readonly string[], tenant: string): boolean {
  let set = TENANT_SETS.get(tenants);
  if (!set) TENANT_SETS.set(tenants, (set = new Set(tenants)));
  return set.has(tenant);
}

/** Whether a template admits `iss`: it fits, and its tenant is in the allow-list (or the list is `"*"`). */
export function templateAdmits(issuer: IssuerConfig, iss: string): boolean {
  const tenant = issuer.tenants ? tenantOf(issuer.issuer, iss) : undefined;
  return tenant !== undefined && (issuer.tenants === "*" || allowedTenant(issuer.tenants!, tenant));
}

/**
 * The `iss` check for any entry: exact for a plain issuer; for a template, an admitted tenant equal to
 * the token's `tid`; for an ALB entry without an `issuer`, any string (the `signer` chose the entry).
 *
 * @example
 * ```ts
 * issuerMatches(config, { iss: "https://login.microsoftonline.com/abc/v2.0", tid: "abc" });
 * ```
 */
export function issuerMatches(issuer: IssuerConfig, claims: Claims): "ok" | "issuer" | "tenant" {
  if (issuer.alb)
    return typeof claims.iss === "string" && (issuer.alb.issuer ?? claims.iss) === claims.iss ? "ok" : "issuer";
  if (!issuer.tenants) return claims.iss === issuer.issuer ? "ok" : "issuer";
  if (typeof claims.iss !== "string" || !templateAdmits(issuer, claims.iss)) return "issuer";
  return claims.tid === tenantOf(issuer.issuer, claims.iss) ? "ok" : "tenant";
}

/** Reads `tenants` of a template entry (`name` is its JSON path); `undefined` for a plain issuer. */
export function tenantsFrom(raw: Record<string, unknown>, issuer: string, name: string): string[] | "*" | undefined {
  const templated = issuer.includes(TENANT);
  if (raw.tenants === undefined) {
    if (templated) throw new ConfigError(`${name}.tenants`, `is required with ${TENANT} in the issuer (a list or "*")`);
    return undefined;
  }
  if (!templated) throw new ConfigError(`${name}.tenants`, `needs ${TENANT} in the issuer`);
  if (issuer.indexOf(TENANT) !== issuer.lastIndexOf(TENANT))
    throw new ConfigError(`${name}.issuer`, `may hold ${TENANT} once`);
  if (raw.tenants === "*") return "*";
  const tenants = list(raw.tenants, `${name}.tenants`) ?? [];
  if (tenants.length === 0) throw new ConfigError(`${name}.tenants`, `must list tenant ids, or be "*"`);
  for (const t of tenants)
    if (!TENANT_ID.test(t)) throw new ConfigError(`${name}.tenants`, `${JSON.stringify(t)} is not a tenant id`);
  return tenants;
}

/**
 * Where an entry's keys are discovered, and the `issuer` values its discovery document may name: a
 * template's common document names the template (Entra writes `{tenantid}`).
 *
 * @example
 * ```ts
 * discoveryOf(config); // ["https://login.microsoftonline.com/common/v2.0", [...]]
 * ```
 */
export function discoveryOf(issuer: IssuerConfig): [string, string[]] {
  if (!issuer.discovery) return [issuer.issuer, [issuer.issuer]];
  const spellings = [issuer.discovery, issuer.issuer, issuer.issuer.replace(TENANT, "{tenantid}")];
  return [issuer.discovery, spellings];
}
