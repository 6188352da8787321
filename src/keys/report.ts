/**
 * One discovery or JWKS fetch, reported to `onJwksFetch` with its outcome, HTTP status and duration,
 * so a failing identity provider is visible before requests fail.
 * @module
 */
import type { JwksFetchEvent } from "../deps.js";

/** What a reported fetch needs: the fetch to use, the clock, and the hook (a fetch is plain without one). */
export interface ReportDeps {
  fetch: typeof fetch;
  now: () => number;
  onJwksFetch?: (event: JwksFetchEvent) => void;
}

/**
 * Runs one fetch step (`run` gets the fetch to use) and reports how it went. The status is the HTTP
 * answer's, when one came; a step can fail after a 200 (not JSON, too large, another issuer named).
 *
 * @example
 * ```ts
 * const uri = await reported(deps, issuer, "discovery", (f) => discoverJwksUri(f, issuer, 3000, 262_144));
 * ```
 */
export async function reported<T>(
  deps: ReportDeps,
  issuer: string,
  kind: JwksFetchEvent["kind"],
  run: (fetcher: typeof fetch) => Promise<T>,
): Promise<T> {
  const hook = deps.onJwksFetch;
  if (!hook) return run(deps.fetch);
  let status: number | undefined;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await deps.fetch(input, init);
    status = response.status;
    return response;
  }) as typeof fetch;
  const started = deps.now();
  const report = (outcome: JwksFetchEvent["outcome"], error?: string) => {
    const event: JwksFetchEvent = { issuer, kind, outcome, durationMs: deps.now() - started };
    if (status !== undefined) event.status = status;
    if (error !== undefined) event.error = error;
    hook(event);
  };
  try {
    const result = await run(fetcher);
    report("ok");
    return result;
  } catch (e) {
    const message = e instanceof Error ? e.message.slice(0, 200) : "failed";
    report(message.startsWith("timed out") ? "timeout" : "error", message);
    throw e;
  }
}
