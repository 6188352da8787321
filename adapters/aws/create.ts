/**
 * `createHandler(options)`: the Lambda authorizer for REST `TOKEN`/`REQUEST` events and HTTP API 2.0
 * events. Event → Request → `authorize` → policy, simple response or thrown error. The core decides.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { authorizerSource, ConfigError, type Authorizer, type AuthorizerOptions } from "../../src/index.js";
import { nodeVerifySignature } from "../node/verify.js";
import { ambiguousAnswer, answer, malformedAnswer, type PolicyResult, type SimpleResult } from "./answers.js";
import type { AuthorizerEvent, LambdaContext } from "./event-shapes.js";
import { toRequest } from "./events.js";
import { eventRequestContext } from "./client-cert.js";
import { ambiguousPath } from "./iam-policy.js";
import { coreLoggerFor, powertoolsLogger } from "./telemetry.js";
import { decisionMetrics, withHooks } from "./telemetry.js";

/**
 * Options of {@link createHandler}: where the authorizer comes from (at most one of `authorizer`,
 * `config`, `env`; `env` defaults to `process.env`, which also gives the `JWT_AWS_*` variables), `deps`
 * (`verifySignature` defaults to `node:crypto`, `logger` to Powertools), and the AWS options below.
 */
export interface HandlerOptions extends AuthorizerOptions {
  /** HTTP API 2.0 answer: `simple` (default) or `iam`; default from `JWT_AWS_RESPONSE`. */
  response?: "simple" | "iam";
  /** HTTP API 2.0: a custom domain's base path (`/v1`) removed from `rawPath`; default `JWT_AWS_BASE_PATH`. */
  basePath?: string;
  logger?: Logger;
  /** Powertools' Metrics to write EMF to; default one for `POWERTOOLS_METRICS_NAMESPACE` (or `EdgeJwtAuthorizer`). */
  metrics?: Metrics;
}

/** The Lambda handler, with the authorizer and logger it uses. */
export type AuthorizerHandler = ((
  event: AuthorizerEvent | unknown,
  context?: LambdaContext,
) => Promise<PolicyResult | SimpleResult>) & { authorizer: Authorizer; logger: Logger; metrics: Metrics };

/** `JWT_AWS_RESPONSE` and `JWT_AWS_BASE_PATH`, validated at start-up. */
function awsOptions(options: HandlerOptions, env: Record<string, unknown>) {
  const response = options.response ?? (env.JWT_AWS_RESPONSE || "simple");
  if (response !== "simple" && response !== "iam")
    throw new ConfigError("JWT_AWS_RESPONSE", `must be simple or iam, got ${JSON.stringify(response)}`);
  const basePath = options.basePath ?? (typeof env.JWT_AWS_BASE_PATH === "string" ? env.JWT_AWS_BASE_PATH : "");
  if (basePath && (!basePath.startsWith("/") || basePath.endsWith("/")))
    throw new ConfigError(
      "JWT_AWS_BASE_PATH",
      `must start and not end with "/" (e.g. /v1), got ${JSON.stringify(basePath)}`,
    );
  const origin = typeof env.ORIGIN_URL === "string" && env.ORIGIN_URL ? env.ORIGIN_URL.replace(/\/$/, "") : undefined;
  return { response, basePath, origin };
}

/**
 * Creates the handler once (module scope), so key and token caches live across warm invocations.
 * Throws `ConfigError` at once on a bad configuration.
 *
 * @example
 * ```ts
 * import { createHandler } from "edge-jwt-authorizer/aws";
 * export const handler = createHandler({ env: process.env });
 * ```
 */
export function createHandler(options: HandlerOptions = {}): AuthorizerHandler {
  const env = options.env ?? process.env;
  const { response, basePath, origin } = awsOptions(options, env);
  const logger = options.logger ?? powertoolsLogger();
  const log = coreLoggerFor(logger);
  const emf = decisionMetrics(env, options.metrics);
  const given = options.authorizer || options.config ? options : { ...options, env };
  const source = { ...given, deps: withHooks(options.deps, emf.hooks) };
  const defaults = () => ({ verifySignature: nodeVerifySignature, logger: log.core });
  const authorizer = authorizerSource(source, "createHandler", defaults)();

  const handler = async (event: unknown, context?: LambdaContext): Promise<PolicyResult | SimpleResult> => {
    const started = performance.now();
    if (context) logger.addContext(context as Parameters<Logger["addContext"]>[0]);
    log.reset();
    emf.begin(context?.functionName);
    const latencyMs = () => Math.round((performance.now() - started) * 100) / 100;
    const translated = toRequest(event, basePath);
    if (!translated.ok) {
      const { kind, arn, reason } = translated;
      const fields = { event: kind ?? "unknown", allowed: false, code: "malformed_event", reason };
      logger.warn("authorization decision", { ...fields, status: kind === "http" ? 403 : 401, latencyMs: latencyMs() });
      emf.flush({ allowed: false, code: "malformed_event", latencyMs: latencyMs() });
      return malformedAnswer(kind, arn, response === "simple");
    }
    const { request, arn, kind, path, arnPath } = translated;
    const target = { kind, arn, simple: kind === "http" && response === "simple", originUrl: origin && origin + path };
    const route = `${request.method} ${path}`;
    if (ambiguousPath(path) || (arnPath !== null && ambiguousPath(arnPath))) {
      const fields = { event: kind, route, code: "path_ambiguous" };
      if (!authorizer.config.reportOnly) {
        logger.info("authorization decision", { ...fields, allowed: false, status: 403, latencyMs: latencyMs() });
        emf.flush({ allowed: false, code: "path_ambiguous", latencyMs: latencyMs() });
        return ambiguousAnswer(authorizer, request, target);
      }
      logger.warn("report_only", { ...fields, would: 403 });
    }
    const background: Promise<unknown>[] = [];
    const platform = { ...(await eventRequestContext(event)), waitUntil: (p: Promise<unknown>) => background.push(p) };
    const decision = await authorizer.authorize(request, platform);
    const fields = {
      event: kind,
      route,
      allowed: decision.ok,
      code: decision.ok ? decision.reason : decision.code,
      status: decision.ok ? 200 : decision.status,
      issuer: (decision.ok ? decision.issuer : decision.claims?.iss) ?? log.seen().iss,
      kid: log.seen().kid,
      latencyMs: latencyMs(),
    };
    emf.flush(fields);
    // Lambda freezes the sandbox once the handler returns: a key refresh started behind this decision
    // (which did not wait for it) finishes before the answer goes back.
    await Promise.all(background);
    if (!decision.ok && decision.status === 503) {
      logger.error("authorizer unavailable: no verification key could be obtained", fields);
      throw new Error("Authorizer unavailable");
    }
    logger.info("authorization decision", fields);
    return answer(authorizer, decision, request, target);
  };

  return Object.assign(handler, { authorizer, logger, metrics: emf.metrics });
}
