/**
 * A JWKS server that holds its answers until released: to put the Worker in the middle of a key fetch.
 * Serves the public keys of a test issuer at `/jwks.json`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestIssuer } from "../helpers/issuer.js";

export interface GatedJwks {
  jwksUri: string;
  /** Requests received. */
  count: number;
  /** Resolves when the first request has arrived. */
  arrived: Promise<void>;
  /** Answers every held and future request. Resolves when the held answers have been sent. */
  release(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGatedJwks(issuer: TestIssuer): Promise<GatedJwks> {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  let arrive: () => void = () => {};
  const sent: Array<Promise<void>> = [];
  const server = createServer((req, res) => {
    gate.count++;
    arrive();
    sent.push(
      opened.then(
        () =>
          new Promise<void>((done) => {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ keys: issuer.keys.map((k) => k.publicJwk) }), () => done());
          }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const gate: GatedJwks = {
    jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    count: 0,
    arrived: new Promise<void>((resolve) => (arrive = resolve)),
    async release() {
      open();
      await Promise.all(sent);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return gate;
}
