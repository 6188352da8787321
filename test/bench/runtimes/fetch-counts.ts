/**
 * JWKS fetch counts, with an injected counting fetch: a cold burst of concurrent `authorize()` calls
 * (expect one fetch), and a flood of tokens naming random unknown `kid`s, at one instant and spread
 * over several cooldowns by an injected clock (expect at most one fetch per cooldown).
 */
import { createAuthorizer } from "../../../src/index.js";
import { benchConfig, inMemoryJwksFetch, silentLogger, type Fixtures } from "../setup.js";

export interface FetchCounts {
  coldBurst: { requests: number; allowed: number; jwksFetches: number };
  kidFlood: {
    requests: number;
    /** Refused with kid_unknown. */
    refusedKidUnknown: number;
    /** Flood at one instant, keys warm: fetches beyond the warm-up. */
    jwksFetchesOneInstant: number;
    /** Flood spread over `spanSeconds` of injected time. */
    spanSeconds: number;
    cooldownSeconds: number;
    /** Cooldown windows the span touches: the allowed maximum. */
    cooldownWindows: number;
    jwksFetchesSpread: number;
    /** Refusals per second while flooding (one instant, wall clock). */
    refusalsPerSec: number;
  };
}

const requestFor = (token: string) =>
  new Request("https://api.example.com/orders/1", { headers: { authorization: `Bearer ${token}` } });

/** A token whose header names a random kid (the signature is never reached: the kid is unknown first). */
function randomKidToken(template: string): string {
  const [, payload, signature] = template.split(".");
  const header = Buffer.from(
    JSON.stringify({ alg: "ES256", typ: "JWT", kid: `flood-${crypto.randomUUID()}` }),
  ).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

async function inBatches<T>(items: T[], size: number, run: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map((item, k) => run(item, i + k)));
}

/** Measures both scenarios; `burst` concurrent requests and a `flood` of random kids. */
export async function fetchCounts(fx: Fixtures, burst: number, flood: number): Promise<FetchCounts> {
  const tokens = fx.tokens.ES256;
  const coldFetch = inMemoryJwksFetch(fx.jwks, 3);
  const cold = createAuthorizer(benchConfig(10_000), { fetch: coldFetch, logger: silentLogger() });
  const decisions = await Promise.all(
    Array.from({ length: burst }, (_, i) => cold.authorize(requestFor(tokens[i % tokens.length]!.token))),
  );

  const template = tokens[0]!.token;
  const floodTokens = Array.from({ length: flood }, () => randomKidToken(template));
  const floodRequests = floodTokens.map(requestFor);

  // One instant: keys warm, then the whole flood.
  const instantFetch = inMemoryJwksFetch(fx.jwks, 1);
  const instant = createAuthorizer(benchConfig(10_000), { fetch: instantFetch, logger: silentLogger() });
  await instant.warmUp();
  const warm = instantFetch.calls;
  let refused = 0;
  const t0 = performance.now();
  await inBatches(floodRequests, 100, async (r) => {
    const d = await instant.authorize(r);
    if (!d.ok && d.code === "kid_unknown") refused++;
  });
  const seconds = (performance.now() - t0) / 1000;

  // Spread: the injected clock advances 10 ms per request.
  const stepMs = 10;
  let nowMs = Date.now();
  const spreadFetch = inMemoryJwksFetch(fx.jwks, 1);
  const spread = createAuthorizer(benchConfig(10_000), {
    fetch: spreadFetch,
    logger: silentLogger(),
    now: () => nowMs,
  });
  await spread.warmUp();
  const spreadWarm = spreadFetch.calls;
  const start = nowMs;
  await inBatches(floodRequests, 100, async (r) => {
    nowMs += stepMs;
    await spread.authorize(r);
  });
  const spanSeconds = (nowMs - start) / 1000;
  const cooldown = spread.config.cache.jwks.cooldown;

  return {
    coldBurst: { requests: burst, allowed: decisions.filter((d) => d.ok).length, jwksFetches: coldFetch.calls },
    kidFlood: {
      requests: flood,
      refusedKidUnknown: refused,
      jwksFetchesOneInstant: instantFetch.calls - warm,
      spanSeconds,
      cooldownSeconds: cooldown,
      cooldownWindows: Math.ceil(spanSeconds / cooldown),
      jwksFetchesSpread: spreadFetch.calls - spreadWarm,
      refusalsPerSec: Math.round(flood / seconds),
    },
  };
}
