/**
 * The same token repeated: the core's verified-token cache against fast-jwt's (`cache: true`). Plus
 * the cache's behaviour, observed through a counting signature verifier: one signature check for a
 * repeated token, eviction at the entry bound, and no answer from the cache once `exp` has passed.
 */
import { createAuthorizer, AuthError, type SignatureVerifier } from "../../../src/index.js";
import { TOKEN_CACHE_ENTRIES } from "../../../src/limits.js";
import { webCryptoVerify } from "../../../src/jwt/webcrypto.js";
import { compare, sequential, type Measured, type Plan } from "../measure.js";
import {
  ALGS,
  benchConfig,
  inMemoryJwksFetch,
  mint,
  claimsFor,
  silentLogger,
  type BenchAlg,
  type Fixtures,
} from "../setup.js";
import { fastJwtCached } from "../contenders.js";
import { benchAuthorizer } from "./fresh.js";

export const REPEAT_ROW = { core: "core verify, token cache", fastJwt: "fast-jwt, cache: true" } as const;

/** Same-token rows for every algorithm (default cache size). */
export async function sameToken(fx: Fixtures, plan: Plan): Promise<Record<BenchAlg, Record<string, Measured>>> {
  const out = {} as Record<BenchAlg, Record<string, Measured>>;
  for (const alg of ALGS) {
    const token = fx.tokens[alg][0]!.token;
    const core = await benchAuthorizer(fx, TOKEN_CACHE_ENTRIES);
    const fast = fastJwtCached(fx.keys[alg]);
    if ((await core.verify(token)).sub !== "user-0" || (fast(token) as { sub?: string }).sub !== "user-0")
      throw new Error(`${alg}: same-token contenders failed their sanity check`);
    out[alg] = await compare(
      [
        { name: REPEAT_ROW.core, batch: sequential(() => core.verify(token)) },
        {
          name: REPEAT_ROW.fastJwt,
          batch: (_s, n) => {
            for (let i = 0; i < n; i++) fast(token);
          },
        },
      ],
      plan,
    );
  }
  return out;
}

export interface CacheBehaviour {
  /** Signature checks for 1,000 verifications of one token (expect 1). */
  repeatedTokenSignatureChecks: number;
  /** Entry bound used, distinct tokens verified, then the first `bound` verified again: signature checks (expect 3 × bound + bound). */
  bound: number;
  afterEvictionSignatureChecks: number;
  /** Reason code when the cached token is presented after exp + leeway (expect token_expired: the cache did not answer; the full path refused it). */
  afterExpiry: string;
  afterExpirySignatureChecks: number;
}

/** Observes the token cache with a counting verifier and an injected clock. */
export async function cacheBehaviour(fx: Fixtures): Promise<CacheBehaviour> {
  let checks = 0;
  const counting: SignatureVerifier = (...args) => (checks++, webCryptoVerify(...args));
  let nowMs = Date.now();
  const make = (tokens: number) =>
    createAuthorizer(benchConfig(tokens), {
      fetch: inMemoryJwksFetch(fx.jwks),
      logger: silentLogger(),
      verifySignature: counting,
      now: () => nowMs,
    });
  const key = fx.keys.EdDSA;

  const a = make(TOKEN_CACHE_ENTRIES);
  const one = fx.tokens.EdDSA[0]!.token;
  for (let i = 0; i < 1000; i++) await a.verify(one);
  const repeated = checks;

  const bound = 50;
  const b = make(bound);
  const distinct = Array.from({ length: 3 * bound }, (_, i) => mint(key, claimsFor(i)).token);
  checks = 0;
  for (const t of distinct) await b.verify(t);
  for (const t of distinct.slice(0, bound)) await b.verify(t);
  const afterEviction = checks;

  checks = 0;
  const exp = (JSON.parse(Buffer.from(one.split(".")[1]!, "base64url").toString()) as { exp: number }).exp;
  nowMs = (exp + a.config.issuers[0]!.clockTolerance + 1) * 1000;
  let afterExpiry = "accepted";
  await a.verify(one).catch((e: unknown) => (afterExpiry = e instanceof AuthError ? e.code : String(e)));
  const afterExpirySignatureChecks = checks;
  nowMs = Date.now();

  return {
    repeatedTokenSignatureChecks: repeated,
    bound,
    afterEvictionSignatureChecks: afterEviction,
    afterExpiry,
    afterExpirySignatureChecks,
  };
}
