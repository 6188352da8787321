/**
 * Ports for the local stack: reading them from flags and environment, and listening with a clear
 * one-line message when a port is busy.
 * @module
 */
import { createServer, type AddressInfo, type Server } from "node:net";
import type { Server as HttpServer } from "node:http";

/** A port the stack needs: its default, environment variable and flag. */
export interface PortSpec {
  name: string;
  variable: string;
  flag: string;
  fallback: number;
}

/** The three ports of `npm start`. */
export const PORTS = {
  worker: { name: "Worker", variable: "WORKER_PORT", flag: "--worker-port", fallback: 8787 },
  issuer: { name: "issuer", variable: "ISSUER_PORT", flag: "--issuer-port", fallback: 8788 },
  origin: { name: "origin", variable: "ORIGIN_PORT", flag: "--origin-port", fallback: 8789 },
} as const satisfies Record<string, PortSpec>;

/** A failure the start script reports as one line and exit 1. */
export class StartError extends Error {
  override readonly name = "StartError";
}

/** The port from the flag value, else the environment, else the default; validated. */
export function choosePort(spec: PortSpec, flagValue: string | undefined, env: NodeJS.ProcessEnv): number {
  const raw = flagValue ?? env[spec.variable];
  if (raw === undefined || raw === "") return spec.fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StartError(
      `${flagValue !== undefined ? spec.flag : spec.variable} must be a port number (1-65535), got ${JSON.stringify(raw)}`,
    );
  }
  return port;
}

/** The message for a busy port, naming the port, the variable and the flag. */
export function busyMessage(spec: PortSpec, port: number): string {
  return `port ${port} (${spec.name}) is already in use on 127.0.0.1: stop what uses it, or choose another with ${spec.variable}=<port> or ${spec.flag} <port>`;
}

/** Resolves once `server` listens on 127.0.0.1:`port`; a busy port rejects with `busyMessage`. */
export function listen(server: Server | HttpServer, port: number, spec: PortSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) =>
      reject(e.code === "EADDRINUSE" ? new StartError(busyMessage(spec, port)) : e);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Fails with `busyMessage` when the port cannot be bound now (for ports a child process will bind). */
export async function assertFree(port: number, spec: PortSpec): Promise<void> {
  const probe = createServer();
  await listen(probe, port, spec);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
