/**
 * The shapes of API Gateway's authorizer events, as its developer guide documents them ("Input to an
 * API Gateway Lambda authorizer", "Control access to HTTP APIs with AWS Lambda authorizers"). Types
 * only: the handler accepts any value and reads these fields strictly (event-fields.ts).
 */

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

/** The parts of the Lambda context the handler reads. */
export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  functionVersion?: string;
}
