/**
 * The targets of issue 9, judged on the figures of one run: ratios in the same run, fetch counts,
 * bundle size and cold import. Each target gives the figure and PASS, MISS or n/a.
 */
import type { Measured } from "./measure.js";
import { pairedRatio, round } from "./measure.js";
import { ALGS, type BenchAlg } from "./setup.js";
import type { Results } from "./results.js";
import { ROW } from "./rows/fresh.js";
import { REPEAT_ROW } from "./rows/repeat.js";
import { HONO_ROW } from "./rows/hono.js";
import { WORKERD_ROW } from "./runtimes/workerd.js";
import { FEW_RULES, MANY_RULES } from "./rows/routes.js";

export interface Target {
  id: string;
  target: string;
  /** The measured figure, as printed. */
  measured: string;
  /** Numeric figure (ratio, µs, count, KiB, ms), or null when not measurable. */
  value: number | null;
  status: "PASS" | "MISS" | "n/a";
}

const ops = (row: Measured | string | undefined): number | null =>
  row && typeof row !== "string" ? row.opsPerSec : null;

/** How many times faster `a` is than `b` (median of per-round ratios), two decimals; null when either is missing. */
export function ratio(a: Measured | string | undefined, b: Measured | string | undefined): number | null {
  return ops(a) === null || ops(b) === null ? null : round(pairedRatio(a as Measured, b as Measured), 2);
}

function judge(id: string, target: string, value: number | null, pass: (v: number) => boolean, unit = "x"): Target {
  if (value === null) return { id, target, measured: "n/a", value, status: "n/a" };
  return { id, target, measured: `${value}${unit}`, value, status: pass(value) ? "PASS" : "MISS" };
}

const section = <T>(value: T | { error: string } | undefined): T | undefined =>
  value && typeof value === "object" && "error" in (value as object) ? undefined : (value as T | undefined);

