/**
 * The soak run's issuer: one key set served over HTTP on 127.0.0.1, one JWKS path per target
 * (`/<target>/jwks.json`) so fetches and "which keys has this target been served" are counted per
 * target. It goes through phases: `steady` and `rotation` serve the keys, `down` answers 503, `slow`
 * answers after `slowMs` (longer than the authorizer's fetch timeout), `garbage` serves junk.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { makeKey, signWith, type TestKey } from "../helpers/issuer.js";

export const PHASES = ["steady", "rotation", "down", "slow", "garbage"] as const;
export type Phase = (typeof PHASES)[number];

export interface SoakIssuer {
  issuer: string;
  jwksUri(target: string): string;
  phase: Phase;
  keys: TestKey[];
  current: TestKey;
  /** JWKS requests by target and phase. */
  fetches: Record<string, Partial<Record<Phase, number>>>;
  /** When each kid was last served complete to a target (epoch ms); a kid no longer served is dropped. */
  known: Record<string, Map<string, number>>;
  /** Adds a key (kept alongside the old ones) and makes it current. */
  rotate(): Promise<TestKey>;
  sign(claims: Record<string, unknown>, key?: TestKey): Promise<string>;
  stop(): Promise<void>;
}

export async function startSoakIssuer(options: { slowMs: number }): Promise<SoakIssuer> {
  const first = await makeKey("ES256");
  const pending = new Set<ReturnType<typeof setTimeout>>();
  const state: SoakIssuer = {
    issuer: "",
    jwksUri: (target) => `${state.issuer}/${target}/jwks.json`,
    phase: "steady",
    keys: [first],
    current: first,
    fetches: {},
    known: {},
    async rotate() {
      const key = await makeKey("ES256");
      state.keys = [...state.keys, key];
      state.current = key;
      return key;
    },
    sign: (claims, key = state.current) => signWith(key, { iss: state.issuer, aud: "api", ...claims }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of pending) clearTimeout(t);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  const serveKeys = (target: string, res: ServerResponse) => {
    const keys = state.keys;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }), () => {
      const known = (state.known[target] ??= new Map());
      for (const kid of known.keys()) if (!keys.some((k) => k.kid === kid)) known.delete(kid);
      for (const k of keys) if (!known.has(k.kid)) known.set(k.kid, Date.now());
    });
  };
  const server = createServer((req, res) => {
    const match = /^\/([a-z]+)\/jwks\.json$/.exec((req.url ?? "/").split("?")[0]!);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const target = match[1]!;
    const phase = state.phase;
    const counts = (state.fetches[target] ??= {});
    counts[phase] = (counts[phase] ?? 0) + 1;
    if (phase === "down") res.writeHead(503, { "retry-after": "5" }).end("down");
    else if (phase === "garbage") res.writeHead(200, { "content-type": "application/json" }).end('{"keys": <html>');
    else if (phase === "slow") {
      // Answers, but only after the authorizer has given up: what it serves then is never "known".
      const t = setTimeout(() => {
        pending.delete(t);
        if (!res.destroyed) res.writeHead(503).end("too late");
      }, options.slowMs);
      pending.add(t);
    } else serveKeys(target, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
