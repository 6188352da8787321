/** The Hono middleware through `app.request()`: the same table as the Worker, plus how the authorizer is made. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { jwtAuthorizer, type JwtAuthorizerEnv } from "../../adapters/hono/index.js";
import { ConfigError, configFromEnv, createAuthorizer } from "../../src/index.js";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { CASES, tableEnv, tokensFor, type Tokens } from "./cases.js";

let issuer: TestIssuer;
let tokens: Tokens;

beforeAll(async () => {
  issuer = await startTestIssuer("ES256");
  tokens = await tokensFor(issuer);
});
afterAll(() => issuer.stop());

/** An app whose handler echoes what the middleware put on the context. */
function appWith(middleware: ReturnType<typeof jwtAuthorizer>) {
  const app = new Hono<JwtAuthorizerEnv>();
  app.use("*", middleware);
  app.all("*", (c) =>
    c.json({ sub: c.get("jwtPayload")?.sub ?? null, reason: c.get("auth").reason, headers: c.get("auth").headers }),
  );
  return app;
}

describe("the Hono middleware answers the table of cases", () => {
  let app: ReturnType<typeof appWith>;
  beforeAll(() => {
    app = appWith(jwtAuthorizer({ env: tableEnv(issuer) }));
  });

  it.each(CASES)("$name", async (row) => {
    const res = await app.request("/orders/7?x=1", { headers: { ...row.headers(tokens), "x-auth-sub": "admin" } });
    expect(res.status).toBe(row.status);
    if (row.status === 200) {
      const body = (await res.json()) as { sub: string; reason: string; headers: Record<string, string> };
      expect(body.sub).toBe("alice");
      expect(body.reason).toBe("token");
      expect(body.headers["x-auth-sub"]).toBe("alice");
      expect(body.headers["x-auth-iss"]).toBe(issuer.issuer);
    } else {
      expect(await res.json()).toEqual(row.body);
      expect(res.headers.get("www-authenticate")).toBe(row.wwwAuthenticate);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("the Hono middleware creates its authorizer once", () => {
  it("creates it from config when the middleware is created, and the keys are fetched once for many requests", async () => {
    const fresh = await startTestIssuer("RS256");
    try {
      const app = appWith(jwtAuthorizer({ config: configFromEnv({ JWT_ISSUER: fresh.issuer, JWT_AUDIENCE: "api" }) }));
      const tokens = await Promise.all(["a", "b", "c"].map((sub) => fresh.sign({ sub })));
      const statuses = await Promise.all(
        tokens.map(async (t) => (await app.request("/", { headers: { authorization: `Bearer ${t}` } })).status),
      );
      expect(statuses).toEqual([200, 200, 200]);
      expect(fresh.counts).toEqual({ discovery: 1, jwks: 1 });
    } finally {
      await fresh.stop();
    }
  });

  it("creates it lazily, once, from c.env when no config is given (as on Workers)", async () => {
    const fresh = await startTestIssuer("RS256");
    try {
      const app = appWith(jwtAuthorizer());
      const env = { JWT_ISSUER: fresh.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: fresh.jwksUri };
      for (const sub of ["a", "b"]) {
        const res = await app.request("/", { headers: { authorization: `Bearer ${await fresh.sign({ sub })}` } }, env);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { sub: string }).sub).toBe(sub);
      }
      expect(fresh.counts).toEqual({ discovery: 0, jwks: 1 });
    } finally {
      await fresh.stop();
    }
  });

  it("uses an authorizer you pass in", async () => {
    const authorizer = createAuthorizer(configFromEnv(tableEnv(issuer)));
    const res = await appWith(jwtAuthorizer({ authorizer })).request("/", {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_request", code: "token_missing" });
  });

  it("refuses an invalid configuration when the middleware is created, naming the variable", () => {
    let error: unknown;
    try {
      jwtAuthorizer({ env: { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_CLOCK_TOLERANCE: "3600" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("JWT_CLOCK_TOLERANCE");
  });

  it("answers 500, never passes, when the configuration from c.env is invalid", async () => {
    const app = appWith(jwtAuthorizer());
    const res = await app.request("/", {}, { JWT_AUDIENCE: "api" });
    expect(res.status).toBe(500);
  });

  it("refuses options that name two sources of configuration", () => {
    expect(() => jwtAuthorizer({ env: tableEnv(issuer), config: configFromEnv(tableEnv(issuer)) })).toThrow(TypeError);
  });
});

describe("the Hono middleware on Workers", () => {
  it("hands each pending decision to executionCtx.waitUntil, so a shared key fetch outlives a client that went away", async () => {
    const waited: Array<Promise<unknown>> = [];
    const executionCtx = {
      waitUntil: (p: Promise<unknown>) => void waited.push(p),
      passThroughOnException: () => {},
      props: {},
    };
    const app = appWith(jwtAuthorizer({ env: tableEnv(issuer) }));
    const res = await app.request("/", { headers: { authorization: `Bearer ${tokens.valid}` } }, {}, executionCtx);
    expect(res.status).toBe(200);
    expect(waited).toHaveLength(1);
    expect(await waited[0]).toMatchObject({ ok: true, subject: "alice" });
  });
});

describe("the Hono middleware on public routes", () => {
  it("lets a request through without a token and sets jwtPayload to null", async () => {
    const env = {
      ...tableEnv(issuer),
      JWT_CONFIG: JSON.stringify({ routes: [{ path: "/health", access: "public" }] }),
    };
    const app = appWith(jwtAuthorizer({ env }));
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: null, reason: "public", headers: {} });
  });
});

describe("refusals through app.onError, and typed variables on a plain Hono", () => {
  it("a refusal is an HTTPException carrying the core's response, so onError can restyle it", async () => {
    const { HTTPException } = await import("hono/http-exception");
    const app = new Hono();
    app.use("*", jwtAuthorizer({ env: tableEnv(issuer) }));
    app.get("*", (c) => c.json({ sub: c.get("jwtPayload")?.sub ?? null }));
    app.onError((err, c) => {
      if (err instanceof HTTPException) {
        const res = err.getResponse();
        return c.json({ problem: "auth", status: res.status, www: res.headers.get("www-authenticate") }, 418);
      }
      throw err;
    });
    const res = await app.request("/x");
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ problem: "auth", status: 401, www: 'Bearer realm="api"' });
    const ok = await app.request("/x", { headers: { authorization: `Bearer ${tokens.valid}` } });
    expect(await ok.json()).toEqual({ sub: "alice" });
  });

  it("without onError, Hono answers with the core's refusal as before", async () => {
    const app = new Hono();
    app.use("*", jwtAuthorizer({ env: tableEnv(issuer) }));
    app.get("*", (c) => c.text("origin"));
    const res = await app.request("/x", { headers: { authorization: `Bearer ${tokens.expired}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "invalid_token", code: "token_expired" });
  });
});
