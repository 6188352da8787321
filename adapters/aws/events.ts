/**
 * API Gateway authorizer events → a standard `Request` for the core. Translation only: no decisions.
 * Shapes follow the API Gateway developer guide ("Input to an API Gateway Lambda authorizer" and
 * "Control access to HTTP APIs with AWS Lambda authorizers"). An event with missing or mistyped fields
 * is reported as malformed (never a TypeError); the handler answers it as documented.
 */
import { parseArn } from "./iam-policy.js";
import type { EventKind } from "./event-shapes.js";
import { Bad, entries, isObj, list, optional, str, strip, type Obj } from "./event-fields.js";

/**
 * The event as the core sees it: a Request, the ARN the answer is about, and the path as judged
 * (before URL parsing: the method ARN's path for REST, `rawPath` without stage and base path for HTTP APIs).
 */
export interface Translated {
  ok: true;
  request: Request;
  arn: string;
  kind: EventKind;
  path: string;
  arnPath: string | null;
}

/** An event that is not one of the three kinds, or has a missing or mistyped field. */
export interface Malformed {
  ok: false;
  kind: EventKind | null;
  arn: string | null;
  reason: string;
}

/**
 * Builds the standard request for one event. REST events (`TOKEN`, `REQUEST`) are judged on the method
 * and path of `methodArn` (the API's resource path: no stage, no custom-domain base path), which is what
 * API Gateway routes on and what the policy is about. HTTP API 2.0 events on `rawPath` without the
 * named stage and without `basePath` (at a segment boundary).
 */
export function toRequest(event: unknown, basePath = ""): Translated | Malformed {
  if (!isObj(event)) return { ok: false, kind: null, arn: null, reason: "event is not an object" };
  const kind: EventKind | null =
    event.version === "2.0" ? "http" : event.type === "TOKEN" ? "token" : event.type === "REQUEST" ? "request" : null;
  const arn = kind === "http" ? event.routeArn : event.methodArn;
  const malformed = (reason: string): Malformed => ({
    ok: false,
    kind,
    arn: typeof arn === "string" ? arn : null,
    reason,
  });
  if (!kind) return malformed("not an API Gateway authorizer event");
  try {
    return kind === "http" ? fromHttpApi(event, basePath) : fromRest(event, kind);
  } catch (error) {
    // Bad: a field we checked. Anything else: the platform refused a header, method or URL; its message
    // may quote the value (a token), so it is not passed on.
    return malformed(error instanceof Bad ? error.message : "a header, method or path the platform refuses");
  }
}

function fromRest(event: Obj, kind: "token" | "request"): Translated {
  const arn = str(event.methodArn, "methodArn");
  const parsed = parseArn(arn);
  if (!parsed) throw new Bad("methodArn is not an API Gateway method ARN");
  const headers = new Headers();
  const query = new URLSearchParams();
  if (kind === "token") {
    // The identity source may hold the raw token (no scheme): a single word is read as a Bearer token.
    const token = optional(event.authorizationToken, "authorizationToken");
    if (token) headers.set("authorization", /^[\w.~+/-]+=*$/.test(token) ? `Bearer ${token}` : token);
  } else {
    merge(headers, event, "multiValueHeaders", "headers");
    merge(query, event, "multiValueQueryStringParameters", "queryStringParameters");
  }
  const ctx = event.requestContext;
  if (ctx !== undefined && ctx !== null && !isObj(ctx)) throw new Bad("requestContext is not an object");
  const host = kind === "request" && isObj(ctx) ? optional(ctx.domainName, "requestContext.domainName") : undefined;
  const request = build(parsed.verb, parsed.path, query.toString(), headers, host);
  return { ok: true, request, arn, kind, path: parsed.path, arnPath: parsed.path };
}

/** API Gateway sends multi-value and single-value maps: every multi value, then singles not already there. */
function merge(target: Headers | URLSearchParams, event: Obj, multi: string, single: string): void {
  for (const [name, values] of entries(event[multi], multi))
    for (const v of list(values, multi)) target.append(name, v);
  for (const [name, value] of entries(event[single], single))
    if (value !== undefined && !target.has(name)) target.append(name, str(value, single));
}

function fromHttpApi(event: Obj, basePath: string): Translated {
  const arn = str(event.routeArn, "routeArn");
  const ctx = event.requestContext;
  if (!isObj(ctx) || !isObj(ctx.http)) throw new Bad("requestContext.http is missing");
  const method = str(ctx.http.method, "requestContext.http.method");
  const headers = new Headers();
  for (const [name, value] of entries(event.headers, "headers"))
    if (value !== undefined) headers.set(name, str(value, "headers"));
  const cookies = event.cookies === undefined || event.cookies === null ? [] : list(event.cookies, "cookies");
  if (cookies.length && !headers.has("cookie")) headers.set("cookie", cookies.join("; "));
  // A named stage's segment is part of rawPath ("/prod/orders/1"), and so is a custom domain's base
  // path ("/v1/orders/1", JWT_AWS_BASE_PATH); route rules are written without either.
  const stage = optional(ctx.stage, "requestContext.stage");
  let path = optional(event.rawPath, "rawPath") || "/";
  if (stage && stage !== "$default") path = strip(path, `/${stage}`);
  if (basePath) path = strip(path, basePath);
  const query = optional(event.rawQueryString, "rawQueryString") ?? "";
  const request = build(method, path, query, headers, optional(ctx.domainName, "requestContext.domainName"));
  return { ok: true, request, arn, kind: "http", path, arnPath: parseArn(arn)?.path ?? null };
}

function build(method: string, path: string, query: string, headers: Headers, host?: string): Request {
  return new Request(url(path, query, host), { method: method.toUpperCase(), headers });
}

function url(path: string, query = "", host = "execute-api.invalid"): string {
  const safe = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/i.test(host) ? host : "execute-api.invalid";
  const u = new URL(`https://${safe}`);
  u.pathname = path.startsWith("/") ? path : `/${path}`;
  u.search = query;
  return u.href;
}
