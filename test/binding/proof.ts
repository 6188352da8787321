/**
 * DPoP fixtures: an HMAC issuer (no network), a client key, bound tokens and proofs made with jose.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { createHash, randomUUID } from "node:crypto";
import { configFromEnv, createAuthorizer, type Deps } from "../../src/index.js";

export const ISSUER = "https://idp.example";
export const SECRET = "a-test-secret-that-is-long-enough-for-hs256";
export const URL_ = "https://api.example/orders/7";

export interface ClientKey {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
  alg: string;
}

export async function clientKey(alg = "ES256"): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256"), alg };
}

/** An HS256 access token of the test issuer; `cnf` binds it. */
export async function accessToken(cnf?: Record<string, string>, now = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({ iss: ISSUER, aud: "api", sub: "alice", ...(cnf ? { cnf } : {}) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

export const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

export interface ProofOptions {
  method?: string;
  url?: string;
  iat?: number;
  jti?: string;
  ath?: string;
  header?: Record<string, unknown>;
  /** Sign with this key instead (the header still carries `key.jwk` unless `header.jwk` is given). */
  signer?: CryptoKey | Uint8Array;
}

/** A DPoP proof for `token` made by jose. */
export async function proof(key: ClientKey, token: string, o: ProofOptions = {}): Promise<string> {
  return new SignJWT({
    jti: o.jti ?? randomUUID(),
    htm: o.method ?? "GET",
    htu: o.url ?? URL_,
    iat: o.iat ?? Math.floor(Date.now() / 1000),
    ath: o.ath ?? ath(token),
  })
    .setProtectedHeader({ alg: key.alg, typ: "dpop+jwt", jwk: key.jwk, ...o.header } as never)
    .sign(o.signer ?? key.privateKey);
}

/** An authorizer trusting the test issuer; `dpop` per issuer when given. */
export function authorizer(dpop?: "allowed" | "required", deps: Deps = {}) {
  const issuer = { issuer: ISSUER, audience: "api", secret: SECRET, ...(dpop ? { dpop } : {}) };
  return createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers: [issuer] }) }), deps);
}

/** A request with `Authorization: <scheme> <token>` and optional DPoP header(s). */
export function request(token: string, scheme: string, proofs: string[] = [], init: RequestInit = {}, url = URL_) {
  const headers = new Headers({ authorization: `${scheme} ${token}` });
  for (const p of proofs) headers.append("dpop", p);
  return new Request(url, { ...init, headers });
}
