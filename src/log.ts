/**
 * The Logger the core logs through (interface in types.ts), and the default: nothing below `warn`,
 * as one JSON line on `console`. Log fields never hold a token or a secret.
 * @module
 */
import type { Logger, LogFields } from "./types.js";

const line = (level: string, message: string, fields?: LogFields) => JSON.stringify({ level, message, ...fields });

/** The default logger: warnings and errors as JSON lines on the console. */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, fields) => console.warn(line("warn", message, fields)),
  error: (message, fields) => console.error(line("error", message, fields)),
};

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
