/**
 * DPoP proofs (RFC 9449 section 4.3), every check: size, compact syntax (strict base64url and JSON),
 * `typ` `dpop+jwt`, an asymmetric `alg` from the allow-list, a public `jwk` only, the signature, `htm`,
 * `htu` (scheme, host and path; query and fragment ignored), the `iat` window, `ath`, the key's
 * thumbprint against the token's `cnf.jkt`, and last the `jti` (never seen before within the window).
 * @module
 */
import type { JWK } from "jose";
import type { SignatureVerifier } from "../deps.js";
import { AuthError, fail } from "../errors.js";
import { DPOP_PROOF_WINDOW, MAX_DPOP_JTI_CHARS, MAX_DPOP_PROOF_BYTES } from "../limits.js";
import { decodeBase64urlText, isCanonicalBase64url, sha256Base64url } from "../encoding/base64url.js";
import { isPlainObject, parseStrictJson } from "../encoding/strict-json.js";
import { DEFAULT_ALGORITHMS } from "../jwt/algorithms.js";
import { decodeCheckedJsonSegment, type ParsedJws } from "../jwt/compact.js";
import { verifyParsed } from "../jwt/signature.js";
import { webCryptoVerify } from "../jwt/webcrypto.js";
import { checkJwk, jwkThumbprint } from "../keys/checks.js";
import type { ReplayStore } from "./replay-store.js";
import { sameText } from "./mtls.js";

/** Proof algorithms: the asymmetric ones of the algorithm table, never `none` or HMAC. */
export const DPOP_ALGORITHMS: readonly string[] = DEFAULT_ALGORITHMS;

/** Members a private or symmetric JWK has and a proof's public key must not. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export interface ProofContext {
  /** The `DPoP` header, as received (several headers arrive joined by `, `). */
  proof: string;
  method: string;
  url: URL;
  /** The access token, as sent after `DPoP `. */
  token: string;
  /** The token's `cnf.jkt`. */
  jkt: string;
  /** Epoch milliseconds. */
  now: number;
  /** Seconds of leeway (the issuer's). */
  clockTolerance: number;
  replay: ReplayStore;
  verifySignature?: SignatureVerifier;
}

const invalid = (detail: string) => fail("dpop_invalid", detail);

/**
 * Checks one proof for one request and its token; resolves, or rejects with `dpop_invalid`.
 *
 * @example
 * ```ts
 * const jkt = claims.cnf.jkt;
 * await checkProof({ proof, method: "GET", url, token, jkt, now: Date.now(), clockTolerance: 30, replay });
 * ```
 */
export async function checkProof(ctx: ProofContext): Promise<void> {
  if (ctx.proof.length > MAX_DPOP_PROOF_BYTES) throw invalid("proof too large");
  const jws = parseProof(ctx.proof);
  const jwk = jws.header.jwk as JWK;
  try {
    const verified = verifyParsed(jws, jwk, ctx.verifySignature ?? webCryptoVerify);
    if (verified) await verified;
  } catch (e) {
    throw e instanceof AuthError ? invalid(e.code) : e;
  }
  const claims = decodeCheckedJsonSegment(jws.payload);
  if (!isPlainObject(claims)) throw invalid("payload");
  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_DPOP_JTI_CHARS) throw invalid("jti");
  if (htm !== ctx.method) throw invalid("htm");
  if (typeof htu !== "string" || !sameTarget(htu, ctx.url)) throw invalid("htu");
  const now = Math.floor(ctx.now / 1000);
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw invalid("iat");
  if (iat > now + ctx.clockTolerance || iat < now - DPOP_PROOF_WINDOW - ctx.clockTolerance) throw invalid("iat window");
  if (typeof ath !== "string" || !sameText(ath, await sha256(ctx.token))) throw invalid("ath");
  const thumbprint = await jwkThumbprint(jwk);
  if (!sameText(thumbprint, ctx.jkt)) throw invalid("jkt");
  // Last: only a proof that passed everything, signed by the bound key, takes a place in the store.
  const expiresAt = (iat + DPOP_PROOF_WINDOW + 2 * ctx.clockTolerance) * 1000;
  let replayed: boolean;
  try {
    replayed = await ctx.replay.seen(`${thumbprint}|${jti}`, expiresAt);
  } catch {
    throw invalid("replay store unavailable");
  }
  if (replayed) throw invalid("replayed");
}

/** Compact JWS with a `jwk` header, parsed strictly: three canonical base64url segments, strict JSON. */
function parseProof(proof: string): ParsedJws {
  const first = proof.indexOf(".");
  const second = first < 1 ? -1 : proof.indexOf(".", first + 1);
  if (second < 0 || proof.indexOf(".", second + 1) !== -1) throw invalid("syntax");
  const payload = proof.slice(first + 1, second);
  const signature = proof.slice(second + 1);
  if (!isCanonicalBase64url(payload) || !isCanonicalBase64url(signature)) throw invalid("syntax");
  const text = decodeBase64urlText(proof.slice(0, first));
  const header = text === undefined ? undefined : parseStrictJson(text);
  if (!isPlainObject(header) || typeof header.alg !== "string") throw invalid("header");
  if (header.typ !== "dpop+jwt") throw invalid("typ");
  if (!DPOP_ALGORITHMS.includes(header.alg)) throw invalid("alg");
  if ("crit" in header || "b64" in header || "jku" in header || "x5u" in header || "x5c" in header)
    throw invalid("header member");
  const jwk = header.jwk;
  if (!isPlainObject(jwk) || PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalid("jwk");
  if (!checkJwk(jwk as JWK, header.alg).ok) throw invalid("jwk");
  return { header: header as ParsedJws["header"], payload, signature, signingInput: proof.slice(0, second) };
}

/** RFC 9449 4.3: the URIs compared without query and fragment, after scheme-based normalization. */
function sameTarget(htu: string, url: URL): boolean {
  let proofUrl: URL;
  try {
    proofUrl = new URL(htu);
  } catch {
    return false;
  }
  const target = (u: URL) => `${u.protocol}//${u.host}${u.pathname}`;
  return target(proofUrl) === target(url);
}

/** base64url(SHA-256(text)), as `ath` carries it. */
const sha256 = (text: string): Promise<string> => sha256Base64url(text);
