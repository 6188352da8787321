/**
 * Minting the signed identity assertion (`x-auth-assertion`): a short-lived JWS over the identity of a
 * request allowed with a verified token, bound to the method and URL the origin receives, with a `jti`,
 * so an origin reachable without the authorizer can still prove a request came through it.
 * @module
 */
import type { Allowed } from "../decision.js";
import { encodeBase64url } from "../encoding/base64url.js";
import { algorithm } from "../jwt/algorithms.js";
import { importJwk, signatureParams } from "../jwt/webcrypto.js";
import type { AssertionKeys } from "./keys.js";

/** The header the assertion travels in (an inbound one is stripped like every `x-auth-*`). */
export const ASSERTION_HEADER = "x-auth-assertion";
/** The JWS `typ` of an assertion, so no other token can pass as one. */
export const ASSERTION_TYP = "edge-jwt-assertion+jwt";
/** Where the Worker serves the public keys. */
export const ASSERTION_JWKS_PATH = "/.well-known/edge-jwt/jwks.json";

/** The `identity.assertion` settings, with the keys from `JWT_ASSERTION_KEY`. */
export interface AssertionSettings {
  /** `iss` of every assertion (default `edge-jwt-authorizer`). */
  issuer: string;
  /** `aud`; default the origin of the URL the request is forwarded to. */
  audience?: string;
  /** Lifetime in seconds (10 to 300, default 60). */
  ttl: number;
  keys: AssertionKeys;
}

/** Signs assertions with the first key of the set; the key is imported once. */
export class AssertionMinter {
  private key?: Promise<CryptoKey>;

  constructor(
    private readonly settings: AssertionSettings,
    private readonly now: () => number,
  ) {}

  /**
   * The assertion for an allowed request, or `undefined` when the request passed without a verified
   * token (public, anonymous, preflight, report-only): those carry none.
   *
   * @example
   * ```ts
   * const assertion = await minter.mint(decision, "GET", "https://origin.example/orders/1?x=1");
   * ```
   */
  async mint(decision: Allowed, method: string, url: string): Promise<string | undefined> {
    if (decision.reason !== "token" || !decision.claims) return undefined;
    const { signing, alg } = this.settings.keys;
    this.key ??= importJwk(signing, alg, "sign");
    const target = new URL(url);
    const iat = Math.floor(this.now() / 1000);
    const payload = {
      iss: this.settings.issuer,
      aud: this.settings.audience ?? target.origin,
      ...(decision.subject !== undefined ? { sub: decision.subject } : {}),
      iat,
      exp: iat + this.settings.ttl,
      jti: crypto.randomUUID(),
      htm: method.toUpperCase(),
      htu: `${target.origin}${target.pathname}`,
      token_iss: decision.issuer,
      claims: decision.claims,
    };
    const header = { alg, kid: signing.kid, typ: ASSERTION_TYP };
    return signCompact(header, payload, alg, await this.key);
  }
}

/**
 * A compact JWS (RFC 7515 7.1) over JSON `header` and `payload`. Web Crypto's ECDSA signature is
 * already the JWS form (r||s), and Ed25519's is the raw 64 bytes.
 */
async function signCompact(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  alg: AssertionKeys["alg"],
  key: CryptoKey,
): Promise<string> {
  const input = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}`;
  const data = new TextEncoder().encode(input);
  const signature = await crypto.subtle.sign(signatureParams(algorithm(alg)!), key, data);
  return `${input}.${encodeBase64url(new Uint8Array(signature))}`;
}
