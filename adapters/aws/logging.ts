/**
 * Logging on Lambda: the core logs through Powertools' Logger (JSON, one line each), and the handler's
 * one decision line per invocation also carries the `kid` and `iss` the core saw (never a token).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { LogFields, Logger as CoreLogger } from "../../src/index.js";

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
