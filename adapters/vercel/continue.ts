/**
 * The answer that lets a request through Vercel's edge middleware, in the three headers Vercel reads
 * (what `next()` and `rewrite()` of `@vercel/functions` write, without that package and its
 * dependencies): `x-middleware-next` or `x-middleware-rewrite`, and the request headers the origin gets
 * as `x-middleware-override-headers` plus one `x-middleware-request-<name>` each.
 */

/**
 * A response that continues to the origin with exactly `headers` as its request headers, at the same
 * URL or, with `rewriteTo`, at another one (the client sees no redirect).
 *
 * @example
 * ```ts
 * return continueWith(forwardHeaders(request.headers, decision));
 * ```
 */
export function continueWith(headers: Headers, rewriteTo?: string): Response {
  const out = new Headers();
  if (rewriteTo === undefined) out.set("x-middleware-next", "1");
  else out.set("x-middleware-rewrite", rewriteTo);
  const names: string[] = [];
  headers.forEach((value, name) => {
    out.set(`x-middleware-request-${name}`, value);
    names.push(name);
  });
  // An empty list reads as "change nothing" to Vercel, which would keep spoofed x-auth-* headers:
  // name one header that has no value, so every inbound header is dropped instead.
  out.set("x-middleware-override-headers", names.length > 0 ? names.join(",") : "x-auth-sub");
  return new Response(null, { headers: out });
}