/** Every target of the issue, judged. */
export function judgeTargets(r: Results): Target[] {
  const out: Target[] = [];
  const fresh = section(r.fresh);
  const workerd = section(r.workerd);
  const same = section(r.sameToken);
  const hono = section(r.hono);
  for (const alg of ALGS) {
    const f = fresh?.[alg];
    out.push(
      judge(
        `node-fresh-${alg}`,
        `${alg} fresh token on Node: core (node:crypto verifier) >= 0.9x raw node:crypto.verify`,
        ratio(f?.[ROW.coreNode], f?.[ROW.rawNode]),
        (v) => v >= 0.9,
      ),
    );
  }
  for (const alg of ALGS) {
    const w = workerd?.rows[alg as BenchAlg];
    out.push(
      judge(
        `workerd-fresh-${alg}`,
        `${alg} fresh token in workerd: core >= 0.9x raw crypto.subtle.verify`,
        ratio(w?.[WORKERD_ROW.core], w?.[WORKERD_ROW.subtle]),
        (v) => v >= 0.9,
      ),
      judge(
        `workerd-authorize-fresh-${alg}`,
        `${alg} fresh token in workerd: authorize() >= 0.9x raw crypto.subtle.verify`,
        ratio(w?.[WORKERD_ROW.authorize], w?.[WORKERD_ROW.subtle]),
        (v) => v >= 0.9,
      ),
    );
  }
  for (const alg of ALGS) {
    const s = same?.[alg];
    out.push(
      judge(
        `same-token-${alg}`,
        `${alg} same token repeated: core cache >= 1.5x fast-jwt cache`,
        ratio(s?.[REPEAT_ROW.core], s?.[REPEAT_ROW.fastJwt]),
        (v) => v >= 1.5,
      ),
    );
  }
  const cache = section(r.cacheBehaviour);
  const bounded = cache
    ? cache.repeatedTokenSignatureChecks === 1 &&
      cache.afterEvictionSignatureChecks === 4 * cache.bound &&
      cache.afterExpiry === "token_expired"
    : null;
  out.push({
    id: "token-cache-bounded-exp",
    target: "token cache: bounded entries (evicts at the bound), exp respected",
    measured: cache
      ? `1 token x1000 -> ${cache.repeatedTokenSignatureChecks} check; ${4 * cache.bound} verifies at bound ${cache.bound} -> ${cache.afterEvictionSignatureChecks} checks; after exp -> ${cache.afterExpiry}`
      : "n/a",
    value: bounded === null ? null : Number(bounded),
    status: bounded === null ? "n/a" : bounded ? "PASS" : "MISS",
  });
  const users = section(r.users);
  for (const alg of ALGS) {
    const u = users?.ratios[alg];
    out.push(
      judge(
        `users-fresh-${alg}`,
        `${alg} authorize() through the root export, fresh tokens: >= 0.9x raw node:crypto.verify`,
        u?.freshVsRaw ?? null,
        (v) => v >= 0.9,
      ),
      judge(
        `users-beyond-fresh-${alg}`,
        `${alg} authorize() beyond verify(), fresh tokens: <= 5 us`,
        u?.beyondFreshUs ?? null,
        (v) => v <= 5,
        " us",
      ),
      judge(
        `users-beyond-same-${alg}`,
        `${alg} authorize() beyond verify(), same token: <= 5 us`,
        u?.beyondSameUs ?? null,
        (v) => v <= 5,
        " us",
      ),
      judge(
        `users-same-${alg}`,
        `${alg} authorize() on a repeated token: >= 1.5x fast-jwt's cache`,
        u?.sameVsFastJwt ?? null,
        (v) => v >= 1.5,
      ),
    );
  }
  const overhead = section(r.authorize);
  out.push(
    judge(
      "authorize-overhead",
      "authorize() beyond verify(): <= 10 us per request (same token, cache hit)",
      overhead?.sameToken.beyondVerifyUs ?? null,
      (v) => v <= 10,
      " us",
    ),
  );
  const routes = section(r.routes);
  out.push(
    judge(
      "routes-1000-vs-10",
      `authorize() with ${MANY_RULES.toLocaleString("en")} rules <= 1.5x of ${FEW_RULES} rules (same token, cache hit)`,
      routes?.manyOverFew ?? null,
      (v) => v <= 1.5,
    ),
  );
  for (const alg of ALGS) {
    const h = hono?.[alg];
    out.push(
      judge(
        `hono-fresh-${alg}`,
        `${alg} Hono middleware >= 5x hono/jwk (fresh tokens, default Web Crypto)`,
        ratio(h?.[HONO_ROW.oursFresh], h?.[HONO_ROW.jwkFresh]),
        (v) => v >= 5,
      ),
    );
    out.push(
      judge(
        `hono-same-${alg}`,
        `${alg} Hono middleware >= 5x hono/jwk (same token repeated)`,
        ratio(h?.[HONO_ROW.oursSame], h?.[HONO_ROW.jwkSame]),
        (v) => v >= 5,
      ),
    );
  }
  const counts = section(r.fetchCounts);
  out.push(
    judge(
      "cold-burst",
      `cold burst of ${counts?.coldBurst.requests ?? 100} concurrent authorize(): exactly 1 JWKS fetch`,
      counts?.coldBurst.jwksFetches ?? null,
      (v) => v === 1,
      " fetch(es)",
    ),
  );
  out.push(
    judge(
      "kid-flood-instant",
      `${counts?.kidFlood.requests ?? 10000} random kids at one instant: <= 1 JWKS fetch`,
      counts?.kidFlood.jwksFetchesOneInstant ?? null,
      (v) => v <= 1,
      " fetch(es)",
    ),
  );
  out.push(
    judge(
      "kid-flood-spread",
      `random kids over ${counts?.kidFlood.spanSeconds ?? "?"} s: <= 1 fetch per ${counts?.kidFlood.cooldownSeconds ?? "?"} s cooldown (${counts?.kidFlood.cooldownWindows ?? "?"} windows)`,
      counts?.kidFlood.jwksFetchesSpread ?? null,
      (v) => v <= (counts?.kidFlood.cooldownWindows ?? 0),
      " fetch(es)",
    ),
  );
  const rps = section(r.workerRps);
  out.push(
    judge(
      "worker-rps",
      "the Worker with auth serves >= 0.9x the requests per second of the same Worker without auth (same token)",
      rps?.withOverWithout ?? null,
      (v) => v >= 0.9,
    ),
  );
  const scale = section(r.keysScale);
  for (const [id, target, part] of [
    ["issuers-100", "100 issuers cost no more than one", scale?.issuers],
    ["keys-1000", "1,000 keys cost no more than one", scale?.keys],
  ] as const) {
    const worst = part ? Math.max(part.sameToken.cost, part.freshTokens.cost) : null;
    const t = judge(
      id,
      `${target}: authorize() <= 1.1x the time (same token and fresh tokens)`,
      worst,
      (v) => v <= 1.1,
    );
    if (part) t.measured = `${part.sameToken.cost}x same token, ${part.freshTokens.cost}x fresh tokens`;
    out.push(t);
  }
  const bundle = section(r.bundle);
  out.push(
    judge(
      "worker-bundle",
      "Worker bundle <= 24 KiB gzip with every feature in it (20 KiB where we want to end up)",
      bundle?.gzipKiB ?? null,
      (v) => v <= 24,
      " KiB",
    ),
  );
  const cold = section(r.coldImport);
  out.push(
    judge(
      "lambda-cold-import",
      "Lambda handler cold import <= 50 ms (median)",
      cold?.medianMs ?? null,
      (v) => v <= 50,
      " ms",
    ),
  );
  return out;
}
