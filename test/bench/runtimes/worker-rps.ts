/**
 * The Worker as its users run it: the root wrangler.toml started by wrangler (`unstable_startWorker`,
 * workerd), in front of a small origin on 127.0.0.1, answering real HTTP requests. The same Worker twice:
 * with auth (every request carries one repeated ES256 token and is verified, routed and forwarded with
 * identity headers), and without (every route public, so nothing is verified). Requests per second with
 * a fixed number in flight, in interleaved rounds.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { compare, pairedRatio, round, type Measured, type Plan } from "../measure.js";
import { AUDIENCE, ISSUER, type Fixtures } from "../setup.js";
import { startWorker, type RunningWorker } from "../../cloudflare/harness.js";

export const WORKER_ROW = { withAuth: "Worker with auth", withoutAuth: "Worker without auth" } as const;

export interface WorkerRps {
  rows: Record<string, Measured>;
  /** Requests per second with auth over without (median of per-round ratios). */
  withOverWithout: number;
  inFlight: number;
}

/** An HTTP server on 127.0.0.1 answering every request with `body`. */
async function serve(body: string, type: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": type, "cache-control": "max-age=3600" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** `n` requests through `worker`, `inFlight` at a time; every answer must be 200. */
function load(worker: RunningWorker, headers: Record<string, string>, inFlight: number) {
  return async (_start: number, n: number): Promise<void> => {
    let next = 0;
    const lane = async () => {
      while (next < n) {
        next++;
        const res = await worker.fetch("/orders/42?expand=items", { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`the Worker answered ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
  };
}

/** Both Workers, measured side by side; every server is closed afterwards. */
export async function workerRps(fx: Fixtures, plan: Plan, inFlight = 8): Promise<WorkerRps> {
  const origin = await serve("ok", "text/plain");
  const jwks = await serve(JSON.stringify(fx.jwks), "application/json");
  const base = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URI: `${jwks.url}/jwks.json` };
  const started: RunningWorker[] = [];
  try {
    const withAuth = await startWorker(
      {
        ...base,
        ORIGIN_URL: origin.url,
        JWT_CONFIG: { routes: [{ path: "/orders/*", access: "protected", scopes: ["read"] }] },
      },
      { persist: false },
    );
    started.push(withAuth);
    const withoutAuth = await startWorker(
      { ...base, ORIGIN_URL: origin.url, JWT_CONFIG: { routes: [{ path: "/*", access: "public" }] } },
      { persist: false },
    );
    started.push(withoutAuth);
    const headers = { authorization: `Bearer ${fx.tokens.ES256[0]!.token}` };
    const rows = await compare(
      [
        { name: WORKER_ROW.withAuth, batch: load(withAuth, headers, inFlight) },
        { name: WORKER_ROW.withoutAuth, batch: load(withoutAuth, headers, inFlight) },
      ],
      plan,
    );
    const withOverWithout = round(pairedRatio(rows[WORKER_ROW.withAuth]!, rows[WORKER_ROW.withoutAuth]!), 2);
    return { rows, withOverWithout, inFlight };
  } finally {
    await Promise.all(started.map((w) => w.dispose()));
    origin.server.close();
    jwks.server.close();
  }
}
