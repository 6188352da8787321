/**
 * Sender-constrained tokens: which binding a verified token carries (`cnf.jkt` for DPoP,
 * `cnf["x5t#S256"]` for a client certificate) and whether the request proves it, after the token
 * itself was verified. RFC 9449 section 7: a bound token sent as Bearer is refused; an issuer with
 * `dpop: "required"` accepts no Bearer token at all.
 * @module
 */
import type { IssuerConfig } from "../config/schema.js";
import type { SignatureVerifier, WaitUntil } from "../deps.js";
import { fail } from "../errors.js";
import type { Claims } from "../jwt/claims.js";
import { isPlainObject } from "../encoding/strict-json.js";
import { checkProof, DPOP_ALGORITHMS } from "./dpop.js";
import { checkCertificate } from "./mtls.js";
import type { ReplayStore } from "./replay-store.js";

/** What the platform knows about the connection, handed over by the adapter. */
export interface RequestContext {
  /** RFC 8705 thumbprint (base64url SHA-256 of the DER) of the client certificate presented. */
  clientCertThumbprint?: string;
  /**
   * Keeps work alive after the answer (a Worker's `ctx.waitUntil`, Vercel's `waitUntil`): a key
   * refresh this request starts in the background is handed to it.
   */
  waitUntil?: WaitUntil;
}

export interface BindingInput {
  claims: Claims;
  issuer: IssuerConfig;
  /** The scheme the token came with (`dpop` only from `Authorization: DPoP`). */
  scheme: "bearer" | "dpop";
  token: string;
  request: Request;
  url: URL;
  context: RequestContext;
}

/** The sender-constraint checks of one authorizer. */
export class BindingCheck {
  constructor(
    private readonly replay: ReplayStore,
    private readonly now: () => number,
    private readonly verifySignature?: SignatureVerifier,
  ) {}

  /**
   * Returns (or resolves) when the request proves what the token is bound to; throws (or rejects with)
   * an `AuthError` otherwise. A Bearer token is judged synchronously: only a DPoP proof returns a promise.
   */
  check(input: BindingInput): void | Promise<void> {
    const { claims, issuer, scheme } = input;
    const cnf = isPlainObject(claims.cnf) ? claims.cnf : undefined;
    if (claims.cnf !== undefined && !cnf) throw fail("claim_invalid", "cnf");
    if (cnf && "x5t#S256" in cnf) checkCertificate(cnf["x5t#S256"], input.context.clientCertThumbprint);
    const jkt = cnf?.jkt;
    if (jkt !== undefined && typeof jkt !== "string") throw fail("claim_invalid", "cnf.jkt");
    if (scheme === "bearer") {
      if (jkt !== undefined) throw fail("dpop_required", "bound token as Bearer");
      if (issuer.dpop === "required") throw fail("dpop_required", "issuer requires DPoP");
      return;
    }
    if (jkt === undefined) throw fail("dpop_invalid", "token not bound to a key");
    const proof = input.request.headers.get("dpop");
    if (proof === null) throw fail("dpop_invalid", "no proof");
    // Two DPoP headers arrive joined by ", "; a compact JWS has neither.
    if (/[,\s]/.test(proof)) throw fail("dpop_invalid", "several proofs");
    return checkProof({
      proof,
      method: input.request.method,
      url: input.url,
      token: input.token,
      jkt,
      now: this.now(),
      clockTolerance: issuer.clockTolerance,
      replay: this.replay,
      ...(this.verifySignature ? { verifySignature: this.verifySignature } : {}),
    });
  }
}

/**
 * The `DPoP` challenge of a refusal, if it gets one: for a refusal about DPoP, for a request that used
 * the DPoP scheme, and for every refusal when an issuer requires DPoP. The error goes in the `DPoP`
 * challenge when the refusal is about DPoP or the request used it.
 */
export function dpopChallenge(
  code: string,
  scheme: BindingInput["scheme"] | undefined,
  issuers: readonly IssuerConfig[],
): { algs: readonly string[]; error: boolean } | undefined {
  const about = code === "dpop_invalid" || code === "dpop_required" || scheme === "dpop";
  if (!about && !issuers.some((i) => i.dpop === "required")) return undefined;
  return { algs: DPOP_ALGORITHMS, error: about && code !== "token_missing" };
}
