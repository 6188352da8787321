/**
 * Memory under many distinct tokens: N distinct valid HS256 tokens (one signed template, `jti` varied,
 * HMAC from node:crypto: fast) through one authorizer's `verify`, heap measured after a forced GC.
 * The verified-token cache must stay at its bound (src/limits.ts: TOKEN_CACHE_ENTRIES entries,
 * TOKEN_CACHE_MAX_BYTES of token text). Whether the cache holds exactly `entries` tokens is observed
 * from outside, by counting signature checks: the newest `entries` tokens again cost none, the one
 * before them costs one.
 *
 * `npm run soak:memory` (node --expose-gc): 1,000,000 tokens through the default cache. `MEMORY_TOKENS`
 * and `MEMORY_CACHE` change the count and the cache bound.
 */
import { createHmac } from "node:crypto";
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import { nodeVerifySignature } from "../../adapters/node/verify.js";
import { TOKEN_CACHE_ENTRIES } from "../../src/limits.js";

export interface MemoryFigures {
  tokens: number;
  cacheEntries: number;
  /** Signature checks for the newest `cacheEntries` tokens presented again (0: all cached). */
  rechecksNewest: number;
  /** Signature checks for the token just before them (1: evicted). */
  recheckOlder: number;
  heapMiB: { before: number; after: number; growth: number; samples: number[] };
  tokenBytes: number;
  seconds: number;
}

const SECRET = "soak-memory-secret-0123456789abcdef";
const ISSUER = "https://idp.example/";
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
function heapNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function measureMemory(count: number, cacheEntries = TOKEN_CACHE_ENTRIES): Promise<MemoryFigures> {
  const started = performance.now();
  let checks = 0;
  const config = configFromEnv({
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: "api",
    JWT_SECRET: SECRET,
    JWT_CONFIG: JSON.stringify({ cache: { tokens: cacheEntries } }),
  });
  const authorizer = createAuthorizer(config, {
    logger: silentLogger,
    verifySignature: (alg, key, input, signature) => {
      checks++;
      return nodeVerifySignature(alg, key, input, signature);
    },
  });
  const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = (i: number) => {
    const payload = Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: "api", sub: "alice", exp, jti: `t-${String(i).padStart(8, "0")}` }),
    ).toString("base64url");
    const input = `${header}.${payload}`;
    return `${input}.${createHmac("sha256", SECRET).update(input).digest("base64url")}`;
  };
  const before = heapNow();
  const samples: number[] = [];
  const step = Math.max(1, Math.floor(count / 10));
  for (let i = 0; i < count; i++) {
    await authorizer.verify(token(i));
    if ((i + 1) % step === 0) samples.push(mib(heapNow() - before));
  }
  const after = heapNow();
  const n = Math.min(cacheEntries, count);
  const base = checks;
  for (let i = count - n; i < count; i++) await authorizer.verify(token(i));
  const rechecksNewest = checks - base;
  const older = count - n - 1;
  const beforeOlder = checks;
  if (older >= 0) await authorizer.verify(token(older));
  return {
    tokens: count,
    cacheEntries,
    rechecksNewest,
    recheckOlder: checks - beforeOlder,
    heapMiB: { before: mib(before), after: mib(after), growth: mib(after - before), samples },
    tokenBytes: token(0).length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!(globalThis as { gc?: unknown }).gc) console.warn("run with node --expose-gc for heap figures after GC");
  const count = Number(process.env.MEMORY_TOKENS ?? 1_000_000);
  const cache = Number(process.env.MEMORY_CACHE ?? TOKEN_CACHE_ENTRIES);
  const figures = await measureMemory(count, cache);
  console.log(JSON.stringify(figures, null, 2));
  const ok = figures.rechecksNewest === 0 && figures.recheckOlder === (count > cache ? 1 : 0);
  if (!ok) {
    console.error("the token cache did not stay at its bound");
    process.exit(1);
  }
}
