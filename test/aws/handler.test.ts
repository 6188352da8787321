import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { captureLogs, handlerWithIssuer, importHandler, lambdaContext, type Handler } from "./harness.js";
import { AMBIGUOUS_DENIES, methodArn, restRequestEvent, STAGE_ARN, tokenEvent } from "./events.js";
import { iamAllows } from "./iam.js";
import { ROUTES } from "./routes.js";
import { createHandler } from "../../adapters/aws/create.js";
import { JWKS_URL, authorizerFor, fakeIssuer, holdable, makeClock, makeKey, mint } from "../keys/fixtures.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

let issuer: TestIssuer;
let handler: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ({ issuer, handler } = await handlerWithIssuer("ES256", {
    JWT_CONFIG: JSON.stringify({ routes: ROUTES }),
  }));
});
afterAll(() => issuer.stop());

describe("REST API authorizer (dist/aws/handler.mjs)", () => {
  it("answers a TOKEN event with a valid token: the caller as principal, Allow on the stage, Deny on each rule the token does not satisfy", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const result = await handler(tokenEvent("GET", "/me", `Bearer ${token}`), ctx);
    expect(result.principalId).toBe("alice");
    expect(result.policyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] },
        {
          Effect: "Deny",
          Action: "execute-api:Invoke",
          Resource: [
            ...METHODS.flatMap((m) => [`${STAGE_ARN}/${m}/admin`, `${STAGE_ARN}/${m}/admin/*`]),
            `${STAGE_ARN}/DELETE/orders/*`,
            `${STAGE_ARN}/DELETE/orders/*/`,
            `${STAGE_ARN}/GET/reports`,
            `${STAGE_ARN}/GET/reports/`,
            `${STAGE_ARN}/HEAD/reports`,
            `${STAGE_ARN}/HEAD/reports/`,
            ...AMBIGUOUS_DENIES,
          ],
        },
      ],
    });
  });

  it("flattens the identity into context: only strings, numbers and booleans, and never the token", async () => {
    const token = await issuer.sign({ scope: "orders:read", email: "alice@example.com", nested: { deep: [1, 2] } });
    const result = await handler(tokenEvent("GET", "/me", `Bearer ${token}`), ctx);
    expect(result.context).toMatchObject({ sub: "alice", iss: issuer.issuer, scope: "orders:read" });
    for (const value of Object.values(result.context)) expect(["string", "number", "boolean"]).toContain(typeof value);
    expect(JSON.parse(String(result.context.claims))).toMatchObject({ sub: "alice", nested: { deep: [1, 2] } });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it("answers a REQUEST event (headers, query, method and path from the event) the same way", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const result = await handler(
      restRequestEvent("GET", "/orders/42", { Authorization: `Bearer ${token}` }, { expand: "items" }),
      ctx,
    );
    expect(result.principalId).toBe("alice");
    expect(iamAllows(result.policyDocument, methodArn("GET", "/orders/42"))).toBe(true);
    expect(result.policyDocument.Statement[0]).toEqual({
      Effect: "Allow",
      Action: "execute-api:Invoke",
      Resource: [`${STAGE_ARN}/*/*`],
    });
  });

  it("throws Error('Unauthorized') (API Gateway 401) when the token is missing, not a Bearer token, or invalid", async () => {
    const expired = await issuer.sign({}, { now: Math.floor(Date.now() / 1000) - 7200 });
    const [h, p] = (await issuer.sign()).split(".");
    const forged = `${h}.${p}.${"A".repeat(86)}`;
    for (const event of [
      tokenEvent("GET", "/me", ""),
      tokenEvent("GET", "/me", `Basic ${await issuer.sign()}`),
      tokenEvent("GET", "/me", `Bearer ${expired}`),
      tokenEvent("GET", "/me", `Bearer ${forged}`),
      restRequestEvent("GET", "/me", {}),
      restRequestEvent("GET", "/me", { Authorization: "Bearer not.a.jwt" }),
    ]) {
      await expect(handler(event, ctx)).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it("answers a valid token without the route's scope with a Deny on the method ARN (API Gateway 403)", async () => {
    const token = await issuer.sign({ scope: "orders:read" });
    const arn = methodArn("DELETE", "/orders/42");
    const result = await handler(restRequestEvent("DELETE", "/orders/42", { Authorization: `Bearer ${token}` }), ctx);
    expect(result.principalId).toBe("alice");
    expect(result.policyDocument.Statement[1].Effect).toBe("Deny");
    expect(result.policyDocument.Statement[1].Resource).toContain(arn);
    expect(iamAllows(result.policyDocument, arn)).toBe(false);
    expect(iamAllows(result.policyDocument, methodArn("GET", "/orders/42"))).toBe(true);
  });

  it("denies the route for a token lacking a role (forbidden_claims is a 403 too)", async () => {
    const token = await issuer.sign({ roles: ["viewer"] });
    const result = await handler(tokenEvent("GET", "/reports", `Bearer ${token}`), ctx);
    expect(iamAllows(result.policyDocument, methodArn("GET", "/reports"))).toBe(false);
    expect(iamAllows(result.policyDocument, methodArn("POST", "/reports"))).toBe(true);
  });

  it("logs one JSON line per decision with reason code, issuer, kid, route, latency and the Lambda request id, never the token", async () => {
    const token = await issuer.sign({}, { now: Math.floor(Date.now() / 1000) - 7200 });
    const { error, lines, raw } = await captureLogs(() =>
      handler(tokenEvent("GET", "/orders/42", `Bearer ${token}`), lambdaContext("req-expired-1")),
    );
    expect((error as Error).message).toBe("Unauthorized");
    const decision = lines.filter((l) => l.message === "authorization decision");
    expect(decision).toHaveLength(1);
    expect(decision[0]).toMatchObject({
      level: "INFO",
      code: "token_expired",
      status: 401,
      allowed: false,
      issuer: issuer.issuer,
      kid: issuer.current.kid,
      route: "GET /orders/42",
      event: "token",
      function_request_id: "req-expired-1",
      service: "edge-jwt-authorizer",
    });
    expect(typeof decision[0]!.latencyMs).toBe("number");
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.split(".")[2]);

    const good = await issuer.sign({ scope: "orders:read" });
    const ok = await captureLogs(() =>
      handler(tokenEvent("GET", "/orders/42", `Bearer ${good}`), lambdaContext("req-ok-2")),
    );
    expect(ok.lines.filter((l) => l.message === "authorization decision")).toEqual([
      expect.objectContaining({
        code: "token",
        allowed: true,
        status: 200,
        issuer: issuer.issuer,
        route: "GET /orders/42",
        function_request_id: "req-ok-2",
      }),
    ]);
    expect(ok.raw).not.toContain(good);
  });
});

describe("keys and configuration", () => {
  it("throws a different error (API Gateway 500) when no key can be had, and logs why", async () => {
    const down = await startTestIssuer("RS256");
    down.mode = "500";
    try {
      const fresh = await importHandler({
        JWT_ISSUER: down.issuer,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: "",
        JWT_WARMUP: "",
      });
      const token = await down.sign();
      const { error, lines, raw } = await captureLogs(() => fresh(tokenEvent("GET", "/me", `Bearer ${token}`), ctx));
      expect((error as Error).message).toBe("Authorizer unavailable");
      expect(lines.filter((l) => l.message?.toString().startsWith("authorizer unavailable"))).toEqual([
        expect.objectContaining({ level: "ERROR", code: "keys_unavailable", status: 503, route: "GET /me" }),
      ]);
      expect(raw).not.toContain(token);
      expect(down.counts.jwks).toBeGreaterThanOrEqual(1);
    } finally {
      await down.stop();
    }
  });

  it("fetches the keys during init with JWT_WARMUP=true and keeps them when the issuer goes down", async () => {
    const idp = await startTestIssuer("RS256");
    try {
      const warm = await importHandler({
        JWT_ISSUER: idp.issuer,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: "",
        JWT_WARMUP: "true",
      });
      expect(idp.counts.jwks).toBe(1);
      idp.mode = "500";
      const result = await warm(tokenEvent("GET", "/me", `Bearer ${await idp.sign()}`), ctx);
      expect(result.policyDocument.Statement).toEqual([
        { Effect: "Allow", Action: "execute-api:Invoke", Resource: [`${STAGE_ARN}/*/*`] },
        { Effect: "Deny", Action: "execute-api:Invoke", Resource: AMBIGUOUS_DENIES },
      ]);
      expect(idp.counts.jwks).toBe(1);
    } finally {
      await idp.stop();
    }
  });

  it("does not fail init when the warm-up cannot reach the issuer; the first request reports 500", async () => {
    const idp = await startTestIssuer("RS256");
    idp.mode = "500";
    try {
      const cold = await importHandler({
        JWT_ISSUER: idp.issuer,
        JWT_AUDIENCE: "api",
        JWT_CONFIG: "",
        JWT_WARMUP: "true",
      });
      await expect(cold(tokenEvent("GET", "/me", `Bearer ${await idp.sign()}`), ctx)).rejects.toThrow(
        /^Authorizer unavailable$/,
      );
    } finally {
      await idp.stop();
    }
  });

  it("fails init on an invalid configuration, naming the variable", async () => {
    await expect(
      importHandler({ JWT_ISSUER: "http://login.example.com/", JWT_AUDIENCE: "api", JWT_CONFIG: "" }),
    ).rejects.toMatchObject({ variable: "JWT_ISSUER" });
    await expect(
      importHandler({ JWT_ISSUER: "https://login.example.com/", JWT_AUDIENCE: "", JWT_CONFIG: "" }),
    ).rejects.toMatchObject({ variable: "JWT_AUDIENCE" });
    await expect(
      importHandler({
        JWT_ISSUER: "https://login.example.com/",
        JWT_AUDIENCE: "api",
        JWT_CONFIG: "",
        JWT_AWS_RESPONSE: "xml",
      }),
    ).rejects.toMatchObject({ variable: "JWT_AWS_RESPONSE" });
  });
});

describe("the Lambda handler past the JWKS TTL", () => {
  it("decides with the cached keys, then finishes the key refresh before returning (the sandbox freezes after)", async () => {
    const key = await makeKey("k1");
    const idp = fakeIssuer([key.jwk]);
    const gate = holdable(idp);
    const clock = makeClock();
    const order: string[] = [];
    const deps = { fetch: gate.fetch, waitUntil: undefined, onDecision: () => void order.push("decided") };
    const { authorizer } = authorizerFor(idp, clock, { config: { cache: { jwks: { timeoutMs: 30_000 } } }, deps });
    await authorizer.warmUp();
    const lambda = createHandler({ authorizer });

    gate.hold = true;
    clock.advance(600_000);
    const event = tokenEvent("GET", "/me", `Bearer ${await mint(key, clock)}`);
    const { result } = await captureLogs(async () => {
      const answered = lambda(event, ctx).then((r) => (order.push("answered"), r));
      // The decision is made while the refresh is held open (a decision that waited would never come).
      while (!order.includes("decided")) await new Promise((resolve) => setImmediate(resolve));
      expect(gate.held()).toBe(1);
      order.push("released");
      gate.release();
      return answered;
    });
    expect(order).toEqual(["decided", "released", "answered"]);
    expect((result as { principalId?: string }).principalId).toBe("alice");
    expect(idp.count(JWKS_URL)).toBe(2);
  });
});
