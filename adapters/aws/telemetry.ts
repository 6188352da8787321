/**
 * Telemetry on Lambda: Powertools logging (below) and EMF metrics.
 *
 * CloudWatch metrics on Lambda, as EMF lines through Powertools' Metrics: per invocation `Allowed` or
 * `Refused`, `AuthorizeDuration` (ms), `TokenCacheHit` (1 on a hit, 0 on a miss: its average is the hit
 * ratio), `JwksFetchFailed` (fetches that failed during the invocation), all with the dimension sets
 * `[service]` and `[service, code]`; `ColdStart` once per execution environment. One flush per invocation.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { Logger } from "@aws-lambda-powertools/logger";
import type { DecisionEvent, Deps, JwksFetchEvent, LogFields, Logger as CoreLogger } from "../../src/index.js";

/** The namespace when `POWERTOOLS_METRICS_NAMESPACE` is unset. */
export const DEFAULT_NAMESPACE = "EdgeJwtAuthorizer";

/** What the handler knows of a decision it made itself (malformed event, ambiguous path). */
export interface Outcome {
  allowed: boolean;
  code: string;
  latencyMs: number;
}

/**
 * The metrics of one handler: `hooks` go into the authorizer's deps, `begin` starts an invocation and
 * `flush` ends it (exactly once, whatever the outcome).
 *
 * @example
 * ```ts
 * const emf = decisionMetrics(process.env);
 * const authorizer = createAuthorizer(config, withHooks({}, emf.hooks));
 * emf.begin();
 * await authorizer.authorize(request);
 * emf.flush({ allowed: true, code: "token", latencyMs: 1.2 });
 * ```
 */
export function decisionMetrics(env: Record<string, unknown>, metrics?: Metrics) {
  const serviceName = typeof env.POWERTOOLS_SERVICE_NAME === "string" ? env.POWERTOOLS_SERVICE_NAME : "";
  const namespace = typeof env.POWERTOOLS_METRICS_NAMESPACE === "string" ? env.POWERTOOLS_METRICS_NAMESPACE : "";
  const emf =
    metrics ??
    new Metrics({ namespace: namespace || DEFAULT_NAMESPACE, serviceName: serviceName || "edge-jwt-authorizer" });
  let decided: DecisionEvent | undefined;
  let failedFetches = 0;
  const hooks: Pick<Deps, "onDecision" | "onJwksFetch"> = {
    onDecision: (event) => void (decided = event),
    onJwksFetch: (event: JwksFetchEvent) => void (event.outcome !== "ok" && failedFetches++),
  };
  return {
    metrics: emf,
    hooks,
    begin(functionName?: string): void {
      decided = undefined;
      emf.captureColdStartMetric(functionName);
    },
    /** Writes this invocation's line: the core's event when there was one, else the handler's outcome. */
    flush(outcome: Outcome): void {
      const event = decided;
      const code = event?.code ?? outcome.code;
      emf.addDimensions({});
      emf.addDimensions({ code });
      emf.addMetric((event?.allowed ?? outcome.allowed) ? "Allowed" : "Refused", MetricUnit.Count, 1);
      emf.addMetric("AuthorizeDuration", MetricUnit.Milliseconds, event?.durationMs ?? outcome.latencyMs);
      if (event && event.tokenCache !== "none")
        emf.addMetric("TokenCacheHit", MetricUnit.Count, event.tokenCache === "hit" ? 1 : 0);
      if (failedFetches > 0) emf.addMetric("JwksFetchFailed", MetricUnit.Count, failedFetches);
      failedFetches = 0;
      decided = undefined;
      emf.publishStoredMetrics();
    },
  };
}

/** The metrics of one handler. */
export type DecisionMetrics = ReturnType<typeof decisionMetrics>;

/**
 * `deps` with `hooks` called first, then the caller's own hooks (if any): the caller keeps theirs.
 *
 * @example
 * ```ts
 * createAuthorizer(config, withHooks(options.deps, decisionMetrics(process.env).hooks));
 * ```
 */
export function withHooks(deps: Deps | undefined, hooks: DecisionMetrics["hooks"]): Deps {
  const both =
    <E>(first: (event: E) => void, second?: (event: E) => void) =>
    (event: E) => {
      first(event);
      second?.(event);
    };
  return {
    ...deps,
    onDecision: both(hooks.onDecision!, deps?.onDecision),
    onJwksFetch: both(hooks.onJwksFetch!, deps?.onJwksFetch),
  };
}

/** Powertools' Logger for this function (`POWERTOOLS_SERVICE_NAME`, default `edge-jwt-authorizer`). */
export const powertoolsLogger = (): Logger =>
  new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "edge-jwt-authorizer" });

/**
 * A core logger writing to `logger`, which remembers the `kid` and `iss` logged since `reset()` (Lambda
 * runs one invocation at a time per execution environment).
 */
export function coreLoggerFor(logger: Logger): { core: CoreLogger; seen(): LogFields; reset(): void } {
  let seen: LogFields = {};
  const write = (level: "debug" | "info" | "warn" | "error") => (message: string, fields?: LogFields) => {
    if (fields) seen = { ...seen, kid: fields.kid ?? seen.kid, iss: fields.iss ?? seen.iss };
    logger[level](message, { ...fields });
  };
  const core = { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
  return { core, seen: () => seen, reset: () => (seen = {}) };
}
