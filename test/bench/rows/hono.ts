/**
 * The Hono middleware (adapters/hono) against hono/jwk, both through `app.request()` on the same
 * route, with a bare Hono app as the floor. Fresh tokens (our default Web Crypto primitive, and the
 * node:crypto verifier injected) and the same token repeated (the usual session).
 */
import type { SignatureVerifier } from "../../../src/index.js";
import { compare, sequential, type Contender, type Measured, type Plan } from "../measure.js";
import { ALGS, type BenchAlg, type Fixtures } from "../setup.js";
import { honoApp, honoJwkApp, loadHonoMiddleware, NOT_BUILT } from "../contenders.js";
import { benchAuthorizer } from "./fresh.js";

export const HONO_ROW = {
  bare: "hono, no auth",
  jwkFresh: "hono/jwk, fresh tokens",
  jwkSame: "hono/jwk, same token",
  oursFresh: "jwtAuthorizer, fresh tokens (Web Crypto)",
  oursFreshNode: "jwtAuthorizer, fresh tokens (node:crypto)",
  oursSame: "jwtAuthorizer, same token",
} as const;

/** Hono rows for every algorithm; "n/a" rows when the middleware or the node verifier is missing. */
export async function honoRows(
  fx: Fixtures,
  plan: Plan,
  nodeVerifier?: SignatureVerifier,
): Promise<Record<BenchAlg, Record<string, Measured | string>>> {
  const middleware = await loadHonoMiddleware();
  const out = {} as Record<BenchAlg, Record<string, Measured | string>>;
  for (const alg of ALGS) {
    const tokens = fx.tokens[alg];
    const at = (i: number) => tokens[i % tokens.length]!.token;
    const half = Math.max(1, Math.floor(tokens.length / 2));
    const bare = honoApp();
    const jwk = honoJwkApp(fx.keys[alg]);
    const contenders: Contender[] = [
      { name: HONO_ROW.bare, batch: sequential((i) => bare(at(i))) },
      { name: HONO_ROW.jwkFresh, batch: sequential((i) => jwk(at(i))) },
      { name: HONO_ROW.jwkSame, batch: sequential(() => jwk(at(0))) },
    ];
    const missing: Record<string, string> = {};
    if (middleware) {
      const fresh = honoApp(middleware(await benchAuthorizer(fx, half)));
      const same = honoApp(middleware(await benchAuthorizer(fx, 10_000)));
      for (const app of [fresh, same, jwk])
        if ((await app(at(0))).status !== 200) throw new Error(`${alg}: a Hono contender refused the bench token`);
      contenders.push({ name: HONO_ROW.oursFresh, batch: sequential((i) => fresh(at(i))) });
      contenders.push({ name: HONO_ROW.oursSame, batch: sequential(() => same(at(0))) });
      if (nodeVerifier) {
        const freshNode = honoApp(middleware(await benchAuthorizer(fx, half, nodeVerifier)));
        contenders.push({ name: HONO_ROW.oursFreshNode, batch: sequential((i) => freshNode(at(i))) });
      } else missing[HONO_ROW.oursFreshNode] = NOT_BUILT;
    } else {
      for (const name of [HONO_ROW.oursFresh, HONO_ROW.oursFreshNode, HONO_ROW.oursSame]) missing[name] = NOT_BUILT;
    }
    out[alg] = { ...(await compare(contenders, plan)), ...missing };
  }
  return out;
}
