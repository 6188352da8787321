/**
 * Many issuers, many keys: `authorize(request)` with 100 issuers configured (plain ones and tenant
 * templates) against 1, and with a JWKS of 1,000 keys against 1 key. Each pair runs in interleaved
 * rounds, on the same token repeated (a distinct `Request` object every call) and on fresh tokens (the
 * token cache holds half as many entries as there are tokens, so it never hits). The figure is the cost
 * ratio: how many times longer a request takes with many than with one.
 */
import type { JWK } from "jose";
import { configFromEnv, createAuthorizer, type Authorizer, type SignatureVerifier } from "../../../src/index.js";
import { compare, pairedRatio, round, sequential, type Measured, type Plan } from "../measure.js";
import { ALGS, AUDIENCE, inMemoryJwksFetch, ISSUER, JWKS_URI, silentLogger, type Fixtures } from "../setup.js";

export const ISSUER_COUNT = 100;
export const KEY_COUNT = 1000;
/** Templates among the 100 issuers (the rest are plain issuers, the bench issuer last). */
const TEMPLATES = 10;

/** One pair: the same work with one issuer (or key) and with many. */
export interface ScalePair {
  one: Measured;
  many: Measured;
  /** Time per request with many over time with one (median of per-round ratios). */
  cost: number;
}

export interface KeysScale {
  issuers: { count: number; sameToken: ScalePair; freshTokens: ScalePair };
  keys: { count: number; sameToken: ScalePair; freshTokens: ScalePair };
}

/** `count` issuer entries: templates, then plain issuers, the bench issuer (with the bench JWKS) last. */
function issuerEntries(count: number): Record<string, unknown>[] {
  const others = Array.from({ length: count - 1 }, (_, i) =>
    i < TEMPLATES && count > 1
      ? {
          issuer: `https://login-${i}.bench.example/{tenant}/v2.0`,
          tenants: Array.from({ length: 50 }, (_, t) => `tenant-${t}`),
          jwksUri: `https://login-${i}.bench.example/keys`,
        }
      : { issuer: `https://issuer-${i}.bench.example/`, jwksUri: `https://issuer-${i}.bench.example/keys` },
  );
  return [...others, { issuer: ISSUER, jwksUri: JWKS_URI }];
}

/** A warmed authorizer with `issuers` entries and `jwks` served at every JWKS URL. */
async function scaled(
  issuers: number,
  jwks: { keys: JWK[] },
  cacheTokens: number,
  verifySignature?: SignatureVerifier,
): Promise<Authorizer> {
  const config = configFromEnv({
    JWT_AUDIENCE: AUDIENCE,
    JWT_ALGORITHMS: ALGS.join(","),
    JWT_CONFIG: {
      issuers: issuerEntries(issuers),
      cache: { tokens: cacheTokens, jwks: { maxBytes: 4 * 1024 * 1024 } },
    },
  });
  const authorizer = createAuthorizer(config, {
    fetch: inMemoryJwksFetch(jwks),
    logger: silentLogger(),
    ...(verifySignature ? { verifySignature } : {}),
  });
  await authorizer.warmUp();
  return authorizer;
}

const request = (token: string) =>
  new Request("https://api.example.com/orders/42", { headers: { authorization: `Bearer ${token}` } });

/** Times `one` against `many` on the same token (fresh Request objects) and on fresh tokens. */
async function pair(
  fx: Fixtures,
  plan: Plan,
  build: (cacheTokens: number) => Promise<[Authorizer, Authorizer]>,
): Promise<{ sameToken: ScalePair; freshTokens: ScalePair }> {
  const tokens = fx.tokens.ES256;
  const same = tokens.map(() => request(tokens[0]!.token));
  const fresh = tokens.map((t) => request(t.token));
  const at = (list: Request[], i: number) => list[i % list.length]!;
  const run = async (requests: Request[], cacheTokens: number): Promise<ScalePair> => {
    const [one, many] = await build(cacheTokens);
    for (const a of [one, many])
      if (!(await a.authorize(requests[0]!)).ok) throw new Error("authorize() refused the bench token");
    const rows = await compare(
      [
        { name: "one", batch: sequential((i) => one.authorize(at(requests, i))) },
        { name: "many", batch: sequential((i) => many.authorize(at(requests, i))) },
      ],
      plan,
    );
    return { one: rows.one!, many: rows.many!, cost: round(pairedRatio(rows.one!, rows.many!), 2) };
  };
  return {
    sameToken: await run(same, 10_000),
    freshTokens: await run(fresh, Math.max(1, Math.floor(tokens.length / 2))),
  };
}

/** 1 vs 100 issuers and 1 vs 1,000 keys, ES256. */
export async function keysScale(fx: Fixtures, plan: Plan, nodeVerifier?: SignatureVerifier): Promise<KeysScale> {
  const key = fx.keys.ES256.jwk;
  const oneKey = { keys: [key] };
  // Distinct kids on copies of one public key: selection is what is measured, not key material.
  const manyKeys = { keys: [...Array.from({ length: KEY_COUNT - 1 }, (_, i) => ({ ...key, kid: `other-${i}` })), key] };
  const issuers = await pair(fx, plan, async (tokens) => [
    await scaled(1, oneKey, tokens, nodeVerifier),
    await scaled(ISSUER_COUNT, oneKey, tokens, nodeVerifier),
  ]);
  const keys = await pair(fx, plan, async (tokens) => [
    await scaled(1, oneKey, tokens, nodeVerifier),
    await scaled(1, manyKeys, tokens, nodeVerifier),
  ]);
  return { issuers: { count: ISSUER_COUNT, ...issuers }, keys: { count: KEY_COUNT, ...keys } };
}
