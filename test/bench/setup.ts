/**
 * Bench fixtures: one key per algorithm, one JWKS holding all three, pre-minted distinct tokens (so no
 * token cache can hit), an in-memory counting JWKS fetch, a silent logger and the core's configuration.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { configFromEnv, type AuthorizerConfig, type Logger } from "../../src/index.js";

export const ALGS = ["RS256", "ES256", "EdDSA"] as const;
export type BenchAlg = (typeof ALGS)[number];

export const ISSUER = "https://issuer.bench.example/";
export const AUDIENCE = "api";
export const JWKS_URI = "https://issuer.bench.example/.well-known/jwks.json";

export interface BenchKey {
  alg: BenchAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Public JWK with `kid`, `alg`, `use`. */
  jwk: JWK;
  /** SPKI PEM of the public key (fast-jwt). */
  pem: string;
}

/** One minted token, with its signing input and signature pre-decoded for the raw-primitive rows. */
export interface BenchToken {
  token: string;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

/** A fresh key pair for `alg`. */
export function makeKey(alg: BenchAlg): BenchKey {
  const pair =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : alg === "ES256"
        ? generateKeyPairSync("ec", { namedCurve: "P-256" })
        : generateKeyPairSync("ed25519");
  const kid = `bench-${alg.toLowerCase()}`;
  const jwk = { ...(pair.publicKey.export({ format: "jwk" }) as JWK), kid, alg, use: "sig" };
  const pem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
  return { alg, kid, privateKey: pair.privateKey, publicKey: pair.publicKey, jwk, pem };
}

const b64 = (data: string | Uint8Array) => Buffer.from(data).toString("base64url");

/** Signs a compact JWS with node:crypto (RS256, ES256 as raw r||s, EdDSA). */
export function mint(
  key: BenchKey,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): BenchToken {
  const input = `${b64(JSON.stringify({ alg: key.alg, typ: "JWT", kid: key.kid, ...header }))}.${b64(JSON.stringify(payload))}`;
  const data = Buffer.from(input);
  const signature =
    key.alg === "RS256"
      ? sign("sha256", data, key.privateKey)
      : key.alg === "ES256"
        ? sign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" })
        : sign(null, data, key.privateKey);
  return {
    token: `${input}.${b64(signature)}`,
    signingInput: new Uint8Array(data),
    signature: new Uint8Array(signature),
  };
}

/** A realistic access-token payload; `i` makes every token distinct. */
export function claimsFor(i: number, nowSec = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: `user-${i}`,
    iat: nowSec,
    exp: nowSec + 3600,
    jti: `bench-${i}-${Math.random().toString(36).slice(2, 10)}`,
    scope: "read write",
    email: `user${i}@example.com`,
    roles: ["reader"],
  };
}

/** `count` distinct valid tokens signed by `key`. */
export function mintMany(key: BenchKey, count: number): BenchToken[] {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => mint(key, claimsFor(i, now)));
}

/** A JWKS fetch served from memory that counts its calls; `delayTurns` macrotask turns before answering. */
export function inMemoryJwksFetch(jwks: { keys: JWK[] }, delayTurns = 0): typeof fetch & { calls: number } {
  const body = JSON.stringify(jwks);
  const f = (async () => {
    f.calls++;
    for (let i = 0; i < delayTurns; i++) await new Promise((resolve) => setImmediate(resolve));
    return new Response(body, {
      status: 200,
      headers: { "content-type": "application/json", "cache-control": "max-age=3600" },
    });
  }) as unknown as typeof fetch & { calls: number };
  f.calls = 0;
  return f;
}

/** A logger that drops every line but counts them (the flood would otherwise print 10,000 refusals). */
export function silentLogger(): Logger & { lines: number } {
  const logger = {
    lines: 0,
    debug: () => void logger.lines++,
    info: () => void logger.lines++,
    warn: () => void logger.lines++,
    error: () => void logger.lines++,
  };
  return logger;
}

/** The core's configuration for the bench issuer: every bench algorithm allowed, `tokens` cache entries. */
export function benchConfig(
  tokens: number,
  extra: Record<string, unknown> = {},
  env: Record<string, string> = {},
): AuthorizerConfig {
  return configFromEnv({
    ...env,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_JWKS_URI: JWKS_URI,
    JWT_ALGORITHMS: ALGS.join(","),
    JWT_CONFIG: { cache: { tokens }, ...extra },
  });
}

/** Everything the Node-side rows share. */
export interface Fixtures {
  keys: Record<BenchAlg, BenchKey>;
  jwks: { keys: JWK[] };
  tokens: Record<BenchAlg, BenchToken[]>;
}

/** Keys for every algorithm and `perAlg` distinct tokens each. */
export function makeFixtures(perAlg: number): Fixtures {
  const keys = Object.fromEntries(ALGS.map((alg) => [alg, makeKey(alg)])) as Record<BenchAlg, BenchKey>;
  const tokens = Object.fromEntries(ALGS.map((alg) => [alg, mintMany(keys[alg], perAlg)])) as Record<
    BenchAlg,
    BenchToken[]
  >;
  return { keys, jwks: { keys: ALGS.map((alg) => keys[alg].jwk) }, tokens };
}
