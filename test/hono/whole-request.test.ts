/** Whole-request attacks through the Hono middleware (`app.request()`): none reaches the app's handler. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { jwtAuthorizer, type JwtAuthorizerEnv } from "../../adapters/hono/index.js";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { ATTACKS, REFUSAL, wholeRequestEnv } from "../helpers/whole-request.js";

let issuer: TestIssuer;
let app: Hono<JwtAuthorizerEnv>;
let handled = 0;

beforeAll(async () => {
  issuer = await startTestIssuer("ES256");
  app = new Hono<JwtAuthorizerEnv>();
  app.use("*", jwtAuthorizer({ env: wholeRequestEnv(issuer) }));
  app.all("*", (c) => {
    handled++;
    return c.json({ reason: c.get("auth").reason });
  });
});
afterAll(() => issuer.stop());

describe("the Hono middleware refuses whole-request attacks", () => {
  it.each(ATTACKS)("$name is 401 token_missing and never reaches the handler", async ({ method, path, headers }) => {
    const before = handled;
    const res = await app.request(path, { method, headers: headers ?? {} });
    expect(res.status).toBe(REFUSAL.status);
    expect(await res.json()).toEqual(REFUSAL.body);
    expect(res.headers.get("www-authenticate")).toBe(REFUSAL.wwwAuthenticate);
    expect(handled).toBe(before);
  });

  it("an admin token passes the same dodged path, so the refusals are about the rule", async () => {
    const token = await issuer.sign({ roles: ["admin"] });
    const res = await app.request("/public/..;/admin/users", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reason: "token" });
  });
});
