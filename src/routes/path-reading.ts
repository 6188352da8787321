/**
 * How a request path is read for route matching. Origins disagree on what a path means: Express and
 * Hono keep `%2F` inside a segment, nginx and proxies that decode it split there, Tomcat and Spring drop
 * `;params`, some servers decode twice. A rule must hold whichever reading the origin takes, so a path
 * is read in each of these ways and the request must satisfy every rule any reading falls under:
 *
 * - as sent: split on `/`, each segment percent-decoded once (`%2F` stays inside its segment);
 * - without `;params`: the same, with `;…` dropped from each segment first;
 * - separators decoded: decoded once, with `%2F` and `%5C` splitting segments;
 * - fully decoded: decoded until nothing changes (at most three rounds), `%2F`, `%5C` and `\` split
 *   segments, then `;…` is dropped from each segment.
 *
 * Every reading then drops empty segments (repeated slashes merge, a trailing slash is ignored) and
 * resolves `.` and `..` segments (a `..` at the root stays at the root); matching folds case. Percent-encoded
 * control and non-ASCII bytes stay encoded (lower-case hex), so every reading is plain text. Each step is
 * linear in the path's length.
 * @module
 */

import { PATH_DECODE_ROUNDS } from "../limits.js";

/**
 * A path as one reading sees it: decoded segments without empty, `.` or `..` segments, case kept
 * (matching folds case; a `:param` value is compared with claims exactly).
 */
export type Segments = string[];

const HEX = /%([0-9a-fA-F]{2})/g;

/** Decodes printable ASCII escapes once; control and non-ASCII bytes stay encoded, in lower case. */
function decode(text: string): string {
  return text.replace(HEX, (m, hex: string) => {
    const c = parseInt(hex, 16);
    return c < 0x20 || c > 0x7e ? m.toLowerCase() : String.fromCharCode(c);
  });
}

const SEPARATOR = /[/\\]/;

/** Drops empty, `.` and `..` segments the way RFC 3986 section 5.2.4 resolves them. */
function resolve(segments: string[]): Segments {
  const out: Segments = [];
  for (const s of segments) {
    if (s === "" || s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return out;
}

const dropParams = (segment: string): string => {
  const semi = segment.indexOf(";");
  return semi === -1 ? segment : segment.slice(0, semi);
};

/**
 * The distinct readings of a path (see the module comment), the fully decoded one first. A plain path
 * (no `%`, `;` or `\`) has exactly one.
 *
 * @example
 * ```ts
 * pathReadings("/public/..;/Admin"); // [["Admin"], ["public", "..;", "Admin"]]
 * ```
 */
export function pathReadings(pathname: string): Segments[] {
  const raw = pathname.split("/");
  if (!/[%;\\]/.test(pathname)) return [resolve(raw)];
  let full = pathname;
  for (let round = 0; round < PATH_DECODE_ROUNDS; round++) {
    const next = decode(full);
    if (next === full) break;
    full = next;
  }
  const readings = [
    resolve(full.split(SEPARATOR).map(dropParams)),
    resolve(decode(pathname).split(SEPARATOR)),
    // Split first, then decode: an encoded slash stays inside its segment.
    resolve(raw.map((s) => decode(dropParams(s)))),
    resolve(raw.map(decode)),
  ];
  const seen = new Set<string>();
  return readings.filter((r) => {
    const key = r.join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The one reading of a configured rule path (rules are written plainly). */
export const rulePath = (path: string): Segments => pathReadings(path)[0]!;
