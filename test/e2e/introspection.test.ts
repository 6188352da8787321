/**
 * End to end with a real OpenID provider issuing opaque access tokens: the authorizer introspects them
 * over HTTP (endpoint from discovery, client_secret_basic), enforces their scope through a route rule,
 * refuses a random string, refuses a revoked token once its cache entry ends, and keeps serving
 * cached tokens (503 for unseen ones) when the provider is gone. The clock is offset by hand to end
 * cache entries; nothing sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv, createAuthorizer, type Authorizer } from "../../src/index.js";
import { recordingLogger } from "../keys/fixtures.js";
import { API_ID, API_SECRET, RESOURCE, startOpaqueProvider, type OpaqueProvider } from "./opaque-harness.js";

let provider: OpaqueProvider;
let authorizer: Authorizer;
const logger = recordingLogger();
const clock = { offset: 0, now: () => Date.now() + clock.offset };
const tokens: string[] = [];

const call = async (token: string, method = "GET") => {
  const d = await authorizer.authorize(
    new Request("https://api.example/orders/42", { method, headers: { authorization: `Bearer ${token}` } }),
  );
  return d.ok ? { status: 200, code: "ok" } : { status: d.status, code: d.code as string };
};
const token = async (scope: string) => {
  const t = await provider.accessToken(scope);
  tokens.push(t);
  return t;
};

beforeAll(async () => {
  provider = await startOpaqueProvider();
  const config = {
    issuers: [{ issuer: provider.issuer, audience: RESOURCE, introspection: { clientId: API_ID, cacheTtl: 30 } }],
    routes: [
      { methods: ["GET"], path: "/orders/*", access: "protected", scopes: ["orders:read"] },
      { methods: ["POST"], path: "/orders/*", access: "protected", scopes: ["orders:write"] },
    ],
  };
  const env = { JWT_CONFIG: JSON.stringify(config), JWT_INTROSPECTION_SECRET: API_SECRET };
  authorizer = createAuthorizer(configFromEnv(env), { now: clock.now, logger });
}, 30_000);

afterAll(async () => {
  await provider?.stop();
});

describe("opaque tokens from a real OpenID provider", () => {
  it("passes an opaque token and enforces its scope through the route rule", async () => {
    const read = await token("orders:read");
    expect(read.split(".")).toHaveLength(1);
    expect(await call(read)).toEqual({ status: 200, code: "ok" });
    expect(await call(read, "POST")).toEqual({ status: 403, code: "insufficient_scope" });
    const d = await authorizer.authorize(
      new Request("https://api.example/orders/42", { headers: { authorization: `Bearer ${read}` } }),
    );
    expect(d.ok && d.claims).toMatchObject({ iss: provider.issuer, aud: RESOURCE, scope: "orders:read" });
  });

  it("answers 401 token_inactive for a random string", async () => {
    expect(await call("a-random-string-nobody-issued-0123456789")).toEqual({ status: 401, code: "token_inactive" });
  });

  it("100 concurrent requests with one unseen token make one introspection call", async () => {
    const fresh = await token("orders:read");
    const before = provider.counts.introspection;
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(fresh)));
    expect(answers.every((a) => a.code === "ok")).toBe(true);
    expect(provider.counts.introspection - before).toBe(1);
  });

  it("refuses a token revoked at the provider once its cache entry ends", async () => {
    const revoked = await token("orders:read");
    expect(await call(revoked)).toEqual({ status: 200, code: "ok" });
    await provider.revoke(revoked);
    expect(await call(revoked)).toEqual({ status: 200, code: "ok" }); // still cached
    clock.offset += 30_000;
    expect(await call(revoked)).toEqual({ status: 401, code: "token_inactive" });
  });

  it("with the provider stopped, a cached token passes and an unseen one gets 503", async () => {
    const cached = await token("orders:read");
    const unseen = await token("orders:read");
    expect(await call(cached)).toEqual({ status: 200, code: "ok" });
    await provider.stop();
    expect(await call(cached)).toEqual({ status: 200, code: "ok" });
    expect(await call(unseen)).toEqual({ status: 503, code: "introspection_unavailable" });
  });

  it("no log line holds a token or the secret", () => {
    const text = JSON.stringify(logger.lines);
    expect(logger.find("introspection_failed").length).toBeGreaterThan(0);
    for (const t of [...tokens, API_SECRET]) expect(text).not.toContain(t);
  });
});
