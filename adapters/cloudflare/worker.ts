/**
 * The Cloudflare Worker in front of an origin: it serves the RFC 9728 metadata and the assertion keys
 * when configured, authorizes every other request with the core, and forwards allowed ones with the
 * identity headers; refusals are the core's responses. A plain `fetch` handler: no router is needed
 * for one decision, and none rides in the bundle. Deployed by the root wrangler.toml.
 */
import {
  ASSERTION_HEADER,
  forwardHeaders,
  forwardUrl,
  metadataResponse,
  refusalResponse,
  serverTiming,
} from "../../src/index.js";
import { originUrl, workerAuthorizer, type WorkerEnv } from "./create.js";
import { workerRequestContext } from "./client-cert.js";

/** The part of the Worker's `ExecutionContext` used here. */
interface Ctx {
  waitUntil(promise: Promise<unknown>): void;
}

async function handle(inbound: Request, env: WorkerEnv, ctx: Ctx): Promise<Response> {
  const authorizer = workerAuthorizer(env);
  const document = metadataResponse(authorizer, inbound);
  if (document) return document;
  const started = performance.now();
  // A key refresh this request starts in the background (refresh-ahead) outlives the response.
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const pending = authorizer.authorize(inbound, { ...workerRequestContext(inbound), waitUntil });
  // A cold JWKS fetch this request starts is shared by concurrent requests: keep it alive if the client goes.
  ctx.waitUntil(pending.catch(() => undefined));
  const decision = await pending;
  const durationMs = performance.now() - started;
  if (!decision.ok) return refusalResponse(decision, { durationMs });
  const { identity, tokenSources } = authorizer.config;
  const strip = { stripAuthorization: identity.stripAuthorization, tokenSources };
  const headers = forwardHeaders(inbound.headers, decision, strip);
  if (identity.serverTiming) headers.set("server-timing", serverTiming(durationMs));
  const target = forwardUrl(originUrl(env, inbound.url) ?? inbound.url, strip);
  const assertion = await authorizer.assertion(decision, inbound.method, target);
  if (assertion) headers.set(ASSERTION_HEADER, assertion);
  const answer = await fetch(
    new Request(target, { method: inbound.method, headers, body: inbound.body, redirect: "manual" }),
  );
  if (!identity.serverTiming) return answer;
  const response = new Response(answer.body, answer);
  response.headers.append("server-timing", serverTiming(durationMs));
  return response;
}

/** The Durable Object class of the shared DPoP replay store (bind it as `JWT_DPOP_REPLAY`). */
export { DpopReplayStore } from "./replay-do.js";

/** The Worker (`export default { fetch }`). */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: Ctx): Promise<Response> {
    try {
      return await handle(request, env, ctx);
    } catch (e) {
      // An invalid configuration (a ConfigError names the variable, never its value): closed, never open.
      console.error(e instanceof Error ? `${e.name}: ${e.message}` : "worker_error");
      return new Response("Internal Server Error", { status: 500 });
    }
  },
};
