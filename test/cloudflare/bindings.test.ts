/** Rules bound to path parameters through the real Worker in workerd, in front of a real origin. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { BINDING_CASES, bindingEnv, FORBIDDEN } from "../helpers/bindings.js";
import { startWorker, type Echo, type RunningWorker } from "./harness.js";

let issuer: TestIssuer;
let origin: EchoOrigin;
let worker: RunningWorker;

beforeAll(async () => {
  [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
  worker = await startWorker({ ...bindingEnv(issuer), ORIGIN_URL: origin.url }, { persist: false });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([issuer?.stop(), origin?.stop()]);
});

describe("the Worker with claims bound to path parameters", () => {
  it.each(BINDING_CASES)("a token of tenant A on $name ($path) gets $status", async ({ path, status }) => {
    const token = await issuer.sign({ org_id: "A" });
    const hits = origin.hits;
    const res = await worker.fetch(path, { headers: { authorization: `Bearer ${token}`, "x-auth-binding": "forged" } });
    expect(res.status).toBe(status);
    if (status === 200) {
      const seen = (await res.json()) as Echo;
      expect(seen.headers["x-auth-binding"]).toBe("org_id equals :org");
      expect(origin.hits).toBe(hits + 1);
    } else {
      expect(await res.json()).toEqual(FORBIDDEN);
      expect(origin.hits).toBe(hits);
    }
  });
});
