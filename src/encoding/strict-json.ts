/**
 * Strict JSON for token segments. `JSON.parse` keeps the last of duplicate member names, which lets
 * `{"alg":"none","alg":"ES256"}` mean two things, and accepts any nesting depth. So after the native
 * parser has checked the grammar, one pass over the text counts the members (each is followed by the
 * only `:` outside a string) and the nesting depth; a duplicate shows as fewer own keys in the parsed
 * value than members in the text.
 * @module
 */

import { MAX_JSON_DEPTH } from "../limits.js";

/** Parses `text`, or returns `undefined` if it is not strict JSON (grammar, duplicates, depth). */
export function parseStrictJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let members = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x3a) members++;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return undefined;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return countKeys(value) === members ? value : undefined;
}

/**
 * Own keys of every object in a parsed value. `JSON.parse` creates each member, `__proto__` included,
 * as an own enumerable property, so `Object.keys` sees exactly the members that survived.
 */
function countKeys(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += countKeys(item);
    return n;
  }
  const keys = Object.keys(value);
  n = keys.length;
  for (const key of keys) n += countKeys((value as Record<string, unknown>)[key]);
  return n;
}

/** A JSON object: not null, not an array. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
