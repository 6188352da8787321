/**
 * Revocation and per-subject limits in real workerd: a `jti` written to the bound `JWT_REVOCATION_KV`
 * is refused (a token cached before too), and the `JWT_RATE_LIMITER` binding answers 429 for one
 * subject past its limit while another subject still passes.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { bearer, startWorker, type RunningWorker } from "./harness.js";

const LIMIT = 3;

describe("the Worker with JWT_REVOCATION_KV and JWT_RATE_LIMITER bound", () => {
  let issuer: TestIssuer;
  let origin: EchoOrigin;
  let worker: RunningWorker;

  beforeAll(async () => {
    [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
    worker = await startWorker(
      { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: issuer.jwksUri, ORIGIN_URL: origin.url },
      {
        persist: false,
        entrypoint: fileURLToPath(new URL("./fixtures/revoke-worker.ts", import.meta.url)),
        bindings: {
          JWT_REVOCATION_KV: { type: "kv_namespace", id: "revocations-test" },
          JWT_RATE_LIMITER: { type: "ratelimit", namespace_id: "1001", simple: { limit: LIMIT, period: 60 } },
        },
      },
    );
  });
  afterAll(async () => {
    await worker?.dispose();
    await Promise.all([issuer?.stop(), origin?.stop()]);
  });

  it("refuses a token whose jti is written to the KV, after it was accepted and cached", async () => {
    const token = await issuer.sign({ sub: "kv-user", jti: "laptop-stolen" });
    expect((await worker.fetch("/me", { headers: bearer(token) })).status).toBe(200);
    const key = `jti:${issuer.issuer}|laptop-stolen`;
    const put = await worker.fetch(`/__revoke?key=${encodeURIComponent(key)}`, { method: "PUT", body: "1" });
    expect(put.status).toBe(204);
    const res = await worker.fetch("/me", { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_token", code: "token_revoked" });
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    const other = await issuer.sign({ sub: "kv-user", jti: "another-device" });
    expect((await worker.fetch("/me", { headers: bearer(other) })).status).toBe(200);
  });

  it("answers 429 rate_limited with Retry-After past the limit for one subject; another still passes", async () => {
    const [busy, calm] = [await issuer.sign({ sub: "busy" }), await issuer.sign({ sub: "calm" })];
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await worker.fetch("/x", { headers: bearer(busy) })).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    const hitsBefore = origin.hits;
    const limited = await worker.fetch("/x", { headers: bearer(busy) });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: "rate_limited", code: "rate_limited" });
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(limited.headers.get("www-authenticate")).toBeNull();
    expect(origin.hits).toBe(hitsBefore);
    expect((await worker.fetch("/x", { headers: bearer(calm) })).status).toBe(200);
  });
});
