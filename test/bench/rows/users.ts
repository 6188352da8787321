/**
 * `authorize(request)` as users call it: the package's root export as Node resolves it (the `node`
 * condition of `exports["."]`, so `dist/node-root.js`, node:crypto by default), with `Request`s built
 * before timing, one per token. Fresh tokens against raw node:crypto and against the same export's
 * `verify()`; one repeated token (a `Request` per call all the same) against `verify()` and fast-jwt's
 * cache. Every contender runs in the same interleaved rounds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compare, pairedRatio, round, sequential, type Measured, type Plan } from "../measure.js";
import { ALGS, AUDIENCE, inMemoryJwksFetch, ISSUER, JWKS_URI, silentLogger, type BenchAlg } from "../setup.js";
import type { Fixtures } from "../setup.js";
import { fastJwtCached, rawNode } from "../contenders.js";
import { AUTHORIZE_CONFIG, request } from "./overhead.js";
import { ensureBuilt } from "../runtimes/artifacts.js";
import type * as core from "../../../src/index.js";

type Core = typeof core;

export const USER_ROW = {
  raw: "raw node:crypto.verify",
  authorizeFresh: "authorize() fresh tokens",
  verifyFresh: "verify() fresh tokens",
  authorizeSame: "authorize() same token",
  verifySame: "verify() same token",
  fastJwt: "fast-jwt, cache: true",
} as const;

export interface UserRows {
  /** The file `import "edge-jwt-authorizer"` loads on Node. */
  entry: string;
  rows: Record<BenchAlg, Record<string, Measured>>;
  /** Per algorithm: authorize fresh / raw, µs beyond verify (fresh, same), authorize same / fast-jwt. */
  ratios: Record<BenchAlg, { freshVsRaw: number; beyondFreshUs: number; beyondSameUs: number; sameVsFastJwt: number }>;
}

/** The root export's Node entry, from package.json, loaded from the built `dist/`. */
async function rootExport(root: string, rebuildStale: boolean): Promise<{ core: Core; entry: string }> {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: { ".": { node: string } };
  };
  const entry = pkg.exports["."].node;
  ensureBuilt(root, "lib", entry, ["src", "adapters/node"], rebuildStale);
  return { core: (await import(pathToFileURL(join(root, entry)).href)) as Core, entry };
}

/** Rows for every algorithm. */
export async function userRows(root: string, fx: Fixtures, plan: Plan, rebuildStale: boolean): Promise<UserRows> {
  const { core, entry } = await rootExport(root, rebuildStale);
  const make = async (tokens: number) => {
    const config = core.configFromEnv({
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_JWKS_URI: JWKS_URI,
      JWT_ALGORITHMS: ALGS.join(","),
      JWT_CONFIG: { cache: { tokens }, ...AUTHORIZE_CONFIG },
    });
    const authorizer = core.createAuthorizer(config, { fetch: inMemoryJwksFetch(fx.jwks), logger: silentLogger() });
    await authorizer.warmUp();
    return authorizer;
  };
  const rows = {} as UserRows["rows"];
  const ratios = {} as UserRows["ratios"];
  for (const alg of ALGS) {
    const tokens = fx.tokens[alg];
    const n = tokens.length;
    // Half as many cache entries as tokens, cycled in order: the fresh rows never hit the token cache.
    const half = Math.max(1, n >> 1);
    const [authorizeFresh, verifyFresh, same] = await Promise.all([make(half), make(half), make(10_000)]);
    const fresh = tokens.map((t) => request(t.token));
    const one = tokens[0]!.token;
    const repeated = tokens.map(() => request(one));
    const raw = rawNode(fx.keys[alg]);
    const fast = fastJwtCached(fx.keys[alg]);
    const decision = await same.authorize(request(one));
    if (!decision.ok || !(await authorizeFresh.authorize(fresh[1 % n]!)).ok || !raw(tokens[0]!))
      throw new Error(`${alg}: a contender refused the bench token`);
    rows[alg] = await compare(
      [
        {
          name: USER_ROW.raw,
          batch: (s, k) => {
            for (let i = s; i < s + k; i++) raw(tokens[i % n]!);
          },
        },
        { name: USER_ROW.authorizeFresh, batch: sequential((i) => authorizeFresh.authorize(fresh[i % n]!)) },
        { name: USER_ROW.verifyFresh, batch: sequential((i) => verifyFresh.verify(tokens[i % n]!.token)) },
        { name: USER_ROW.authorizeSame, batch: sequential((i) => same.authorize(repeated[i % n]!)) },
        { name: USER_ROW.verifySame, batch: sequential(() => same.verify(one)) },
        {
          name: USER_ROW.fastJwt,
          batch: (_s, k) => {
            for (let i = 0; i < k; i++) fast(one);
          },
        },
      ],
      plan,
    );
    const r = rows[alg];
    ratios[alg] = {
      freshVsRaw: round(pairedRatio(r[USER_ROW.authorizeFresh]!, r[USER_ROW.raw]!), 2),
      beyondFreshUs: round(r[USER_ROW.authorizeFresh]!.usPerOp - r[USER_ROW.verifyFresh]!.usPerOp, 2),
      beyondSameUs: round(r[USER_ROW.authorizeSame]!.usPerOp - r[USER_ROW.verifySame]!.usPerOp, 2),
      sameVsFastJwt: round(pairedRatio(r[USER_ROW.authorizeSame]!, r[USER_ROW.fastJwt]!), 2),
    };
  }
  return { entry, rows, ratios };
}
