/**
 * The Cloudflare Worker: a tiny Hono app in front of an origin. It serves the RFC 9728 metadata when
 * configured, authorizes every other request with the core (through the Hono middleware), and forwards
 * allowed ones with the identity headers; refusals are the core's responses. Deployed by the root
 * wrangler.toml.
 */
import { Hono } from "hono/tiny";
import { ASSERTION_HEADER, forwardHeaders, forwardUrl, metadataResponse, serverTiming } from "../../src/index.js";
import { jwtAuthorizer, type JwtAuthorizerVariables } from "../hono/index.js";
import { originUrl, workerAuthorizer, type WorkerEnv } from "./create.js";
import { workerRequestContext } from "./client-cert.js";

const app = new Hono<{ Bindings: WorkerEnv; Variables: JwtAuthorizerVariables }>();

// RFC 9728: the protected-resource metadata is public.
app.use(async (c, next) => metadataResponse(workerAuthorizer(c.env), c.req.raw) ?? (await next()));

app.use(jwtAuthorizer({ authorizer: workerAuthorizer, requestContext: (c) => workerRequestContext(c.req.raw) }));

app.all("*", async (c) => {
  const inbound = c.req.raw;
  const authorizer = workerAuthorizer(c.env);
  const { identity, tokenSources } = authorizer.config;
  const strip = { stripAuthorization: identity.stripAuthorization, tokenSources };
  const headers = forwardHeaders(inbound.headers, c.get("auth"), strip);
  if (identity.serverTiming) headers.set("server-timing", serverTiming(c.get("authDurationMs")));
  const target = forwardUrl(originUrl(c.env, inbound.url) ?? inbound.url, strip);
  const assertion = await authorizer.assertion(c.get("auth"), inbound.method, target);
  if (assertion) headers.set(ASSERTION_HEADER, assertion);
  return fetch(new Request(target, { method: inbound.method, headers, body: inbound.body, redirect: "manual" }));
});

/** The Durable Object class of the shared DPoP replay store (bind it as `JWT_DPOP_REPLAY`). */
export { DpopReplayStore } from "./replay-do.js";

/** The Worker (`export default { fetch }`). */
export default app;
