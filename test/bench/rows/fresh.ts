/**
 * Fresh tokens, keys cached: every verification uses a distinct token. The core's token cache holds
 * half as many entries as there are tokens and the tokens are cycled in order, so LRU never hits
 * (the insert and eviction costs stay in the figure, as in production).
 */
import { createAuthorizer, type Authorizer, type Deps, type SignatureVerifier } from "../../../src/index.js";
import { compare, sequential, type Contender, type Measured, type Plan } from "../measure.js";
import { ALGS, benchConfig, inMemoryJwksFetch, silentLogger, type BenchAlg, type Fixtures } from "../setup.js";
import { awsVerify, honoJwkApp, joseVerify, rawNode, rawSubtle } from "../contenders.js";

export const ROW = {
  rawNode: "raw node:crypto.verify",
  rawSubtle: "raw crypto.subtle.verify",
  jose: "jose jwtVerify (local JWKS)",
  aws: "aws-jwt-verify",
  honoJwk: "hono app.request + hono/jwk",
  coreWeb: "core verify (Web Crypto)",
  coreNode: "core verify (node:crypto verifier)",
} as const;

/** A warmed core authorizer for the bench issuer; the token cache holds `cacheTokens` entries. */
export async function benchAuthorizer(
  fx: Fixtures,
  cacheTokens: number,
  verifySignature?: SignatureVerifier,
  extra: Record<string, unknown> = {},
  deps: Deps = {},
  env: Record<string, string> = {},
): Promise<Authorizer> {
  const authorizer = createAuthorizer(benchConfig(cacheTokens, extra, env), {
    fetch: inMemoryJwksFetch(fx.jwks),
    logger: silentLogger(),
    ...(verifySignature ? { verifySignature } : {}),
    ...deps,
  });
  await authorizer.warmUp();
  return authorizer;
}

/** Throws unless `check` holds for the first token: a contender that fails fast would look fast. */
async function sanity(name: string, check: () => Promise<boolean> | boolean): Promise<void> {
  let ok: boolean;
  try {
    ok = await check();
  } catch (e) {
    throw new Error(`${name} failed its sanity check: ${(e as Error).message}`, { cause: e });
  }
  if (!ok) throw new Error(`${name} failed its sanity check`);
}

/** One algorithm's fresh-token rows, measured together. */
async function freshFor(
  fx: Fixtures,
  alg: BenchAlg,
  plan: Plan,
  nodeVerifier?: SignatureVerifier,
): Promise<Record<string, Measured | string>> {
  const tokens = fx.tokens[alg];
  const at = (i: number) => tokens[i % tokens.length]!;
  const key = fx.keys[alg];
  const node = rawNode(key);
  const subtle = await rawSubtle(key);
  const jose = joseVerify(fx, alg);
  const aws = awsVerify(fx);
  const hono = honoJwkApp(key);
  const cacheTokens = Math.max(1, Math.floor(tokens.length / 2));
  const coreWeb = await benchAuthorizer(fx, cacheTokens);
  const coreNode = nodeVerifier ? await benchAuthorizer(fx, cacheTokens, nodeVerifier) : undefined;
  const first = at(0);
  const sub = (c: unknown) => (c as { sub?: string }).sub === "user-0";
  await sanity(ROW.rawNode, () => node(first));
  await sanity(ROW.rawSubtle, () => subtle(first));
  await sanity(ROW.jose, async () => sub(await jose(first.token)));
  await sanity(ROW.aws, async () => sub(await aws(first.token)));
  await sanity(ROW.honoJwk, async () => (await hono(first.token)).status === 200);
  await sanity(ROW.coreWeb, async () => sub(await coreWeb.verify(first.token)));
  if (coreNode) await sanity(ROW.coreNode, async () => sub(await coreNode.verify(first.token)));

  const contenders: Contender[] = [
    {
      name: ROW.rawNode,
      batch: (s, n) => {
        for (let i = s; i < s + n; i++) node(at(i));
      },
    },
    { name: ROW.rawSubtle, batch: sequential((i) => subtle(at(i))) },
    { name: ROW.jose, batch: sequential((i) => jose(at(i).token)) },
    { name: ROW.aws, batch: sequential((i) => aws(at(i).token)) },
    { name: ROW.honoJwk, batch: sequential((i) => hono(at(i).token)) },
    { name: ROW.coreWeb, batch: sequential((i) => coreWeb.verify(at(i).token)) },
  ];
  if (coreNode) contenders.push({ name: ROW.coreNode, batch: sequential((i) => coreNode.verify(at(i).token)) });
  const measured: Record<string, Measured | string> = await compare(contenders, plan);
  if (!coreNode) measured[ROW.coreNode] = "n/a (not built yet)";
  return measured;
}

/** Fresh-token rows for RS256, ES256 and EdDSA. */
export async function freshTokens(
  fx: Fixtures,
  plan: Plan,
  nodeVerifier?: SignatureVerifier,
): Promise<Record<BenchAlg, Record<string, Measured | string>>> {
  const out = {} as Record<BenchAlg, Record<string, Measured | string>>;
  for (const alg of ALGS) out[alg] = await freshFor(fx, alg, plan, nodeVerifier);
  return out;
}
