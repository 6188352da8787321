/**
 * Whole-request attacks through the built Vercel middleware in edge-runtime: each is refused, and an
 * allowed request hands the origin no smuggled identity, no override header and no credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { ATTACKS, OVERRIDES, REFUSAL, SPOOFED, wholeRequestEnv } from "../helpers/whole-request.js";
import { ensureBuilt, loadMiddleware, originHeaders, type LoadedMiddleware } from "./edge.js";

let issuer: TestIssuer;
let mw: LoadedMiddleware;

beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("ES256");
  mw = await loadMiddleware(wholeRequestEnv(issuer));
});
afterAll(() => issuer?.stop());

describe("the Vercel middleware refuses whole-request attacks", () => {
  it.each(ATTACKS)("$name is 401 token_missing", async ({ method, path, headers }) => {
    const res = await mw.call(path, headers ?? {}, method);
    expect(res.status).toBe(REFUSAL.status);
    expect(await res.json()).toEqual(REFUSAL.body);
    expect(res.headers.get("www-authenticate")).toBe(REFUSAL.wwwAuthenticate);
    expect(res.headers.get("x-middleware-next")).toBeNull();
  });

  it("x_auth_sub and other spellings of identity headers never reach the origin", async () => {
    const inbound = { authorization: `Bearer ${await issuer.sign({ roles: ["admin"] })}`, ...SPOOFED };
    const res = await mw.call("/admin/users", inbound);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const seen = originHeaders(inbound, res);
    for (const name of Object.keys(SPOOFED)) expect(seen[name.toLowerCase()], name).toBeUndefined();
    expect(seen["x-auth-sub"]).toBe("alice");
  });

  it("method and URL override headers never reach the origin", async () => {
    const res = await mw.call("/public/x", OVERRIDES);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const seen = originHeaders(OVERRIDES, res);
    for (const name of Object.keys(OVERRIDES)) expect(seen[name], name).toBeUndefined();
  });

  it("with stripAuthorization, a query token is rewritten away and a cookie token dropped", async () => {
    const token = await issuer.sign({ roles: ["admin"] });
    const byQuery = await mw.call(`/admin/users?a=1&access_token=${token}`);
    expect(byQuery.headers.get("x-middleware-rewrite")).toBe("https://app.example/admin/users?a=1");
    const inbound = { cookie: `theme=dark; session=${token}` };
    const byCookie = await mw.call("/admin/users", inbound);
    expect(byCookie.headers.get("x-middleware-next")).toBe("1");
    expect(originHeaders(inbound, byCookie).cookie).toBe("theme=dark");
  });
});
