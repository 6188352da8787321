/**
 * The Lambda entry (`dist/aws/handler.mjs`): configuration from `process.env`, created once per
 * execution environment so caches live across warm invocations. With `JWT_WARMUP=true` the keys are
 * fetched during init; a failed warm-up is logged and never fails init (the first request retries).
 */
import { createHandler, type AuthorizerHandler } from "./create.js";
import { powertoolsLogger } from "./telemetry.js";

let aws: AuthorizerHandler;
try {
  aws = createHandler({ env: process.env });
} catch (error) {
  // A bad configuration fails init (API Gateway answers 500): never a silently open door. Say why, in one line.
  powertoolsLogger().error("invalid configuration", { error: error instanceof Error ? error.message : String(error) });
  throw error;
}

if (/^(true|1|yes)$/i.test(process.env.JWT_WARMUP ?? "")) {
  try {
    await aws.authorizer.warmUp();
  } catch (error) {
    aws.logger.warn("key warm-up failed; keys will be fetched on the first request", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** `handler(event, context)` for REST `TOKEN`/`REQUEST` and HTTP API 2.0 authorizer events. */
export const handler = aws;
