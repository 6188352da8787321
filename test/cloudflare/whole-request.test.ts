/**
 * Whole-request attacks through the real Worker in workerd, in front of a real echo origin: none of
 * them reaches the origin, and what an allowed request forwards carries no smuggled identity, no
 * override header and no credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { ATTACKS, OVERRIDES, REFUSAL, SPOOFED, wholeRequestEnv } from "../helpers/whole-request.js";
import { startWorker, type Echo, type RunningWorker } from "./harness.js";

let issuer: TestIssuer;
let origin: EchoOrigin;
let worker: RunningWorker;

beforeAll(async () => {
  [issuer, origin] = await Promise.all([startTestIssuer("ES256"), startEchoOrigin()]);
  worker = await startWorker({ ...wholeRequestEnv(issuer), ORIGIN_URL: origin.url }, { persist: false });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([issuer?.stop(), origin?.stop()]);
});

describe("the Worker refuses whole-request attacks", () => {
  it.each(ATTACKS)("$name is 401 token_missing and never reaches the origin", async ({ method, path, headers }) => {
    const hits = origin.hits;
    const res = await worker.fetch(path, { method, headers: headers ?? {} });
    expect(res.status).toBe(REFUSAL.status);
    expect(await res.json()).toEqual(REFUSAL.body);
    expect(res.headers.get("www-authenticate")).toBe(REFUSAL.wwwAuthenticate);
    expect(origin.hits).toBe(hits);
  });

  it("x_auth_sub and other spellings of identity headers never reach the origin", async () => {
    const token = await issuer.sign({ roles: ["admin"] });
    const res = await worker.fetch("/admin/users", { headers: { authorization: `Bearer ${token}`, ...SPOOFED } });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    for (const name of Object.keys(SPOOFED)) expect(seen.headers[name.toLowerCase()], name).toBeUndefined();
    expect(seen.headers["x-auth-sub"]).toBe("alice");
    expect(seen.headers["x-auth-iss"]).toBe(issuer.issuer);
  });

  it("method and URL override headers never reach the origin", async () => {
    const res = await worker.fetch("/public/x", { headers: OVERRIDES });
    expect(res.status).toBe(200);
    const seen = (await res.json()) as Echo;
    for (const name of Object.keys(OVERRIDES)) expect(seen.headers[name], name).toBeUndefined();
  });

  it("with stripAuthorization, a query token and a cookie token never reach the origin", async () => {
    const token = await issuer.sign({ roles: ["admin"] });
    const byQuery = (await (await worker.fetch(`/admin/users?a=1&access_token=${token}`)).json()) as Echo;
    expect(byQuery.path).toBe("/admin/users?a=1");
    const byCookie = (await (
      await worker.fetch("/admin/users", { headers: { cookie: `theme=dark; session=${token}` } })
    ).json()) as Echo;
    expect(byCookie.path).toBe("/admin/users");
    expect(byCookie.headers.cookie).toBe("theme=dark");
    expect(JSON.stringify([byQuery, byCookie])).not.toContain(token.split(".")[2]!);
  });
});
