/**
 * DPoP through the real Worker in workerd: a bound token with a proof passes, the same proof again is
 * refused, by the Durable Object replay store bound as `JWT_DPOP_REPLAY` and by the in-memory default.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { accessToken, clientKey, ISSUER, proof, SECRET } from "../binding/proof.js";
import { startWorker, type RunningWorker } from "./harness.js";

for (const store of ["Durable Object", "memory"] as const) {
  describe(`DPoP through the Worker (${store} replay store)`, () => {
    let origin: EchoOrigin;
    let worker: RunningWorker;

    beforeAll(async () => {
      origin = await startEchoOrigin();
      const vars = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_SECRET: SECRET, ORIGIN_URL: origin.url };
      const replay = { type: "durable_object_namespace", class_name: "DpopReplayStore" };
      const bindings: Record<string, object> = store === "memory" ? {} : { JWT_DPOP_REPLAY: replay };
      worker = await startWorker(vars, { persist: false, bindings });
    });
    afterAll(async () => {
      await worker?.dispose();
      await origin?.stop();
    });

    it("passes a bound token with its proof once, and refuses the replayed proof", async () => {
      const key = await clientKey();
      const token = await accessToken({ jkt: key.jkt });
      const p = await proof(key, token, { url: `${worker.url}/orders/7` });
      const headers = { authorization: `DPoP ${token}`, dpop: p };
      const first = await worker.fetch("/orders/7?x=1", { headers });
      expect(first.status).toBe(200);
      const again = await worker.fetch("/orders/7?x=1", { headers });
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({ error: "invalid_dpop_proof", code: "dpop_invalid" });
      expect(again.headers.get("www-authenticate")).toMatch(/^Bearer realm="api", DPoP algs="[^"]+", error=/);
      const fresh = await proof(key, token, { url: `${worker.url}/orders/7` });
      expect((await worker.fetch("/orders/7", { headers: { ...headers, dpop: fresh } })).status).toBe(200);
      // As Bearer, the bound token is refused even with a proof.
      const bearer = await worker.fetch("/orders/7", { headers: { ...headers, authorization: `Bearer ${token}` } });
      expect((await bearer.json()) as object).toMatchObject({ code: "dpop_required" });
    });
  });
}
