/**
 * Small typed readers for configuration values. Each throws a `ConfigError` that names the variable
 * (or the `JWT_CONFIG` path) and says what is wrong.
 * @module
 */

import { ConfigError } from "../errors.js";
import { isPlainObject } from "../encoding/strict-json.js";
import { isFetchable } from "../http/bounds.js";

export type Raw = Record<string, unknown>;

export const isObject = (value: unknown): value is Raw => isPlainObject(value);

/** A comma- (or, with `spaces`, space-) separated list, or an array of strings. Empty items are dropped. */
export function list(value: unknown, name: string, spaces = false): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    return value
      .split(spaces ? /[\s,]+/ : /\s*,\s*/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string"))
    return value.map((v) => v.trim()).filter(Boolean);
  throw new ConfigError(name, "must be a string or a list of strings");
}

/**
 * A value fit to quote in an error message: `JSON.stringify(value)`, except under a field named like a
 * secret (`secret`, `JWT_SECRET`, ...), which is never echoed: error messages end up in logs.
 */
export function shown(value: unknown, name: string): string {
  const field = name.slice(name.lastIndexOf(".") + 1);
  return /secret/i.test(field) ? "a value that is not shown (it may be a secret)" : JSON.stringify(value);
}

/** A whole number within bounds (strings of digits accepted, as environments only hold strings). */
export function int(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n))
    throw new ConfigError(name, `must be a whole number, got ${shown(value, name)}`);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${shown(n, name)}`);
  return n;
}

/** `true`/`false` (also `1`/`0`, `yes`/`no` from environments). */
export function bool(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(v)) return true;
    if (["false", "0", "no", "off"].includes(v)) return false;
  }
  throw new ConfigError(name, `must be true or false, got ${shown(value, name)}`);
}

/** A non-empty string. */
export function str(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new ConfigError(name, "must be a non-empty string");
  return value.trim();
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got ${shown(value, name)}`);
}

/** An http(s) URL; plain http only for loopback hosts (local development and tests). */
export function url(value: unknown, name: string): string | undefined {
  const text = str(value, name);
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got ${shown(text, name)}`);
  }
  if (!isFetchable(parsed)) {
    throw new ConfigError(name, `must be an https URL (http is allowed only for localhost), got ${shown(text, name)}`);
  }
  return text;
}

/** Keys the provider presets set on the entries they expand to: not for users, so never listed to them. */
const INTERNAL_KEYS = ["bareIssuer", "presetClaims", "albIssuer"];

/** A misspelt key would silently drop a check, so unknown keys are errors. */
export function rejectUnknown(raw: Raw, known: string[], name: string): void {
  const unknown = Object.keys(raw).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw new ConfigError(
      name,
      `unknown key ${JSON.stringify(unknown)} (known: ${known.filter((k) => !INTERNAL_KEYS.includes(k)).join(", ")})`,
    );
}
