/**
 * Everything a host can inject into the core (`fetch`, the clock, a key store, a logger, a signature
 * verifier, a revocation store, a rate limiter, decision and fetch hooks, a tracer) and the defaults:
 * the console logger (nothing below `warn`, one JSON line each) and a silent one. Log fields never
 * hold a token or a secret.
 * @module
 */
import type { JWK, JSONWebKeySet } from "jose";
import type { RevocationStore } from "./revocation/store.js";
import type { RateLimiter } from "./revocation/rate-limit.js";
import type { ReplayStore } from "./binding/replay-store.js";

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

/**
 * Keeps work alive after the answer is sent: a Worker's `ctx.waitUntil`, Vercel's `waitUntil`. The core
 * hands it the background JWKS refresh (a promise that never rejects).
 */
export type WaitUntil = (promise: Promise<unknown>) => void;

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
  /** DPoP proof `jti`s seen (Worker: a Durable Object); default in memory, bounded, per process or isolate. */
  replayStore?: ReplayStore;
  /** Per-subject limiter, asked with `<iss>|<sub>` for every verified token; over the limit: 429. */
  rateLimit?: RateLimiter;
  /** Called once per `authorize` with what was decided (never a token or a secret); errors are logged once. */
  onDecision?: (event: DecisionEvent) => void;
  /** Called once per discovery or JWKS fetch, whatever its outcome. */
  onJwksFetch?: (event: JwksFetchEvent) => void;
  /** When given, every `authorize` runs in a span named `jwt.authorize` (OpenTelemetry's Tracer fits). */
  tracer?: Tracer;
  /**
   * Where background key refreshes go when a call brings no `waitUntil` of its own (`authorize`'s
   * context has one per request); without either they simply run (fine on a long-lived process).
   */
  waitUntil?: WaitUntil;
  /** A monotonic clock in milliseconds for durations; default `performance.now`. */
  clock?: () => number;
  /**
   * A key (at least 32 characters) for `subHash` in decision events: HMAC-SHA-256 of the `sub`,
   * base64url. Without it, events carry nothing about the subject.
   */
  subjectHashKey?: string;
}

/**
 * One decision, as `onDecision` gets it.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { onDecision: (e) => console.log(e.allowed, e.code, e.durationMs) });
 * ```
 */
export interface DecisionEvent {
  allowed: boolean;
  /** The reason code of a refusal, or why it passed: `token`, `public`, `anonymous`, `preflight`, `report_only`. */
  code: string;
  /** 200 when allowed, else the refusal's status. */
  status: number;
  /** The token's issuer, once it was read (a configured issuer only). */
  iss?: string;
  /** The token header's `kid` (at most 64 characters). */
  kid?: string;
  /**
   * The path pattern of the rule that decided; absent when no rule matched (the default access applied)
   * or none was looked at (preflight). When several readings of the path fall under several rules: the
   * rule that refused, else the first of the strictest.
   */
  route?: string;
  method: string;
  durationMs: number;
  /** `hit`: answered by the verified-token cache; `miss`: verified afresh; `none`: no token was verified. */
  tokenCache: "hit" | "miss" | "none";
  /** Whether this request waited on a discovery or JWKS fetch. */
  jwksFetched: boolean;
  /** Report-only: the refusal that was not enforced. */
  would?: { status: number; code: string };
  /** HMAC-SHA-256 of `sub` (base64url), only when `subjectHashKey` is set. */
  subHash?: string;
}

/** One discovery or JWKS fetch, as `onJwksFetch` gets it. */
export interface JwksFetchEvent {
  /** The configured issuer the keys are for. */
  issuer: string;
  kind: "discovery" | "jwks";
  outcome: "ok" | "error" | "timeout";
  /** The HTTP status, when an answer came. */
  status?: number;
  durationMs: number;
  /** What went wrong (safe to log: no body, no secret). */
  error?: string;
}

/** A span as the core uses it: OpenTelemetry's `Span` fits. */
export interface TraceSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** A tracer as the core uses it: OpenTelemetry's `Tracer` fits (`startActiveSpan` is used when present). */
export interface Tracer {
  startSpan(name: string): TraceSpan;
  startActiveSpan?<T>(name: string, fn: (span: TraceSpan) => T): T;
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
