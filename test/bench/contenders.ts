/**
 * The libraries we measure against, set up with keys cached and no network: raw node:crypto and
 * crypto.subtle, jose with a local JWKS, aws-jwt-verify hydrated with cacheJwks, fast-jwt with its
 * token cache, and a Hono app behind hono/jwk. Plus the optional pieces other helpers build
 * (the node:crypto `SignatureVerifier`, the Hono middleware), loaded when present.
 */
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { createLocalJWKSet, jwtVerify } from "jose";
import { JwtVerifier } from "aws-jwt-verify";
import { createVerifier } from "fast-jwt";
import { Hono } from "hono";
import { jwk as honoJwk } from "hono/jwk";
import type { MiddlewareHandler } from "hono";
import type { Authorizer, SignatureVerifier } from "../../src/index.js";
import { AUDIENCE, ISSUER, JWKS_URI, type BenchAlg, type BenchKey, type BenchToken, type Fixtures } from "./setup.js";

/** A raw node:crypto.verify on the pre-decoded signing input and signature, KeyObject cached. */
export function rawNode(key: BenchKey): (t: BenchToken) => boolean {
  const keyObject = createPublicKey({ key: key.jwk as never, format: "jwk" });
  if (key.alg === "RS256") return (t) => nodeVerify("sha256", t.signingInput, keyObject, t.signature);
  if (key.alg === "ES256") {
    const k = { key: keyObject, dsaEncoding: "ieee-p1363" as const };
    return (t) => nodeVerify("sha256", t.signingInput, k, t.signature);
  }
  return (t) => nodeVerify(null, t.signingInput, keyObject, t.signature);
}

const SUBTLE: Record<
  BenchAlg,
  { import: RsaHashedImportParams | EcKeyImportParams | Algorithm; verify: Algorithm | EcdsaParams }
> = {
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams },
  EdDSA: { import: { name: "Ed25519" }, verify: { name: "Ed25519" } },
};

/** A raw crypto.subtle.verify, CryptoKey imported once. */
export async function rawSubtle(key: BenchKey): Promise<(t: BenchToken) => Promise<boolean>> {
  const { alg: _alg, kid: _kid, use: _use, ...jwk } = key.jwk;
  const p = SUBTLE[key.alg];
  const cryptoKey = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, p.import, false, ["verify"]);
  return (t) => crypto.subtle.verify(p.verify, cryptoKey, t.signature as BufferSource, t.signingInput as BufferSource);
}

/** jose's jwtVerify with a local (cached) JWKS. */
export function joseVerify(fx: Fixtures, alg: BenchAlg): (token: string) => Promise<unknown> {
  const jwks = createLocalJWKSet(fx.jwks);
  const options = { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg] };
  return async (token) => (await jwtVerify(token, jwks, options)).payload;
}

/** aws-jwt-verify's JwtVerifier, JWKS hydrated with cacheJwks (no network). */
export function awsVerify(fx: Fixtures): (token: string) => Promise<unknown> {
  const verifier = JwtVerifier.create({ issuer: ISSUER, audience: AUDIENCE, jwksUri: JWKS_URI });
  verifier.cacheJwks(fx.jwks as never);
  return (token) => verifier.verify(token);
}

/** fast-jwt's verifier with its token cache on. */
export function fastJwtCached(key: BenchKey): (token: string) => unknown {
  return createVerifier({ key: key.pem, algorithms: [key.alg], cache: true, allowedIss: ISSUER, allowedAud: AUDIENCE });
}

/** `app.request()` on a Hono app; `auth` guards `/api/*` (none: the bare framework). */
export function honoApp(auth?: MiddlewareHandler): (token: string) => Promise<Response> {
  const app = new Hono();
  if (auth) app.use("/api/*", auth);
  app.get("/api/me", (c) => c.text("ok"));
  return async (token) => app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
}

/** hono/jwk with the public key given as `keys`. */
export function honoJwkApp(key: BenchKey): (token: string) => Promise<Response> {
  return honoApp(honoJwk({ keys: [key.jwk as never], alg: [key.alg], verification: { iss: ISSUER, aud: AUDIENCE } }));
}

/** Why a row could not be measured. */
export const NOT_BUILT = "n/a (not built yet)";

/** adapters/node/verify.ts's verifier, or undefined when it is not there yet. */
export async function loadNodeVerifier(): Promise<SignatureVerifier | undefined> {
  try {
    return (await import("../../adapters/node/verify.js")).nodeVerifySignature;
  } catch {
    return undefined;
  }
}

/** The Hono middleware of adapters/hono, or undefined when it is not there yet. */
export async function loadHonoMiddleware(): Promise<((authorizer: Authorizer) => MiddlewareHandler) | undefined> {
  try {
    const { jwtAuthorizer } = await import("../../adapters/hono/index.js");
    return (authorizer) => jwtAuthorizer({ authorizer }) as unknown as MiddlewareHandler;
  } catch {
    return undefined;
  }
}
