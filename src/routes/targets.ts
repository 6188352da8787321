/**
 * What a request can be taken for: its own method and path readings, plus the methods and paths that
 * override headers (and a `_method` query parameter) ask some origins to act on instead.
 * @module
 */
import { pathReadings, type Segments } from "./path-reading.js";
import { MAX_OVERRIDE_METHODS, MAX_PATH_READINGS } from "../limits.js";

/**
 * Headers and a query parameter that make some origins act on another method or path than the
 * request's own (Rails, Laravel, Express `method-override`, IIS URL Rewrite, Symfony). The authorizer
 * judges those targets too, and adapters that forward the request remove the headers.
 */
export const METHOD_OVERRIDE_HEADERS = ["x-http-method-override", "x-http-method", "x-method-override"] as const;
export const URL_OVERRIDE_HEADERS = ["x-original-url", "x-rewrite-url"] as const;
const METHOD_OVERRIDE_QUERY = "_method";

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
  for (const name of METHOD_OVERRIDE_HEADERS) addMethods(methods, h.get(name));
  if (url.search.includes(METHOD_OVERRIDE_QUERY))
    for (const value of url.searchParams.getAll(METHOD_OVERRIDE_QUERY)) addMethods(methods, value);
  for (const name of URL_OVERRIDE_HEADERS) {
    const value = h.get(name);
    if (value === null) continue;
    let overridden: string;
    try {
      overridden = new URL(value.trim(), url.origin).pathname;
    } catch {
      return undefined;
    }
    readings = [...readings, ...pathReadings(overridden)];
  }
  if (methods.length > MAX_OVERRIDE_METHODS || readings.length > MAX_PATH_READINGS) return undefined;
  return { methods, readings };
}

/** Adds the methods a comma-separated override value names. */
function addMethods(methods: string[], value: string | null): void {
  if (value === null) return;
  for (const m of value.split(",")) {
    const method = m.trim().toUpperCase();
    if (method !== "" && !methods.includes(method)) methods.push(method);
  }
}
