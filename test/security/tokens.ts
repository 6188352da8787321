/**
 * Token minting for the security suite: keys, base64url, and tokens made with jose's SignJWT or by
 * hand from exact header and payload JSON text (so duplicates, 1e400 and whitespace survive).
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from "jose";

/** The one trusted issuer (note the trailing slash: `https://idp.example` is another issuer). */
export const ISSUER = "https://idp.example/";
/** Where the in-memory JWKS is served. */
export const JWKS_URI = "https://idp.example/jwks.json";
/** The issuer's OIDC discovery document (used with `discovery: true`). */
export const DISCOVERY_URI = "https://idp.example/.well-known/openid-configuration";
/** The configured audience. */
export const AUDIENCE = "api";
/** The injected clock starts here (whole seconds, so second boundaries are exact). */
export const NOW_S = 1_800_000_000;
/** The configured clock tolerance, seconds. */
export const TOLERANCE_S = 30;
/** The protected URL requests go to. */
export const URL_BASE = "https://api.example/orders/1";

const enc = new TextEncoder();

/** base64url without padding, of bytes or of a UTF-8 string. */
export function b64url(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? enc.encode(input) : input;
  return Buffer.from(bytes).toString("base64url");
}

/** A key pair with its public JWK as the JWKS publishes it. */
export interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Public JWK with kid, alg and use. */
  jwk: JWK;
}

/** A fresh key pair whose public JWK carries `kid`, `alg` and `use: "sig"`. */
export async function makeKey(alg: "RS256" | "ES256", kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicKey, jwk };
}

let shared: Promise<{ rsa: SigningKey; ec: SigningKey }> | undefined;
/** One RSA and one EC key for the whole file (key generation is the slow part). */
export function testKeys(): Promise<{ rsa: SigningKey; ec: SigningKey }> {
  shared ??= (async () => ({ rsa: await makeKey("RS256", "rsa-1"), ec: await makeKey("ES256", "ec-1") }))();
  return shared;
}

/** Signs `data` with a private CryptoKey (RS/PS/ES) or an HMAC secret, as JWS wants it (ECDSA is raw r||s). */
export async function signBytes(
  alg: string,
  key: CryptoKey | Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  const hash = `SHA-${alg.slice(2)}`;
  if (key instanceof Uint8Array) {
    const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", hmac, data));
  }
  const params = alg.startsWith("ES")
    ? { name: "ECDSA", hash }
    : alg.startsWith("PS")
      ? { name: "RSA-PSS", saltLength: Number(alg.slice(2)) / 8 }
      : { name: "RSASSA-PKCS1-v1_5" };
  return new Uint8Array(await crypto.subtle.sign(params, key, data));
}

/**
 * A token from hand-written header and payload JSON text (kept byte for byte: duplicates, 1e400,
 * whitespace survive). Signed with `key` under `alg` when given, else the signature is `signature`.
 */
export async function rawToken(
  headerJson: string,
  payloadJson: string,
  sign?: { alg: string; key: CryptoKey | Uint8Array<ArrayBuffer> } | { signature: string },
): Promise<string> {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  if (!sign) return `${input}.`;
  if ("signature" in sign) return `${input}.${sign.signature}`;
  return `${input}.${b64url(await signBytes(sign.alg, sign.key, enc.encode(input)))}`;
}

/** The default claims of a good token at NOW_S. */
export function goodClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, sub: "alice", iat: NOW_S, exp: NOW_S + 600, ...extra };
}

/** A token signed by `key` with jose's SignJWT; claims set to `undefined` are left out. */
export async function jwt(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = Object.fromEntries(Object.entries(goodClaims(claims)).filter(([, v]) => v !== undefined));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header } as never)
    .sign(key.privateKey);
}

/** Same, but header and payload serialised by us (JSON.stringify), so any value type can go in. */
export async function jsonToken(
  key: SigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return rawToken(JSON.stringify({ alg: key.alg, kid: key.kid, typ: "JWT", ...header }), JSON.stringify(claims), {
    alg: key.alg,
    key: key.privateKey,
  });
}
