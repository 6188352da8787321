/**
 * The less common ways an issuer entry gets its keys and names its issuer: inline `jwks`, issuer
 * templates (`{tenant}`, `tenants`, `discovery`) and AWS ALB (`albArn`, `region`). Each problem is a
 * `ConfigError` naming the JSON path.
 * @module
 */
import type { JWK } from "jose";
import type { IssuerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { isObject, str, url, type Raw } from "./readers.js";
import { checkJwk } from "../keys/checks.js";
import { tenantsFrom } from "../providers/tenants.js";

/** Inline keys per issuer, at most. */
const MAX_INLINE_KEYS = 20;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/** `arn:<partition>:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>`. */
const ALB_ARN = new RegExp(
  "^arn:aws[a-z-]{0,16}:elasticloadbalancing:([a-z0-9-]{1,32}):\\d{12}:" +
    "loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$",
);
const REGION = /^[a-z]{2}(?:-[a-z]{1,12}){1,3}-\d{1,2}$/;

/**
 * Adds `jwks`, `tenants`/`discovery` or `alb` to an issuer being built from `raw` (at JSON path `name`).
 *
 * @example
 * ```ts
 * addKeySources(out, { jwks: { keys: [publicJwk] } }, "JWT_CONFIG.issuers[0]");
 * ```
 */
export function addKeySources(out: IssuerConfig, raw: Raw, name: string): void {
  if (raw.jwks !== undefined) {
    if (out.secret !== undefined || out.jwksUri !== undefined)
      throw new ConfigError(`${name}.jwks`, "cannot be combined with jwksUri or a secret");
    out.jwks = inlineKeys(raw.jwks, `${name}.jwks`);
  }
  const tenants = tenantsFrom(raw, out.issuer, name);
  if (tenants !== undefined) {
    out.tenants = tenants;
    const discovery = url(raw.discovery, `${name}.discovery`);
    if (discovery) out.discovery = discovery;
    if (!out.jwksUri && !out.jwks && !discovery)
      throw new ConfigError(name, "an issuer template needs jwksUri, discovery or jwks (one key set for all tenants)");
  } else if (raw.discovery !== undefined) {
    throw new ConfigError(`${name}.discovery`, "applies to issuer templates only ({tenant} in the issuer)");
  }
  if (raw.albArn !== undefined) {
    const arn = str(raw.albArn, `${name}.albArn`)!;
    const m = ALB_ARN.exec(arn);
    if (!m) throw new ConfigError(`${name}.albArn`, "must be an application load balancer ARN");
    const region = str(raw.region, `${name}.region`);
    if (!region || !REGION.test(region))
      throw new ConfigError(`${name}.region`, "must be an AWS region, e.g. eu-west-1");
    if (m[1] !== region) throw new ConfigError(`${name}.region`, `must be the ALB's region (${m[1]})`);
    if (out.secret !== undefined || out.jwks !== undefined || out.jwksUri !== undefined)
      throw new ConfigError(name, "an ALB entry takes its keys from the ALB's region only");
    out.alb = { arn, region, ...(typeof raw.albIssuer === "string" ? { issuer: raw.albIssuer } : {}) };
  }
}

function inlineKeys(value: unknown, name: string): JWK[] {
  if (!isObject(value) || !Array.isArray(value.keys) || Object.keys(value).some((k) => k !== "keys"))
    throw new ConfigError(name, 'must be {"keys": [...]}');
  const keys = value.keys as unknown[];
  if (keys.length === 0 || keys.length > MAX_INLINE_KEYS)
    throw new ConfigError(`${name}.keys`, `must hold 1 to ${MAX_INLINE_KEYS} keys`);
  return keys.map((jwk, i) => {
    const at = `${name}.keys[${i}]`;
    if (!isObject(jwk)) throw new ConfigError(at, "must be a JWK object");
    const secret = PRIVATE_MEMBERS.find((m) => m in jwk);
    if (secret) throw new ConfigError(at, `holds private or secret material ("${secret}"): give the public key only`);
    const check = checkJwk(jwk as JWK);
    if (!check.ok) throw new ConfigError(at, check.reason);
    return Object.freeze({ ...jwk }) as JWK;
  });
}
