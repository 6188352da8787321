/**
 * What each `authorize` reports: one decision event for `onDecision`, and a `jwt.authorize` span when
 * a tracer is given. Measured around the pipeline, so every path (allowed, refused, cached, preflight,
 * public, report-only) reports exactly once; a hook or tracer that throws never changes the decision.
 * @module
 */
import type { Decision } from "../decision.js";
import type { DecisionEvent, Deps, Logger, TraceSpan, Tracer } from "../deps.js";
import type { VerifyTrace } from "../jwt/verifier.js";
import { safeHook, subjectHasher } from "./hooks.js";

/** The span every `authorize` runs in, when a tracer is given. */
export const SPAN_NAME = "jwt.authorize";

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const STATUS_ERROR = 2;

/** What the pipeline notes while it decides, beyond the verifier's trace. */
export interface DecisionTrace extends VerifyTrace {
  /** The path pattern of the rule that decided (absent: no rule matched, or none was looked at). */
  rule?: string;
  /** Report-only: the refusal that was not enforced. */
  would?: { status: number; code: string };
}

const defaultClock = (): (() => number) =>
  typeof performance !== "undefined" ? () => performance.now() : () => Date.now();

/**
 * Wraps each decision with its event and span. `undefined` when the host asked for neither, so the
 * pipeline then pays nothing.
 *
 * @example
 * ```ts
 * const observer = Observer.from(deps, logger);
 * const decision = observer ? await observer.observe(request, run) : await run({});
 * ```
 */
export class Observer {
  private readonly onDecision;
  private readonly hashSubject;
  private readonly clock: () => number;

  private constructor(
    deps: Deps,
    logger: Logger,
    private readonly tracer: Tracer | undefined,
  ) {
    this.onDecision = safeHook(deps.onDecision, logger, "on_decision");
    this.hashSubject = deps.subjectHashKey !== undefined ? subjectHasher(deps.subjectHashKey) : undefined;
    this.clock = deps.clock ?? defaultClock();
  }

  static from(deps: Deps, logger: Logger): Observer | undefined {
    if (!deps.onDecision && !deps.tracer) return undefined;
    return new Observer(deps, logger, deps.tracer);
  }

  /** Runs one decision (`run` never rejects) inside a span, and reports it. */
  observe(request: Request, run: (trace: DecisionTrace) => Promise<Decision>): Promise<Decision> {
    const tracer = this.tracer;
    if (!tracer) return this.measure(request, run);
    let span: TraceSpan | undefined;
    let pending: Promise<Decision> | undefined;
    try {
      if (tracer.startActiveSpan)
        return tracer.startActiveSpan(SPAN_NAME, (s) => (pending = this.measure(request, run, s)));
      span = tracer.startSpan(SPAN_NAME);
    } catch {
      // A tracer that throws: decide without a span (or with the one already running).
      if (pending) return pending;
    }
    return this.measure(request, run, span);
  }

  private async measure(request: Request, run: (trace: DecisionTrace) => Promise<Decision>, span?: TraceSpan) {
    const trace: DecisionTrace = {};
    const started = this.clock();
    const decision = await run(trace);
    const event = eventFor(request, decision, trace, Math.round((this.clock() - started) * 1000) / 1000);
    if (span) annotate(span, event);
    if (this.onDecision) {
      const sub = decision.claims?.sub;
      if (this.hashSubject && typeof sub === "string") {
        const hash = await this.hashSubject(sub).catch(() => undefined);
        if (hash) event.subHash = hash;
      }
      this.onDecision(event);
    }
    return decision;
  }
}

function eventFor(request: Request, decision: Decision, trace: DecisionTrace, durationMs: number): DecisionEvent {
  const event: DecisionEvent = {
    allowed: decision.ok,
    code: decision.ok ? decision.reason : decision.code,
    status: decision.ok ? 200 : decision.status,
    method: request.method,
    durationMs,
    tokenCache: trace.tokenCache ?? "none",
    jwksFetched: trace.jwksFetched === true,
  };
  const iss = trace.iss ?? (decision.ok ? decision.issuer : undefined);
  if (iss !== undefined) event.iss = iss;
  if (trace.kid !== undefined) event.kid = trace.kid;
  if (trace.rule !== undefined) event.route = trace.rule;
  if (trace.would) event.would = trace.would;
  return event;
}

/** The span's attributes and status (an error only when no decision could be made: 503). */
function annotate(span: TraceSpan, event: DecisionEvent): void {
  try {
    span.setAttribute("jwt.outcome", event.allowed ? "allowed" : "refused");
    span.setAttribute("jwt.code", event.code);
    span.setAttribute("jwt.status", event.status);
    span.setAttribute("jwt.token_cache", event.tokenCache);
    span.setAttribute("http.request.method", event.method);
    if (event.iss !== undefined) span.setAttribute("jwt.issuer", event.iss);
    if (event.kid !== undefined) span.setAttribute("jwt.kid", event.kid);
    if (event.route !== undefined) span.setAttribute("jwt.rule", event.route);
    if (event.status >= 500) span.setStatus({ code: STATUS_ERROR, message: event.code });
  } catch {
    // A tracer's failure is not the decision's.
  } finally {
    try {
      span.end();
    } catch {
      // Same.
    }
  }
}
