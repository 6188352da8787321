/**
 * An in-memory provider for the introspection tests: discovery names the introspection endpoint, which
 * answers from a map of token → answer (unknown tokens are inactive), or fails in a chosen way, or holds
 * every call until released. Records each call. Nothing sleeps or opens a socket.
 */
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import type { Authorizer, Deps } from "../../src/index.js";
import { ISSUER, DISCOVERY_URL, makeClock, recordingLogger, type Clock } from "../keys/fixtures.js";

export const INTROSPECTION_URL = "https://idp.example/token/introspection";
export const CLIENT_ID = "orders-api";
export const SECRET = "introspection-secret-0123456789";

export type IdpMode = "ok" | "500" | "hang" | "garbage" | "huge" | "raw";

export function fakeIdp(clock: Clock) {
  const state = {
    answers: new Map<string, Record<string, unknown>>(),
    mode: "ok" as IdpMode,
    /** With mode `raw`: the body sent as is. */
    raw: "",
    calls: [] as Array<{ url: string; init: RequestInit | undefined }>,
    discoveries: 0,
    held: undefined as Promise<void> | undefined,
  };
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    if (url === DISCOVERY_URL) {
      state.discoveries++;
      const doc = { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, introspection_endpoint: INTROSPECTION_URL };
      return Response.json(doc);
    }
    if (url !== INTROSPECTION_URL) return new Response("not found", { status: 404 });
    state.calls.push({ url, init });
    if (state.held) await state.held;
    if (state.mode === "500") return new Response("down", { status: 500 });
    if (state.mode === "garbage") return new Response("<html>", { status: 200 });
    if (state.mode === "huge") return new Response(`{"active":true,"x":"${"a".repeat(70_000)}"}`, { status: 200 });
    if (state.mode === "raw") return new Response(state.raw, { status: 200 });
    if (state.mode === "hang")
      return new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    const token = new URLSearchParams(String(init?.body)).get("token") ?? "";
    return Response.json(state.answers.get(token) ?? { active: false });
  };
  return Object.assign(state, {
    fetch: fetcher as typeof fetch,
    /** An active answer for `token`, valid for an hour from the clock's time. */
    activate(token: string, extra: Record<string, unknown> = {}) {
      const now = clock.seconds();
      state.answers.set(token, {
        active: true,
        aud: "api",
        sub: "alice",
        scope: "orders:read",
        exp: now + 3600,
        ...extra,
      });
    },
    /** Holds every introspection call until the returned function is called. */
    hold() {
      let release = () => {};
      state.held = new Promise<void>((r) => (release = r));
      return () => {
        state.held = undefined;
        release();
      };
    },
  });
}

export type FakeIdp = ReturnType<typeof fakeIdp>;

/** An authorizer whose issuer introspects, with `/orders/*` needing `orders:read`. */
export function introspecting(
  introspection: Record<string, unknown> = {},
  env: Record<string, unknown> = {},
  deps: Deps = {},
): { authorizer: Authorizer; logger: ReturnType<typeof recordingLogger>; idp: FakeIdp; clock: Clock } {
  const clock = makeClock();
  const idp = fakeIdp(clock);
  const logger = recordingLogger();
  const config = {
    issuers: [{ issuer: ISSUER, audience: "api", introspection: { clientId: CLIENT_ID, ...introspection } }],
    routes: [
      { path: "/orders/*", access: "protected", scopes: ["orders:read"] },
      { path: "/admin/*", access: "protected", scopes: ["admin"] },
    ],
  };
  const fullEnv = { JWT_CONFIG: JSON.stringify(config), JWT_INTROSPECTION_SECRET: SECRET, ...env };
  const authorizer = createAuthorizer(configFromEnv(fullEnv), { fetch: idp.fetch, now: clock.now, logger, ...deps });
  return { authorizer, logger, idp, clock };
}

/** `{ status, code }` of a request to `path` with `token` (`200`/`"ok"` when allowed). */
export async function answer(authorizer: Authorizer, token: string, path = "/orders/1") {
  const d = await authorizer.authorize(
    new Request(`https://api.example${path}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  return d.ok ? { status: 200, code: "ok" } : { status: d.status, code: d.code as string };
}
