/**
 * Authorizer events shaped as API Gateway sends them (API Gateway developer guide: "Input to an API
 * Gateway Lambda authorizer" for REST TOKEN and REQUEST, "Control access to HTTP APIs with AWS Lambda
 * authorizers" for payload 2.0), with real-looking ARNs for API `a1b2c3d4e5` in us-east-1.
 */
export const ACCOUNT = "123456789012";
export const API_ID = "a1b2c3d4e5";
export const REGION = "us-east-1";
export const STAGE_ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod`;

/**
 * The Deny resources every broad policy carries for paths that can be read more than one way (written
 * out here by hand, not taken from the adapter): `;`, `%2F`, `%5C`, `%3B`, `%25`, `%2E` in both cases,
 * a backslash, an empty segment, and `.` or `..` segments inside or at the end of the path.
 */
export const AMBIGUOUS_DENIES = [
  "*;*",
  "*%2F*",
  "*%2f*",
  "*%5C*",
  "*%5c*",
  "*%3B*",
  "*%3b*",
  "*%25*",
  "*%2E*",
  "*%2e*",
  "*\\*",
  "*//*",
  "*/./*",
  "*/.",
  "*/../*",
  "*/..",
].map((p) => `${STAGE_ARN}/${p}`);

/** `arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/orders/42` for ("GET", "/orders/42"). */
export const methodArn = (method: string, path: string, stage = "prod") =>
  `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${stage}/${method}/${path.replace(/^\//, "")}`;

/** REST API, TOKEN authorizer: the token source header's value and the method ARN. */
export function tokenEvent(method: string, path: string, authorizationToken: string) {
  return { type: "TOKEN", authorizationToken, methodArn: methodArn(method, path) };
}

/**
 * REST API, REQUEST authorizer (proxy integration), as in the developer guide's `GET /request` example.
 * With `basePath` (`/v1`), the request came through a custom domain whose base-path mapping points at
 * the stage: `path` carries the base path, `methodArn` (the API's resource path) does not.
 */
export function restRequestEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  query: Record<string, string> = {},
  options: { basePath?: string } = {},
) {
  const domainName = options.basePath ? "api.example.com" : `${API_ID}.execute-api.${REGION}.amazonaws.com`;
  const base: Record<string, string> = {
    "X-AMZ-Date": "20261129T062915Z",
    Accept: "*/*",
    "CloudFront-Viewer-Country": "US",
    "CloudFront-Forwarded-Proto": "https",
    "CloudFront-Is-Tablet-Viewer": "false",
    "CloudFront-Is-Mobile-Viewer": "false",
    "User-Agent": "curl/8.5.0",
    "X-Forwarded-Proto": "https",
    "CloudFront-Is-Desktop-Viewer": "true",
    "X-Forwarded-Port": "443",
    Host: domainName,
    "X-Forwarded-For": "203.0.113.10, 130.176.98.91",
    "X-Amzn-Trace-Id": "Root=1-6749a1b2-0123456789abcdef01234567",
    Via: "2.0 d01884a3320364227d925bce1a38f0ad.cloudfront.net (CloudFront)",
    "X-Amz-Cf-Id": "rNFG7NSqS70Rz0vEgN0IqCDycgBuiREInNJyvNPxNcUeQ5VQX1QjjA==",
    ...headers,
  };
  return {
    type: "REQUEST",
    methodArn: methodArn(method, path),
    resource: path,
    path: `${options.basePath ?? ""}${path}`,
    httpMethod: method,
    headers: base,
    multiValueHeaders: Object.fromEntries(Object.entries(base).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(query).length
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: {},
    stageVariables: { StageVar1: "stageValue1" },
    requestContext: {
      path: options.basePath ? `${options.basePath}${path}` : `/prod${path}`,
      accountId: ACCOUNT,
      resourceId: "05c7jb",
      stage: "prod",
      domainPrefix: API_ID,
      domainName,
      requestId: "e7a1b3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b",
      identity: { apiKey: "", sourceIp: "203.0.113.10", clientCert: null },
      resourcePath: path,
      httpMethod: method,
      apiId: API_ID,
    },
  };
}

/** HTTP API, payload format 2.0 (named stage `prod`: its segment is part of rawPath, not of the route ARN's path). */
export function httpApiEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  options: { query?: string; cookies?: string[]; stage?: string; basePath?: string } = {},
) {
  const stage = options.stage ?? "prod";
  const lower = Object.fromEntries(
    Object.entries({
      accept: "*/*",
      "user-agent": "curl/8.5.0",
      host: `${API_ID}.execute-api.${REGION}.amazonaws.com`,
      "x-forwarded-proto": "https",
      ...headers,
    }).map(([k, v]) => [k.toLowerCase(), v]),
  );
  // Through a custom domain (basePath), rawPath carries the mapping's base path and no stage segment.
  const rawPath = options.basePath ? `${options.basePath}${path}` : stage === "$default" ? path : `/${stage}${path}`;
  return {
    version: "2.0",
    type: "REQUEST",
    routeArn: methodArn(method, path, stage),
    identitySource: lower.authorization ? [lower.authorization] : [],
    routeKey: `${method} ${path}`,
    rawPath,
    rawQueryString: options.query ?? "",
    ...(options.cookies ? { cookies: options.cookies } : {}),
    headers: lower,
    ...(options.query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query)) } : {}),
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: `${API_ID}.execute-api.${REGION}.amazonaws.com`,
      domainPrefix: API_ID,
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "203.0.113.10", userAgent: "curl/8.5.0" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: `${method} ${path}`,
      stage,
      time: "29/Nov/2026:19:03:58 +0000",
      timeEpoch: 1795979038390,
    },
    pathParameters: {},
    stageVariables: { stageVariable1: "value1" },
  };
}
