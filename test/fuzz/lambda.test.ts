/**
 * Fuzzing API Gateway events through the built Lambda handler (dist/aws/handler.mjs): REST TOKEN,
 * REST REQUEST and HTTP API 2.0 events with fields removed or replaced by arbitrary values, and
 * arbitrary values as the whole event. The handler resolves with a policy (or a simple response), or
 * throws one of its two documented errors: `Unauthorized` (401) and `Authorizer unavailable` (500).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestIssuer } from "../helpers/issuer.js";
import { captureLogs, handlerWithIssuer, lambdaContext, type Handler } from "../aws/harness.js";
import { httpApiEvent, restRequestEvent, tokenEvent } from "../aws/events.js";
import { ROUTES } from "../aws/routes.js";
import { check } from "./runs.js";

let issuer: TestIssuer;
let handler: Handler;
let token: string;
const ctx = lambdaContext();

beforeAll(async () => {
  ({ issuer, handler } = await handlerWithIssuer("ES256", {
    JWT_CONFIG: JSON.stringify({ routes: ROUTES, identity: { claimHeaders: { email: "x-auth-email" } } }),
  }));
  token = await issuer.sign({ scope: "orders:read admin", email: "a\r\n\ud800@x" });
});
afterAll(() => issuer?.stop());

type Json = Record<string, unknown>;
/** Every path to a value inside an object (arrays included). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null) return [prefix];
  const inner = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length ? [prefix, ...inner] : inner;
}
function mutate(event: Json, path: string[], replacement: { remove: boolean; value: unknown }): void {
  let target: any = event;
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== "object" || target[key] === null) return;
    target = target[key];
  }
  const last = path[path.length - 1]!;
  if (replacement.remove) delete target[last];
  else target[last] = replacement.value;
}

const base = fc.constantFrom("token", "rest", "http").map((kind) => () => {
  const auth = `Bearer ${token}`;
  if (kind === "token") return tokenEvent("GET", "/orders/1", auth) as Json;
  if (kind === "rest") return restRequestEvent("GET", "/orders/1", { Authorization: auth }) as unknown as Json;
  return httpApiEvent("GET", "/orders/1", { authorization: auth }) as unknown as Json;
});
const change = fc.record({
  pick: fc.nat(),
  remove: fc.boolean(),
  value: fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom(null, "", "Bearer x", "GET", "/admin", "arn:aws:execute-api:x", [], {}, 0, "\r\n", "\ud800"),
  ),
});

async function expectDocumented(event: unknown): Promise<void> {
  const { result, error } = await captureLogs(() => handler(event, ctx));
  if (error !== undefined) {
    expect(error).toBeInstanceOf(Error);
    expect(["Unauthorized", "Authorizer unavailable"]).toContain((error as Error).message);
    return;
  }
  expect(typeof result).toBe("object");
  const context = (result as { context?: Record<string, unknown> }).context ?? {};
  for (const value of Object.values(context)) expect(["string", "number", "boolean"]).toContain(typeof value);
}

describe("fuzz: API Gateway events through the built handler", () => {
  it("events with fields removed or replaced: a policy or one of the two documented errors", async () => {
    await check(
      fc.asyncProperty(base, fc.array(change, { minLength: 1, maxLength: 4 }), async (make, changes) => {
        const event = make();
        for (const c of changes) {
          const all = paths(event);
          if (all.length === 0) break;
          mutate(event, all[c.pick % all.length]!, c);
        }
        await expectDocumented(event);
      }),
      250,
    );
  });

  it("arbitrary values as the event: one of the two documented errors at worst", async () => {
    await check(
      fc.asyncProperty(fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true }), async (event) => {
        await expectDocumented(event);
      }),
      150,
    );
  });
});
