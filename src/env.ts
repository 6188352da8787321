/**
 * Small typed readers for configuration values. Each throws a `ConfigError` that names the variable
 * (or the `JWT_CONFIG` path) and says what is wrong.
 * @module
 */

/** An invalid configuration. `variable` names the environment variable or `JWT_CONFIG` field at fault. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "config_invalid";
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
  }
}

export type Raw = Record<string, unknown>;

export const isObject = (value: unknown): value is Raw =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A comma- (or, with `spaces`, space-) separated list, or an array of strings. Empty items are dropped. */
export function list(value: unknown, name: string, spaces = false): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    return value.split(spaces ? /[\s,]+/ : /\s*,\s*/).map((s) => s.trim()).filter(Boolean);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.map((v) => v.trim()).filter(Boolean);
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

/**
 * Where and why `text` is not JSON, for an error message that must not quote the text (it may hold a
 * secret): `JSON.parse` messages can quote an excerpt of the input, so the text is scanned here instead.
 * Describes the first error as "expected ... at line L, column C (offset O)"; never echoes input.
 */
export function jsonSyntaxProblem(text: string): string {
  const { at, problem } = locateJsonError(text);
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  return `${problem} at line ${line}, column ${column} (offset ${at})`;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first JSON grammar error in `text` (RFC 8259), iteratively (no recursion on deep input). */
function locateJsonError(text: string): { at: number; problem: string } {
  const stack: string[] = [];
  let i = 0;
  let state: "value" | "valueOrEnd" | "name" | "nameOrEnd" | "after" = "value";
  const fail = (problem: string, at = i) => ({ at, problem });
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i >= text.length) return fail(state === "after" && stack.length === 0 ? "nothing wrong found by the scanner" : "unexpected end of input");
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (state === "after") {
      if (top === undefined) return fail("unexpected text after the JSON value");
      if (c === ",") {
        i++;
        state = top === "{" ? "name" : "value";
      } else if (c === (top === "{" ? "}" : "]")) {
        i++;
        stack.pop();
      } else return fail(top === "{" ? "expected ',' or '}' after a member" : "expected ',' or ']' after an element");
      continue;
    }
    if (state === "name" || state === "nameOrEnd") {
      if (state === "nameOrEnd" && c === "}") {
        i++;
        stack.pop();
        state = "after";
        continue;
      }
      if (c !== '"') return fail(state === "name" ? "expected a member name in double quotes" : "expected a member name in double quotes or '}'");
      const error = scanString();
      if (error) return error;
      while (i < text.length && WS.has(text[i]!)) i++;
      if (text[i] !== ":") return fail(i >= text.length ? "unexpected end of input" : "expected ':' after a member name");
      i++;
      state = "value";
      continue;
    }
    // A value (or, right after '[', the end of an empty array).
    if (state === "valueOrEnd" && c === "]") {
      i++;
      stack.pop();
      state = "after";
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      state = c === "{" ? "nameOrEnd" : "valueOrEnd";
      continue;
    }
    if (c === '"') {
      const error = scanString();
      if (error) return error;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === "-") return fail("malformed number");
      i += m[0].length;
      if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) return fail("malformed number");
    } else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (!word) return fail("expected a value (object, array, string, number, true, false or null)");
      i += word.length;
    }
    state = "after";
  }

  function scanString(): { at: number; problem: string } | undefined {
    const start = i;
    for (i++; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return undefined;
      }
      if (ch < 0x20) return fail("control character inside a string (escape it)");
      if (ch === 0x5c) {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail("bad \\u escape inside a string");
          i += 5;
        } else if (next !== undefined && ESCAPES.has(next)) i++;
        else return fail(next === undefined ? "unterminated string" : "bad escape inside a string");
      }
    }
    return fail("unterminated string (it starts here)", start);
  }
}

/** A whole number within bounds (strings of digits accepted, as environments only hold strings). */
export function int(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new ConfigError(name, `must be a whole number, got ${shown(value, name)}`);
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
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopback)) {
    throw new ConfigError(name, `must be an https URL (http is allowed only for localhost), got ${shown(text, name)}`);
  }
  return text;
}
