/**
 * API Gateway authorizer events → a standard `Request` for the core. Translation only: no decisions.
 * Shapes follow the API Gateway developer guide ("Input to an API Gateway Lambda authorizer" and
 * "Control access to HTTP APIs with AWS Lambda authorizers").
 */

type Strings = Record<string, string | undefined> | null | undefined;
type Lists = Record<string, string[] | undefined> | null | undefined;

/** REST API `TOKEN` authorizer event. */
export interface TokenEvent { type: "TOKEN"; authorizationToken: string; methodArn: string }

/** REST API `REQUEST` authorizer event (payload 1.0; HTTP APIs with payload 1.0 send the same). */
export interface RestRequestEvent {
  type: "REQUEST"; methodArn: string; httpMethod: string; path: string; resource?: string;
  headers?: Strings; multiValueHeaders?: Lists; queryStringParameters?: Strings; multiValueQueryStringParameters?: Lists;
  requestContext?: { domainName?: string; stage?: string } & Record<string, unknown>;
}

/** HTTP API `REQUEST` authorizer event, payload format 2.0. */
export interface HttpApiEvent {
  version: "2.0"; type: "REQUEST"; routeArn: string; routeKey?: string; identitySource?: string[] | null;
  rawPath: string; rawQueryString?: string; cookies?: string[]; headers?: Strings;
  requestContext: { http: { method: string }; stage?: string; domainName?: string } & Record<string, unknown>;
}

/** Every event the handler accepts. */
export type AuthorizerEvent = TokenEvent | RestRequestEvent | HttpApiEvent;

/** The event as the core sees it: a Request, and the ARN the answer is about. */
export interface Translated { request: Request; arn: string; kind: "token" | "request" | "http" }

/** Builds the standard request for one event; throws on an event that is none of the three kinds. */
export function toRequest(event: AuthorizerEvent): Translated {
  if ("version" in event && event.version === "2.0") return fromHttpApi(event);
  if (event.type === "TOKEN") return fromToken(event);
  if (event.type === "REQUEST" && "methodArn" in event) return fromRest(event);
  throw new TypeError("not an API Gateway authorizer event");
}

function fromToken(event: TokenEvent): Translated {
  // arn:aws:execute-api:region:account:apiId/stage/VERB/resource/path
  const [, , verb = "GET", ...path] = event.methodArn.split(":").slice(5).join(":").split("/");
  const headers = new Headers();
  if (event.authorizationToken) headers.set("authorization", event.authorizationToken);
  return { request: new Request(url(`/${path.join("/")}`), { method: verb, headers }), arn: event.methodArn, kind: "token" };
}

function fromRest(event: RestRequestEvent): Translated {
  const headers = new Headers();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) for (const v of values ?? []) headers.append(name, v);
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined && !headers.has(name)) headers.set(name, value);
  const query = new URLSearchParams();
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) for (const v of values ?? []) query.append(name, v);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined && !(name in multi)) query.set(name, value);
  return { request: build(event.httpMethod, event.path, query.toString(), headers, event.requestContext?.domainName), arn: event.methodArn, kind: "request" };
}

function fromHttpApi(event: HttpApiEvent): Translated {
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  if (event.cookies?.length && !headers.has("cookie")) headers.set("cookie", event.cookies.join("; "));
  // A named stage's segment is part of rawPath ("/prod/orders/1"); route rules are written without it.
  const stage = event.requestContext.stage;
  let path = event.rawPath || "/";
  if (stage && stage !== "$default" && (path === `/${stage}` || path.startsWith(`/${stage}/`))) path = path.slice(stage.length + 1) || "/";
  return { request: build(event.requestContext.http.method, path, event.rawQueryString ?? "", headers, event.requestContext.domainName), arn: event.routeArn, kind: "http" };
}

function build(method: string, path: string, query: string, headers: Headers, host?: string): Request {
  return new Request(url(path, query, host), { method: method.toUpperCase(), headers });
}

function url(path: string, query = "", host = "execute-api.invalid"): string {
  const safe = /^[a-z0-9.-]+(:\d+)?$/i.test(host) ? host : "execute-api.invalid";
  const u = new URL(`https://${safe}`);
  u.pathname = path.startsWith("/") ? path : `/${path}`;
  u.search = query;
  return u.href;
}
