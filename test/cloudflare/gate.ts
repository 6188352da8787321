/**
 * A JWKS server that holds its answers until released: to put the Worker in the middle of a key fetch.
 * Serves the public keys of a test issuer at `/jwks.json`. Once released it answers at once, until
 * `hold()` makes it hold again.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestIssuer } from "../helpers/issuer.js";

export interface GatedJwks {
  jwksUri: string;
  /** Requests received. */
  count: number;
  /** Requests received and not answered yet. */
  held(): number;
  /** Resolves when the first request has arrived. */
  arrived: Promise<void>;
  /** Resolves once `n` requests have arrived. */
  until(n: number): Promise<void>;
  /** Answers every held and future request. Resolves when the held answers have been sent. */
  release(): Promise<void>;
  /** Holds the requests that arrive from now on, until the next `release()`. */
  hold(): void;
  stop(): Promise<void>;
}

export async function startGatedJwks(issuer: TestIssuer): Promise<GatedJwks> {
  let open = false;
  let count = 0;
  let waiting: Array<() => void> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const sent: Array<Promise<void>> = [];
  const server = createServer((req, res) => {
    gate.count = ++count;
    for (const w of waiters.filter((w) => count >= w.n)) w.resolve();
    const send = () =>
      new Promise<void>((done) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ keys: issuer.keys.map((k) => k.publicJwk) }), () => done());
      });
    sent.push(open ? send() : new Promise<void>((go) => waiting.push(go)).then(send));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const until = (n: number) =>
    count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
  const gate: GatedJwks = {
    jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    count: 0,
    held: () => waiting.length,
    arrived: until(1),
    until,
    async release() {
      open = true;
      const go = waiting;
      waiting = [];
      for (const g of go) g();
      await Promise.all(sent);
    },
    hold() {
      open = false;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return gate;
}
