/**
 * The origin's side: `createOriginVerifier` checks the `x-auth-assertion` of a request it received
 * against the authorizer's public keys: signature, `typ`, `iss`, `aud`, `exp` (at most five minutes
 * after `iat`), that `htm` and `htu` name this very request, and that no `jti` comes twice while it
 * is unexpired. The identity comes from the assertion, never from the plain `x-auth-*` headers.
 * @module
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWK, type JWTPayload } from "jose";
import { ConfigError } from "../errors.js";
import { ASSERTION_REPLAY_ENTRIES, ASSERTION_MAX_TTL } from "../limits.js";
import { ASSERTION_HEADER, ASSERTION_TYP } from "./mint.js";
import { isPlainObject } from "../encoding/strict-json.js";

/** Where the origin gets the authorizer's public keys and what it expects. */
export interface OriginVerifierOptions {
  /** The assertions' `iss` (default `edge-jwt-authorizer`). */
  issuer?: string;
  /** The origin's own identifier: the `aud` the authorizer was configured with (or its URL's origin). */
  audience: string;
  /** The public keys (`edge-jwt assertion-jwks`), or... */
  jwks?: { keys: JWK[] };
  /** ...where the authorizer serves them (`https://<worker>/.well-known/edge-jwt/jwks.json`). */
  jwksUri?: string;
  /** Seconds of leeway for `exp` and `iat` (default 5). */
  clockTolerance?: number;
  /** Epoch milliseconds (tests). */
  now?: () => number;
}

export type OriginCode =
  "assertion_missing" | "assertion_invalid" | "assertion_expired" | "assertion_mismatch" | "assertion_replayed";

export type OriginResult =
  | { ok: true; claims: Record<string, unknown>; subject?: string; assertion: JWTPayload }
  | { ok: false; status: 401; code: OriginCode };

/** What the verifier reads of a request: a standard `Request`, or the same three fields. */
export interface RequestLike {
  method: string;
  url: string;
  headers: { get(name: string): string | null };
}

export interface OriginVerifier {
  verify(request: RequestLike): Promise<OriginResult>;
}

const fail = (code: OriginCode): OriginResult => ({ ok: false, status: 401, code });

/**
 * Creates the verifier once per process; its key cache and replay memory live as long as it does
 * (replays are caught per process: run one verifier per origin instance and keep assertions short).
 *
 * @example
 * ```ts
 * const jwksUri = "https://edge.example/.well-known/edge-jwt/jwks.json";
 * const origin = createOriginVerifier({ audience: "https://origin.example", jwksUri });
 * const result = await origin.verify(request);
 * if (!result.ok) return new Response(null, { status: 401 });
 * ```
 */
export function createOriginVerifier(options: OriginVerifierOptions): OriginVerifier {
  if (typeof options.audience !== "string" || options.audience === "")
    throw new ConfigError("createOriginVerifier.audience", "is required: the aud the authorizer gives this origin");
  if (!options.jwks === !options.jwksUri)
    throw new ConfigError("createOriginVerifier.jwks", "give exactly one of jwks or jwksUri");
  const keys = options.jwks ? createLocalJWKSet(options.jwks) : createRemoteJWKSet(new URL(options.jwksUri!));
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const verifyOptions = {
    issuer: options.issuer ?? "edge-jwt-authorizer",
    audience: options.audience,
    typ: ASSERTION_TYP,
    algorithms: ["ES256", "EdDSA"],
    requiredClaims: ["exp", "iat", "jti", "htm", "htu"],
    maxTokenAge: ASSERTION_MAX_TTL,
    clockTolerance: options.clockTolerance ?? 5,
  };

  /** Remembers a jti until its exp; false when it was seen before. Bounded: the oldest go first. */
  function firstUse(jti: string, exp: number, nowS: number): boolean {
    if (seen.has(jti)) return false;
    if (seen.size >= ASSERTION_REPLAY_ENTRIES) {
      for (const [id, until] of seen) if (until < nowS || seen.size >= ASSERTION_REPLAY_ENTRIES) seen.delete(id);
    }
    seen.set(jti, exp);
    return true;
  }

  return {
    async verify(request) {
      const token = request.headers.get(ASSERTION_HEADER);
      if (token === null || token === "") return fail("assertion_missing");
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, { ...verifyOptions, currentDate: new Date(now()) }));
      } catch (e) {
        return fail(e instanceof errors.JWTExpired ? "assertion_expired" : "assertion_invalid");
      }
      const url = new URL(request.url);
      if (payload.htm !== request.method.toUpperCase() || payload.htu !== `${url.origin}${url.pathname}`)
        return fail("assertion_mismatch");
      if (typeof payload.jti !== "string" || !firstUse(payload.jti, payload.exp!, Math.floor(now() / 1000)))
        return fail("assertion_replayed");
      const claims = (isPlainObject(payload.claims) ? payload.claims : {}) as Record<string, unknown>;
      return {
        ok: true,
        claims,
        ...(typeof payload.sub === "string" ? { subject: payload.sub } : {}),
        assertion: payload,
      };
    },
  };
}
