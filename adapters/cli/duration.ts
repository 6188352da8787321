/** Durations on the command line: `90`, `90s`, `30m`, `1h`, `7d`, negative for the past (`-1h`). */
import { CliError } from "./errors.js";
import { got } from "./safe.js";

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Parses a duration into whole seconds.
 *
 * @example
 * ```ts
 * parseDuration("1h", "--exp"); // 3600
 * parseDuration("-5m", "--exp"); // -300
 * ```
 */
export function parseDuration(text: string, option: string): number {
  const match = /^(-?\d+)([smhd]?)$/.exec(text.trim());
  if (!match)
    throw new CliError(`${option} must be a duration like 90s, 30m, 1h or 7d (negative for the past)${got(text)}`);
  return Number(match[1]) * (UNITS[match[2] || "s"] ?? 1);
}

/** "in 59 min", "5 s ago": a relative time for humans. */
export function relative(seconds: number): string {
  const abs = Math.abs(seconds);
  const text =
    abs < 120
      ? `${abs} s`
      : abs < 7200
        ? `${Math.round(abs / 60)} min`
        : abs < 172_800
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** An epoch-seconds claim as ISO time plus relative time, or a note when it is not a number. */
export function describeTime(value: unknown, nowSeconds: number): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return `not a number (${JSON.stringify(value)})`;
  return `${new Date(value * 1000).toISOString()} (${relative(Math.round(value - nowSeconds))})`;
}
