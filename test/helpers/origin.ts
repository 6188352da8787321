/** A real origin for tests: echoes the method, path and headers it received as JSON, and counts hits. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface EchoOrigin {
  url: string;
  hits: number;
  /** Headers of the last request, lower-case names. */
  last?: { method: string; path: string; headers: Record<string, string | string[] | undefined> };
  stop(): Promise<void>;
}

export async function startEchoOrigin(port = 0): Promise<EchoOrigin> {
  const origin: EchoOrigin = { url: "", hits: 0, stop: async () => {} };
  const server = createServer((req, res) => {
    origin.hits++;
    origin.last = { method: req.method ?? "", path: req.url ?? "", headers: req.headers };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(origin.last));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  origin.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  origin.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return origin;
}
