/** Rules bound to path parameters through the built Vercel middleware in edge-runtime. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { BINDING_CASES, bindingEnv, FORBIDDEN } from "../helpers/bindings.js";
import { ensureBuilt, loadMiddleware, originHeaders, type LoadedMiddleware } from "./edge.js";

let issuer: TestIssuer;
let mw: LoadedMiddleware;

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("ES256");
  mw = await loadMiddleware(bindingEnv(issuer));
});
afterAll(() => issuer?.stop());

describe("the Vercel middleware with claims bound to path parameters", () => {
  it.each(BINDING_CASES)("a token of tenant A on $name ($path) gets $status", async ({ path, status }) => {
    const inbound = { authorization: `Bearer ${await issuer.sign({ org_id: "A" })}`, "x-auth-binding": "forged" };
    const res = await mw.call(path, inbound);
    if (status === 200) {
      expect(res.headers.get("x-middleware-next")).toBe("1");
      expect(originHeaders(inbound, res)["x-auth-binding"]).toBe("org_id equals :org");
    } else {
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual(FORBIDDEN);
    }
  });
});
