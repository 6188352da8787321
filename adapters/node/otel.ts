/**
 * The OpenTelemetry tracer of the host, when `@opentelemetry/api` is installed (an optional peer
 * dependency): loaded with a guarded dynamic import, so without it nothing fails and nothing is traced.
 * Spans go wherever the host's tracer provider sends them; with no provider registered they cost a no-op.
 */
import type { TraceSpan, Tracer } from "../../src/index.js";

const NOOP_SPAN: TraceSpan = { setAttribute: () => undefined, setStatus: () => undefined, end: () => undefined };

/**
 * A tracer that uses `trace.getTracer(name)` from `@opentelemetry/api` once the module has loaded (the
 * first requests of a fresh process may run before, untraced); a no-op tracer when it is not installed.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { tracer: openTelemetryTracer() });
 * ```
 */
export function openTelemetryTracer(name = "edge-jwt-authorizer"): Tracer {
  let tracer: Tracer | undefined;
  const specifier = "@opentelemetry/api";
  import(/* @vite-ignore */ specifier).then(
    (api: { trace?: { getTracer(name: string): Tracer } }) => {
      tracer = api.trace?.getTracer(name);
    },
    () => undefined, // Not installed: no spans.
  );
  return {
    startSpan: (span) => (tracer ? tracer.startSpan(span) : NOOP_SPAN),
    startActiveSpan: (span, fn) => (tracer?.startActiveSpan ? tracer.startActiveSpan(span, fn) : fn(NOOP_SPAN)),
  };
}
