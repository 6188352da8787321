/**
 * `onJwksFetch`: one event per discovery or JWKS fetch, with outcome, status and duration. And the
 * `jwt.authorize` span through a recording fake tracer (both `startActiveSpan` and `startSpan` tracers),
 * and through `@opentelemetry/api` itself with a minimal in-memory tracer.
 */
import { describe, expect, it } from "vitest";
import { INVALID_SPAN_CONTEXT, trace as otelTrace, type Span, type Tracer as OtelTracer } from "@opentelemetry/api";
import type { JwksFetchEvent, TraceSpan, Tracer } from "../../src/index.js";
import { authorizerFor, fakeIssuer, makeClock, makeKey, mint, request } from "../keys/fixtures.js";

describe("onJwksFetch", () => {
  it("reports discovery and JWKS fetches, good and bad, each once", async () => {
    const key = await makeKey("k1");
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const fetches: JwksFetchEvent[] = [];
    const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
      clock.advance(20);
      return idp.fetch(input, init);
    }) as typeof fetch;
    const { authorizer } = authorizerFor(idp, clock, {
      jwksUri: false,
      deps: { fetch: slow, onJwksFetch: (e) => void fetches.push(e) },
    });
    expect((await authorizer.authorize(request(await mint(key, clock)))).ok).toBe(true);
    expect(fetches).toEqual([
      { issuer: "https://idp.example", kind: "discovery", outcome: "ok", status: 200, durationMs: 20 },
      { issuer: "https://idp.example", kind: "jwks", outcome: "ok", status: 200, durationMs: 20 },
    ]);
    idp.mode = "500";
    clock.advance(3_600_000);
    await authorizer.authorize(request(await mint(key, clock)));
    expect(fetches.slice(2)).toEqual([
      expect.objectContaining({ kind: "jwks", outcome: "error", status: 500, error: "answered HTTP 500" }),
    ]);
  });

  it("a throwing fetch hook breaks nothing", async () => {
    const key = await makeKey("k1");
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { authorizer, logger } = authorizerFor(idp, clock, {
      deps: {
        onJwksFetch: () => {
          throw new Error("x");
        },
      },
    });
    expect((await authorizer.authorize(request(await mint(key, clock)))).ok).toBe(true);
    expect(logger.find("on_jwks_fetch_failed")).toHaveLength(1);
  });
});

/** A tracer that records its spans: `active` chooses the `startActiveSpan` form. */
function recordingTracer(active: boolean) {
  const spans: { name: string; attributes: Record<string, unknown>; status?: unknown; ended: boolean }[] = [];
  const startSpan = (name: string): TraceSpan => {
    const record = { name, attributes: {} as Record<string, unknown>, status: undefined as unknown, ended: false };
    spans.push(record);
    return {
      setAttribute: (k, v) => void (record.attributes[k] = v),
      setStatus: (s) => void (record.status = s),
      end: () => void (record.ended = true),
    };
  };
  const tracer: Tracer = active ? { startSpan, startActiveSpan: (name, fn) => fn(startSpan(name)) } : { startSpan };
  return { tracer, spans };
}

describe("the jwt.authorize span", () => {
  it.each([true, false])("startActiveSpan %s: attributes outcome, code, issuer, kid, rule", async (active) => {
    const key = await makeKey("k1");
    const idp = fakeIssuer([key.jwk]);
    const clock = makeClock();
    const { tracer, spans } = recordingTracer(active);
    const { authorizer } = authorizerFor(idp, clock, {
      config: { routes: [{ path: "/orders/:id", access: "protected" }] },
      deps: { tracer },
    });
    await authorizer.authorize(request(await mint(key, clock)));
    expect(spans).toEqual([
      {
        name: "jwt.authorize",
        attributes: {
          "jwt.outcome": "allowed",
          "jwt.code": "token",
          "jwt.status": 200,
          "jwt.token_cache": "miss",
          "http.request.method": "GET",
          "jwt.issuer": "https://idp.example",
          "jwt.kid": "k1",
          "jwt.rule": "/orders/:id",
        },
        status: undefined,
        ended: true,
      },
    ]);
    idp.mode = "500";
    const down = authorizerFor(idp, clock, { deps: { tracer } }).authorizer;
    await down.authorize(request(await mint(key, clock)));
    expect(spans[1]).toMatchObject({ status: { code: 2, message: "keys_unavailable" }, ended: true });
  });

  it("a tracer that throws leaves the decision alone", async () => {
    const key = await makeKey("k1");
    const clock = makeClock();
    const tracer: Tracer = {
      startSpan: () => {
        throw new Error("tracer down");
      },
    };
    const { authorizer } = authorizerFor(fakeIssuer([key.jwk]), clock, { deps: { tracer } });
    expect((await authorizer.authorize(request(await mint(key, clock)))).ok).toBe(true);
  });

  it("fits @opentelemetry/api's Tracer, and runs as the active span", async () => {
    const key = await makeKey("k1");
    const clock = makeClock();
    const { tracer: inner, spans } = recordingTracer(false);
    // The API's own non-recording span, wrapped to record: a tracer provider in a dozen lines.
    const otel: OtelTracer = {
      startSpan: (name) => Object.assign(otelTrace.wrapSpanContext(INVALID_SPAN_CONTEXT), inner.startSpan(name)),
      startActiveSpan: ((name: string, fn: (span: Span) => unknown) =>
        fn(otel.startSpan(name))) as OtelTracer["startActiveSpan"],
    };
    const { authorizer } = authorizerFor(fakeIssuer([key.jwk]), clock, { deps: { tracer: otel } });
    await authorizer.authorize(request(await mint(key, clock)));
    expect(spans.map((s) => [s.name, s.attributes["jwt.outcome"], s.ended])).toEqual([
      ["jwt.authorize", "allowed", true],
    ]);
  });
});
