/**
 * The shape of one CLI command: its options for `node:util` parseArgs, its help text and its run.
 * @module
 */
import type { ParseArgsConfig } from "node:util";

/** Parsed option values, as parseArgs returns them. */
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Where a command writes; tests and main pass the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads all of stdin (for a token given as `-`). */
  stdin(): Promise<string>;
}

/** One subcommand of `edge-jwt`. */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Resolves to the exit code. Throws `CliError` for one-line failures. */
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

/** A string option's value, or undefined. */
export const text = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
};

/** A repeatable string option as a flat list; items may also be comma- or space-separated. */
export const items = (values: Values, name: string, separator: RegExp = /[\s,]+/): string[] | undefined => {
  const v = values[name];
  if (v === undefined) return undefined;
  const all = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
  return all
    .flatMap((x) => x.split(separator))
    .map((x) => x.trim())
    .filter(Boolean);
};
