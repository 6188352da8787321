/**
 * CloudWatch EMF from the built handler (dist/aws/handler.mjs), run in a child process as Lambda would:
 * one metrics line per invocation that CloudWatch accepts (an `_aws` block with Timestamp and
 * CloudWatchMetrics [{Namespace, Dimensions, Metrics}], every named metric present as a member), the
 * namespace from POWERTOOLS_METRICS_NAMESPACE (default EdgeJwtAuthorizer), and one ColdStart.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIssuer, type TestIssuer } from "../helpers/issuer.js";
import { BUNDLE, ensureBuilt, lambdaContext } from "./harness.js";
import { tokenEvent } from "./events.js";

type Emf = {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
} & Record<string, unknown>;

/** Runs the handler once per event in one fresh Node process; returns its stdout's EMF lines. */
async function invoke(env: Record<string, string>, events: unknown[]): Promise<Emf[]> {
  const script = `
    const { handler } = await import(${JSON.stringify(BUNDLE)});
    const events = JSON.parse(process.env.EVENTS);
    for (const event of events) await handler(event, JSON.parse(process.env.CONTEXT)).catch(() => {});
  `;
  const context = { ...lambdaContext(), getRemainingTimeInMillis: undefined };
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
    // As the Lambda runtime sets it (Powertools counts a cold start only for on-demand environments).
    env: {
      PATH: process.env.PATH,
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      EVENTS: JSON.stringify(events),
      CONTEXT: JSON.stringify(context),
      ...env,
    },
  });
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l): l is Emf => "_aws" in l);
}

/** Checks one line the way CloudWatch does, and returns its namespace, dimension sets and metrics. */
function valid(line: Emf) {
  const { Timestamp, CloudWatchMetrics } = line._aws;
  expect(Number.isInteger(Timestamp)).toBe(true);
  expect(Math.abs(Timestamp - Date.now())).toBeLessThan(60_000);
  expect(CloudWatchMetrics).toHaveLength(1);
  const [{ Namespace, Dimensions, Metrics }] = CloudWatchMetrics as [Emf["_aws"]["CloudWatchMetrics"][0]];
  expect(Namespace).toMatch(/^[\w./#:-]{1,255}$/);
  for (const set of Dimensions) for (const name of set) expect(typeof line[name]).toBe("string");
  for (const { Name, Unit } of Metrics) {
    expect(typeof line[Name]).toBe("number");
    expect(["Count", "Milliseconds"]).toContain(Unit);
  }
  const metrics = Object.fromEntries(Metrics.map((m) => [m.Name, line[m.Name]]));
  return { namespace: Namespace, dimensions: Dimensions, metrics, code: line.code };
}

let issuer: TestIssuer;
beforeAll(async () => {
  ensureBuilt();
  issuer = await startTestIssuer("ES256");
});
afterAll(() => issuer?.stop());

describe("EMF metrics from the built Lambda handler", () => {
  it("one line per invocation: Allowed, Refused by code, TokenCacheHit, AuthorizeDuration; ColdStart once", async () => {
    const token = await issuer.sign({});
    const expired = await issuer.sign({}, { now: Math.floor(Date.now() / 1000) - 7200 });
    const events = [
      tokenEvent("GET", "/me", `Bearer ${token}`),
      tokenEvent("GET", "/me", `Bearer ${token}`),
      tokenEvent("GET", "/me", `Bearer ${expired}`),
      tokenEvent("GET", "/me", ""),
      { not: "an event" },
    ];
    const env = { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", POWERTOOLS_METRICS_NAMESPACE: "AuthTest" };
    const lines = (await invoke(env, events)).map(valid);
    const cold = lines.filter((l) => "ColdStart" in l.metrics);
    expect(cold).toHaveLength(1);
    const decisions = lines.filter((l) => !("ColdStart" in l.metrics));
    expect(decisions).toHaveLength(events.length);
    for (const line of lines) expect(line.namespace).toBe("AuthTest");
    for (const line of decisions) {
      expect(line.dimensions).toEqual([["service"], ["service", "code"]]);
      expect(line.metrics.AuthorizeDuration).toBeGreaterThanOrEqual(0);
    }
    expect(
      decisions.map((l) => [l.code, l.metrics.Allowed ?? 0, l.metrics.Refused ?? 0, l.metrics.TokenCacheHit]),
    ).toEqual([
      ["token", 1, 0, 0],
      ["token", 1, 0, 1],
      ["token_expired", 0, 1, 0],
      ["token_missing", 0, 1, undefined],
      ["malformed_event", 0, 1, undefined],
    ]);
  });

  it("JwksFetchFailed counts failed fetches; the namespace defaults to EdgeJwtAuthorizer", async () => {
    const token = await issuer.sign({});
    const env = { JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: "api", JWT_JWKS_URI: `${issuer.issuer}/nothing-here` };
    const lines = (await invoke(env, [tokenEvent("GET", "/me", `Bearer ${token}`)])).map(valid);
    const decision = lines.find((l) => !("ColdStart" in l.metrics))!;
    expect(decision.namespace).toBe("EdgeJwtAuthorizer");
    expect(decision.code).toBe("keys_unavailable");
    expect(decision.metrics).toMatchObject({ Refused: 1, JwksFetchFailed: 1 });
  });
});
