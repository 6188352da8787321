/**
 * Everything a host can inject into the core (`fetch`, the clock, a key store, a logger, a signature
 * verifier, a revocation store, a rate limiter) and the defaults: the console logger (nothing below `warn`, one JSON line each) and a
 * silent one. Log fields never hold a token or a secret.
 * @module
 */
import type { JWK, JSONWebKeySet } from "jose";
import type { RevocationStore } from "./revocation/store.js";
import type { RateLimiter } from "./revocation/rate-limit.js";

/** A JWKS as fetched, with when it was fetched and until when it is fresh (epoch ms). */
export interface StoredJwks {
  jwks: JSONWebKeySet;
  fetchedAt: number;
  freshUntil: number;
  /** Where it came from (the discovered `jwks_uri` when the entry is keyed by issuer). */
  jwksUri?: string;
}

/**
 * A cache of JWKS documents that can outlive the process or isolate (the Worker adapter puts it on
 * the Cache API or KV). Keyed by the configured JWKS URL or, when keys are discovered, by the issuer
 * URL (always an absolute URL). Errors thrown by a store are logged and otherwise ignored.
 */
export interface KeyStore {
  get(id: string): Promise<StoredJwks | undefined>;
  put(id: string, value: StoredJwks): Promise<void>;
}

export type LogFields = Record<string, string | number | boolean | undefined>;

/** What the core logs through. Powertools' Logger and `console` both fit. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Verifies one signature. The default uses Web Crypto; Node adapters may inject `node:crypto` for speed.
 * `key` is a public JWK that already passed the key checks; `alg` is the token's (allowed) `alg`.
 * `signingInput` is the ASCII text `<header>.<payload>` and `signature` the signature segment, already
 * checked to be canonical base64url, so a host can decode both natively.
 */
export type SignatureVerifier = (
  alg: string,
  key: JWK,
  signingInput: string,
  signature: string,
) => Promise<boolean> | boolean;

export interface Deps {
  fetch?: typeof fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  keyStore?: KeyStore;
  logger?: Logger;
  verifySignature?: SignatureVerifier;
  /** Revocations kept outside the list (Worker: `JWT_REVOCATION_KV`), asked about every verified token. */
  revocationStore?: RevocationStore;
  /** Per-subject limiter, asked with `<iss>|<sub>` for every verified token; over the limit: 429. */
  rateLimit?: RateLimiter;
}

const line = (level: string, message: string, fields?: LogFields) => JSON.stringify({ level, message, ...fields });

/** The default logger: warnings and errors as JSON lines on the console. */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, fields) => console.warn(line("warn", message, fields)),
  error: (message, fields) => console.error(line("error", message, fields)),
};

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
