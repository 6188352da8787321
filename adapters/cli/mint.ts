/**
 * Minting signed tokens with jose: the encode side, shared by `edge-jwt token` and the development
 * issuer's `POST /token`.
 * @module
 */
import { importJWK, SignJWT, type JWTPayload } from "jose";
import type { PrivateJwk } from "./keys.js";

/** What goes into a minted token. Times are relative to `now` (epoch seconds). */
export interface MintOptions {
  key: PrivateJwk;
  sub?: string;
  iss?: string;
  /** One audience, or several. */
  aud?: string | string[];
  /** Space-separated scopes (the `scope` claim). */
  scope?: string;
  roles?: string[];
  permissions?: string[];
  /** Lifetime in seconds; negative mints an already expired token. */
  expiresIn: number;
  /** Seconds from now before which the token is not valid. */
  notBefore?: number;
  /** Any other claims; they override the ones above. */
  claims?: Record<string, unknown>;
  /** The `typ` header; default `at+jwt` (RFC 9068 access token). */
  typ?: string;
  /** Epoch seconds; default the current time. */
  now?: number;
}

/** Default `typ` of minted tokens: an RFC 9068 access token. */
export const DEFAULT_TYP = "at+jwt";

/**
 * Signs a token with the private key: header `{ alg, kid, typ }`, claims `iat`, `exp`, a random `jti`,
 * and whatever was given.
 *
 * @example
 * ```ts
 * const token = await mint({ key, sub: "alice", iss: "http://127.0.0.1:8788", aud: "api", expiresIn: 3600 });
 * ```
 */
export async function mint(options: MintOptions): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    ...(options.iss !== undefined ? { iss: options.iss } : {}),
    ...(options.sub !== undefined ? { sub: options.sub } : {}),
    ...(options.aud !== undefined ? { aud: options.aud } : {}),
    iat: now,
    exp: now + options.expiresIn,
    ...(options.notBefore !== undefined ? { nbf: now + options.notBefore } : {}),
    jti: crypto.randomUUID(),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    ...(options.roles !== undefined ? { roles: options.roles } : {}),
    ...(options.permissions !== undefined ? { permissions: options.permissions } : {}),
    ...options.claims,
  };
  const key = await importJWK(options.key, options.key.alg);
  const header = {
    alg: options.key.alg,
    typ: options.typ ?? DEFAULT_TYP,
    ...(options.key.kid ? { kid: options.key.kid } : {}),
  };
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}
