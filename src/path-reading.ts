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
 * Every reading then drops empty segments (repeated slashes merge, a trailing slash is ignored),
 * resolves `.` and `..` segments (a `..` at the root stays at the root) and folds case. Percent-encoded
 * control and non-ASCII bytes stay encoded (lower-case hex), so every reading is plain text. Each step is
 * linear in the path's length.
 * @module
 */

/** A path as one reading sees it: lower-case, decoded segments without empty, `.` or `..` segments. */
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

/** Drops empty, `.` and `..` segments the way RFC 3986 section 5.2.4 resolves them, and folds case. */
function resolve(segments: string[]): Segments {
  const out: Segments = [];
  for (const raw of segments) {
    const s = raw.toLowerCase();
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
 * pathReadings("/public/..;/admin"); // [["admin"], ["public", "..;", "admin"]]
 * ```
 */
export function pathReadings(pathname: string): Segments[] {
  const raw = pathname.split("/");
  if (!/[%;\\]/.test(pathname)) return [resolve(raw)];
  let full = pathname;
  for (let round = 0; round < 3; round++) {
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

/**
 * Headers and a query parameter that make some origins act on another method or path than the
 * request's own (Rails, Laravel, Express `method-override`, IIS URL Rewrite, Symfony). The authorizer
 * judges those targets too, and adapters that forward the request remove the headers.
 */
export const METHOD_OVERRIDE_HEADERS = ["x-http-method-override", "x-http-method", "x-method-override"] as const;
export const URL_OVERRIDE_HEADERS = ["x-original-url", "x-rewrite-url"] as const;
const METHOD_OVERRIDE_QUERY = "_method";
/** More methods or readings than this in one request is refused rather than judged one by one. */
const MAX_METHODS = 8;
const MAX_READINGS = 12;

/** What an origin may act on: every method and every path reading. */
export interface Targets {
  methods: string[];
  readings: Segments[];
}

/**
 * The methods and path readings a request can be taken for: its own, plus what override headers (and a
 * `_method` query parameter) name. `undefined` when they name too many, or a URL that cannot be parsed.
 */
export function requestTargets(request: Request, url: URL): Targets | undefined {
  const methods = [request.method.toUpperCase()];
  const h = request.headers;
  let readings = pathReadings(url.pathname);
  const query = url.search.includes(METHOD_OVERRIDE_QUERY) ? url.searchParams.getAll(METHOD_OVERRIDE_QUERY) : [];
  const named = [...METHOD_OVERRIDE_HEADERS.map((n) => h.get(n)), ...query];
  for (const value of named) {
    if (value === null) continue;
    for (const m of value.split(",")) {
      const method = m.trim().toUpperCase();
      if (method !== "" && !methods.includes(method)) methods.push(method);
    }
  }
  for (const name of URL_OVERRIDE_HEADERS) {
    const value = h.get(name);
    if (value === null) continue;
    let pathname: string;
    try {
      pathname = new URL(value.trim(), url.origin).pathname;
    } catch {
      return undefined;
    }
    readings = [...readings, ...pathReadings(pathname)];
  }
  if (methods.length > MAX_METHODS || readings.length > MAX_READINGS) return undefined;
  return { methods, readings };
}
