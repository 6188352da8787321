/**
 * The assertion keys (`JWT_ASSERTION_KEY`): one private JWK, or a set `{"keys": [current, previous]}`
 * whose first key signs while all are published. Only EC P-256 (ES256) and OKP Ed25519 (EdDSA), each
 * with a `kid`. Checked at start-up; an error names the variable and never quotes key material.
 * @module
 */
import type { JWK } from "jose";
import { ConfigError } from "../errors.js";
import { isPlainObject } from "../encoding/strict-json.js";
import { checkJwk, publicJwk } from "../keys/checks.js";
import { int, rejectUnknown, str } from "../config/readers.js";
import { ASSERTION_MAX_TTL, ASSERTION_MIN_TTL, ASSERTION_TTL } from "../limits.js";
import type { AssertionSettings } from "./mint.js";

/** The key that signs assertions, and every public key the origin should accept. */
export interface AssertionKeys {
  /** The private JWK that signs (the first of the set). */
  signing: JWK & { kid: string; d: string };
  /** `ES256` or `EdDSA`, from the signing key's type. */
  alg: "ES256" | "EdDSA";
  /** The public JWKS served at `/.well-known/edge-jwt/jwks.json` and printed by `edge-jwt assertion-jwks`. */
  jwks: { keys: JWK[] };
}

const VARIABLE = "JWT_ASSERTION_KEY";

function algOf(jwk: JWK, at: string): "ES256" | "EdDSA" {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new ConfigError(VARIABLE, `${at} must be an EC P-256 or OKP Ed25519 key (make one with: edge-jwt keygen)`);
}

/**
 * Reads `JWT_ASSERTION_KEY` (JSON text, or an object where the platform allows it).
 *
 * @example
 * ```ts
 * const keys = parseAssertionKeys(env.JWT_ASSERTION_KEY); // { signing, alg: "ES256", jwks: { keys: [...] } }
 * ```
 */
export function parseAssertionKeys(value: unknown): AssertionKeys | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ConfigError(VARIABLE, "must be a private JWK or a JWK Set as JSON (it is not JSON)");
    }
  }
  if (!isPlainObject(parsed)) throw new ConfigError(VARIABLE, "must be a private JWK or a JWK Set");
  const list = Array.isArray(parsed.keys) ? (parsed.keys as unknown[]) : [parsed];
  if (list.length === 0) throw new ConfigError(VARIABLE, "holds an empty key set");
  const keys = list.map((k, i) => {
    const at = list.length === 1 && !("keys" in parsed) ? "the key" : `key ${i + 1}`;
    if (!isPlainObject(k)) throw new ConfigError(VARIABLE, `${at} is not a JWK object`);
    const jwk = k as JWK;
    algOf(jwk, at);
    if (typeof jwk.kid !== "string" || jwk.kid === "") throw new ConfigError(VARIABLE, `${at} needs a "kid"`);
    const check = checkJwk(publicJwk(jwk));
    if (!check.ok) throw new ConfigError(VARIABLE, `${at} is not usable: ${check.reason}`);
    return jwk;
  });
  const signing = keys[0]!;
  if (typeof signing.d !== "string")
    throw new ConfigError(VARIABLE, "the first key signs, so it must be a private key (with d)");
  const kids = new Set(keys.map((k) => k.kid));
  if (kids.size !== keys.length) throw new ConfigError(VARIABLE, "two keys share a kid");
  const alg = algOf(signing, "the signing key");
  const jwks = { keys: keys.map((k) => ({ ...publicJwk(k), kid: k.kid!, alg: algOf(k, "a key"), use: "sig" })) };
  return { signing: signing as AssertionKeys["signing"], alg, jwks };
}

/**
 * `identity.assertion` of `JWT_CONFIG` (`issuer`, `audience`, `ttl`) with the keys of
 * `JWT_ASSERTION_KEY`; `undefined` when no key is set. Settings without a key are an error.
 */
export function assertionFrom(env: Record<string, unknown>, raw: unknown): AssertionSettings | undefined {
  const name = "JWT_CONFIG.identity.assertion";
  if (raw !== undefined && !isPlainObject(raw)) throw new ConfigError(name, "must be an object");
  if (raw) rejectUnknown(raw, ["issuer", "audience", "ttl"], name);
  const keys = parseAssertionKeys(env[VARIABLE]);
  if (!keys) {
    if (raw) throw new ConfigError(VARIABLE, `is required when ${name} is set (make a key with: edge-jwt keygen)`);
    return undefined;
  }
  const audience = str(raw?.audience, `${name}.audience`);
  return {
    issuer: str(raw?.issuer, `${name}.issuer`) ?? "edge-jwt-authorizer",
    ...(audience !== undefined ? { audience } : {}),
    ttl: int(raw?.ttl, `${name}.ttl`, ASSERTION_MIN_TTL, ASSERTION_MAX_TTL) ?? ASSERTION_TTL,
    keys,
  };
}
