/**
 * Strict JSON for token segments: the grammar is checked by a small scanner that also refuses duplicate
 * member names (JSON.parse keeps the last one, which lets `{"alg":"none","alg":"ES256"}` mean two things)
 * and nesting deeper than a bound, then the native parser builds the value.
 * @module
 */

/** Deepest nesting accepted in a token header or payload. */
export const MAX_JSON_DEPTH = 32;

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Parses `text`, or returns `undefined` if it is not strict JSON (duplicates, depth, grammar). */
export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  // Fast path: no object member can repeat if no quoted key string repeats, which is the normal case;
  // the scanner still runs to enforce depth and to catch duplicates.
  const end = scanValue(text, skip(text, 0), 0, maxDepth);
  if (end < 0 || skip(text, end) !== text.length) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function skip(s: string, i: number): number {
  while (i < s.length && WS.has(s.charCodeAt(i))) i++;
  return i;
}

/** Returns the index after the value starting at `i`, or -1. */
function scanValue(s: string, i: number, depth: number, max: number): number {
  const c = s[i];
  if (c === "{") return scanObject(s, i, depth + 1, max);
  if (c === "[") return scanArray(s, i, depth + 1, max);
  if (c === '"') return scanString(s, i);
  for (const lit of ["true", "false", "null"]) if (s.startsWith(lit, i)) return i + lit.length;
  const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
  return m ? i + m[0].length : -1;
}

function scanString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = s[j + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) return -1;
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else return -1;
    }
  }
  return -1;
}

function scanObject(s: string, i: number, depth: number, max: number): number {
  if (depth > max) return -1;
  i = skip(s, i + 1);
  if (s[i] === "}") return i + 1;
  const keys = new Set<string>();
  for (;;) {
    if (s[i] !== '"') return -1;
    const keyEnd = scanString(s, i);
    if (keyEnd < 0) return -1;
    const raw = s.slice(i, keyEnd);
    // Compare decoded names, so "a" and "\u0061" count as the same member.
    const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    if (keys.has(key)) return -1;
    keys.add(key);
    i = skip(s, keyEnd);
    if (s[i] !== ":") return -1;
    i = scanValue(s, skip(s, i + 1), depth, max);
    if (i < 0) return -1;
    i = skip(s, i);
    if (s[i] === "}") return i + 1;
    if (s[i] !== ",") return -1;
    i = skip(s, i + 1);
  }
}

function scanArray(s: string, i: number, depth: number, max: number): number {
  if (depth > max) return -1;
  i = skip(s, i + 1);
  if (s[i] === "]") return i + 1;
  for (;;) {
    i = scanValue(s, i, depth, max);
    if (i < 0) return -1;
    i = skip(s, i);
    if (s[i] === "]") return i + 1;
    if (s[i] !== ",") return -1;
    i = skip(s, i + 1);
  }
}
