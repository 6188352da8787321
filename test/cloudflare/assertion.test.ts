/**
 * The signed identity assertion end to end: a token through the real Worker in workerd reaches a real
 * Node origin that verifies `x-auth-assertion` with `originMiddleware`; the same origin refuses what
 * reaches it directly (forged x-auth-*), a replayed assertion, one moved to another path, and a
 * modified one. The Worker serves the public keys, and `jose` alone verifies an assertion with them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { originMiddleware, type EdgeAuth } from "../../adapters/origin/index.js";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startWorker, type RunningWorker } from "./harness.js";

let issuer: TestIssuer;
let worker: RunningWorker;
let server: Server;
let originUrl: string;
let jwks: { keys: JWK[] };
/** What the origin's route saw: the identity from the assertion, and the assertion header itself. */
const seen: Array<{ path: string; subject?: string; assertion?: string }> = [];

beforeAll(async () => {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const key = { ...(await exportJWK(privateKey)), kid: "edge-1" };
  const publicKey = { kty: key.kty, crv: key.crv, x: key.x, y: key.y, kid: "edge-1", alg: "ES256", use: "sig" };
  jwks = { keys: [publicKey] };
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  originUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const verify = originMiddleware({ audience: originUrl, jwks });
  server.on("request", (req, res) => {
    void verify(req, res, () => {
      const auth = (req as typeof req & { edgeAuth: EdgeAuth }).edgeAuth;
      seen.push({
        path: req.url ?? "",
        subject: auth?.subject,
        assertion: req.headers["x-auth-assertion"] as string | undefined,
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ subject: auth?.subject ?? null }));
    });
  });
  issuer = await startTestIssuer("ES256");
  worker = await startWorker(
    { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", ORIGIN_URL: originUrl, JWT_ASSERTION_KEY: JSON.stringify(key) },
    { persist: false },
  );
});
afterAll(async () => {
  await worker?.dispose();
  await issuer?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const direct = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${originUrl}${path}`, { method, headers });

describe("the origin trusts the edge through a signed assertion", () => {
  it("a valid token through the Worker reaches the origin, which sees the subject from the assertion", async () => {
    const res = await worker.fetch("/orders/7?x=1", {
      headers: { authorization: `Bearer ${await issuer.sign({ sub: "alice" })}`, "x-auth-sub": "admin" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: "alice" });
    expect(seen.at(-1)).toMatchObject({ path: "/orders/7?x=1", subject: "alice" });
  });

  it("the Worker serves the public keys, and jose alone verifies the assertion with them", async () => {
    const served = (await (await worker.fetch("/.well-known/edge-jwt/jwks.json")).json()) as { keys: JWK[] };
    expect(served).toEqual(jwks);
    await worker.fetch("/orders/8", { headers: { authorization: `Bearer ${await issuer.sign({ sub: "bob" })}` } });
    const { payload } = await jwtVerify(seen.at(-1)!.assertion!, createLocalJWKSet(served), {
      typ: "edge-jwt-assertion+jwt",
    });
    expect(payload).toMatchObject({ sub: "bob", aud: originUrl, htm: "GET", htu: `${originUrl}/orders/8` });
  });

  it("a request sent to the origin directly with forged x-auth-* headers is 401 assertion_missing", async () => {
    const res = await direct("/orders/7", {
      "x-auth-sub": "admin",
      "x-auth-iss": issuer.issuer,
      "x-auth-claims": "eyJzdWIiOiJhZG1pbiJ9",
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_token", code: "assertion_missing" });
  });

  it("a replayed assertion, one moved to another path, and a modified one are refused", async () => {
    await worker.fetch("/orders/9", { headers: { authorization: `Bearer ${await issuer.sign({ sub: "carol" })}` } });
    const assertion = seen.at(-1)!.assertion!;
    const code = async (res: Response) => ((await res.json()) as { code: string }).code;
    const moved = await direct("/admin/users", { "x-auth-assertion": assertion });
    expect([moved.status, await code(moved)]).toEqual([401, "assertion_mismatch"]);
    const replayed = await direct("/orders/9", { "x-auth-assertion": assertion });
    expect([replayed.status, await code(replayed)]).toEqual([401, "assertion_replayed"]);
    const [h, p, s] = assertion.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const modified = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: "admin", jti: "fresh" })).toString("base64url")}.${s}`;
    const res = await direct("/orders/9", { "x-auth-assertion": modified });
    expect([res.status, await code(res)]).toEqual([401, "assertion_invalid"]);
  });

  it("an inbound x-auth-assertion is stripped: a request allowed without a token carries none", async () => {
    const replay = seen.at(-1)!.assertion!;
    const res = await worker.fetch("/orders/10", { headers: { "x-auth-assertion": replay } });
    expect(res.status).toBe(401); // no token: the Worker refuses before the origin
  });
});
