/**
 * The demo origin behind the local Worker: answers every request with the identity it received
 * (the `x-auth-*` headers, with `x-auth-claims` decoded) as JSON. It never echoes `Authorization`.
 * @module
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { listen, PORTS } from "./ports.js";

/** A running demo origin. */
export interface DemoOrigin {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the origin on 127.0.0.1:`port` (0 for any free port).
 *
 * @example
 * ```ts
 * const origin = await startDemoOrigin({ port: 0 });
 * ```
 */
export async function startDemoOrigin(options: { port?: number } = {}): Promise<DemoOrigin> {
  const server = createServer((req, res) => {
    const identity: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith("x-auth-"))
        identity[name] = name === "x-auth-claims" && typeof value === "string" ? decodeClaims(value) : value;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(
      `${JSON.stringify(
        {
          message: "Hello from the demo origin: the Worker let this request through.",
          method: req.method,
          path: req.url,
          identity,
          authorizationForwarded: req.headers.authorization !== undefined,
        },
        null,
        2,
      )}\n`,
    );
  });
  await listen(server, options.port ?? PORTS.origin.fallback, PORTS.origin);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decodeClaims(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return value;
  }
}
