/**
 * API Gateway authorizer events → a standard `Request` for the core. Translation only: no decisions.
 * Shapes follow the API Gateway developer guide ("Input to an API Gateway Lambda authorizer" and
 * "Control access to HTTP APIs with AWS Lambda authorizers"). An event with missing or mistyped fields
 * is reported as malformed (never a TypeError); the handler answers it as documented.
 */
import { parseArn } from "./iam-policy.js";

type Strings = Record<string, string | undefined> | null | undefined;
type Lists = Record<string, string[] | undefined> | null | undefined;

/** REST API `TOKEN` authorizer event. */
export interface TokenEvent {
  type: "TOKEN";
  authorizationToken: string;
  methodArn: string;
}

/** REST API `REQUEST` authorizer event (payload 1.0; HTTP APIs with payload 1.0 send the same). */
export interface RestRequestEvent {
  type: "REQUEST";
  methodArn: string;
  httpMethod: string;
  path: string;
  resource?: string;
  headers?: Strings;
  multiValueHeaders?: Lists;
  queryStringParameters?: Strings;
  multiValueQueryStringParameters?: Lists;
  requestContext?: { domainName?: string; stage?: string } & Record<string, unknown>;
}

/** HTTP API `REQUEST` authorizer event, payload format 2.0. */
export interface HttpApiEvent {
  version: "2.0";
  type: "REQUEST";
  routeArn: string;
  routeKey?: string;
  identitySource?: string[] | null;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: Strings;
  requestContext: { http: { method: string }; stage?: string; domainName?: string } & Record<string, unknown>;
}

/** Every event the handler accepts. */
export type AuthorizerEvent = TokenEvent | RestRequestEvent | HttpApiEvent;

export type EventKind = "token" | "request" | "http";

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

class Bad extends Error {}
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

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
  let host: string | undefined;
  if (kind === "token") {
    const token = optional(event.authorizationToken, "authorizationToken");
    if (token) headers.set("authorization", token);
  } else {
    for (const [name, values] of entries(event.multiValueHeaders, "multiValueHeaders"))
      for (const v of list(values, "multiValueHeaders")) headers.append(name, v);
    for (const [name, value] of entries(event.headers, "headers"))
      if (value !== undefined && !headers.has(name)) headers.set(name, str(value, "headers"));
    const multi = entries(event.multiValueQueryStringParameters, "multiValueQueryStringParameters");
    for (const [name, values] of multi)
      for (const v of list(values, "multiValueQueryStringParameters")) query.append(name, v);
    const names = new Set(multi.map(([name]) => name));
    for (const [name, value] of entries(event.queryStringParameters, "queryStringParameters"))
      if (value !== undefined && !names.has(name)) query.set(name, str(value, "queryStringParameters"));
    if (event.requestContext !== undefined && event.requestContext !== null && !isObj(event.requestContext))
      throw new Bad("requestContext is not an object");
    host = isObj(event.requestContext)
      ? optional(event.requestContext.domainName, "requestContext.domainName")
      : undefined;
  }
  return {
    ok: true,
    request: build(parsed.verb, parsed.path, query.toString(), headers, host),
    arn,
    kind,
    path: parsed.path,
    arnPath: parsed.path,
  };
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
  const parsed = parseArn(arn);
  return {
    ok: true,
    request: build(
      method,
      path,
      optional(event.rawQueryString, "rawQueryString") ?? "",
      headers,
      optional(ctx.domainName, "requestContext.domainName"),
    ),
    arn,
    kind: "http",
    path,
    arnPath: parsed?.path ?? null,
  };
}

/** `path` without a leading `prefix`, only where the prefix ends at a segment boundary. */
function strip(path: string, prefix: string): string {
  return path === prefix ? "/" : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function str(value: unknown, field: string): string {
  if (typeof value !== "string") throw new Bad(`${field} is not a string`);
  return value;
}

function optional(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : str(value, field);
}

function list(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Bad(`${field} is not an array`);
  return value.map((v) => str(v, field));
}

function entries(value: unknown, field: string): Array<[string, unknown]> {
  if (value === undefined || value === null) return [];
  if (!isObj(value)) throw new Bad(`${field} is not an object`);
  return Object.entries(value);
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
