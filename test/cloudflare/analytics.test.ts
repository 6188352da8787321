/**
 * Workers Analytics Engine in real workerd: with `JWT_ANALYTICS` bound, the Worker writes exactly one
 * data point per request (allowed, refused, cached, public, preflight), laid out as the README says.
 * Miniflare's dataset stores nothing, so a test entry wraps the binding with one that records the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { bearer, startWorker, type RunningWorker } from "./harness.js";

type Point = { indexes: string[]; blobs: string[]; doubles: number[] };
const ENTRY = fileURLToPath(new URL("./fixtures/analytics-worker.ts", import.meta.url));

describe("the Worker with an Analytics Engine dataset", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  let worker: RunningWorker;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
    const JWT_CONFIG = {
      issuers: [{ issuer: issuer.issuer, audience: ["api"], jwksUri: issuer.jwksUri }],
      routes: [
        { path: "/health", access: "public" },
        { path: "/admin/*", access: "protected", scopes: ["admin"] },
      ],
    };
    worker = await startWorker(
      { JWT_CONFIG, ORIGIN_URL: origin.url },
      { persist: false, analytics: true, entrypoint: ENTRY },
    );
  });
  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([issuer?.stop(), origin?.stop()]);
  });

  const recorded = async () => (await (await worker.fetch("/__analytics")).json()) as Point[];

  it("writes one data point per request", async () => {
    const token = await issuer.sign({});
    const requests: [string, RequestInit, number][] = [
      ["/orders", { headers: bearer(token) }, 200],
      ["/orders", { headers: bearer(token) }, 200],
      ["/orders", {}, 401],
      ["/admin/x", { headers: bearer(token) }, 403],
      ["/health", {}, 200],
      [
        "/orders",
        { method: "OPTIONS", headers: { origin: "https://a.example", "access-control-request-method": "GET" } },
        200,
      ],
    ];
    await worker.fetch("/__analytics", { method: "DELETE" });
    for (const [i, [path, init, status]] of requests.entries()) {
      const res = await worker.fetch(path, init);
      await res.arrayBuffer();
      expect(res.status).toBe(status);
      expect(await recorded()).toHaveLength(i + 1);
    }
    const points = await recorded();
    expect(points.map((p) => [p.blobs[0], p.blobs[1], p.blobs[4], p.blobs[6], p.doubles[0], p.doubles[2]])).toEqual([
      ["allowed", "token", "", "miss", 200, 1],
      ["allowed", "token", "", "hit", 200, 0],
      ["refused", "token_missing", "", "none", 401, 0],
      ["refused", "insufficient_scope", "/admin/*", "hit", 403, 0],
      ["allowed", "public", "/health", "none", 200, 0],
      ["allowed", "preflight", "", "none", 200, 0],
    ]);
    expect(points[0]).toMatchObject({
      indexes: [issuer.issuer],
      blobs: expect.arrayContaining([issuer.issuer, "GET"]),
    });
    for (const p of points) {
      expect(p.doubles[1]).toBeGreaterThanOrEqual(0);
      expect(JSON.stringify(p)).not.toContain(token.split(".")[2]);
    }
  });
});
