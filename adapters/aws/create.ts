/**
 * `createHandler(options)`: the Lambda authorizer for REST `TOKEN`/`REQUEST` events and HTTP API 2.0
 * events. Event → Request → `authorize` → policy, simple response or thrown error. The core decides.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { authorizerSource, ConfigError } from "../../src/index.js";
import type {
  Authorizer,
  AuthorizerOptions,
  Decision,
  FlatContext,
  LogFields,
  Logger as CoreLogger,
} from "../../src/index.js";
import { toRequest, type AuthorizerEvent, type Malformed, type Translated } from "./events.js";
import { ambiguousPath, entitlementPolicy, single, stageArn, type PolicyDocument } from "./iam-policy.js";
import { nodeVerifySignature } from "../node/verify.js";

/**
 * Options of {@link createHandler}: where the authorizer comes from (at most one of `authorizer`,
 * `config`, `env`; `env` defaults to `process.env`, which also gives the `JWT_AWS_*` variables), `deps`
 * (`verifySignature` defaults to `node:crypto`, `logger` to Powertools), and the AWS options below.
 */
export interface HandlerOptions extends AuthorizerOptions {
  /** HTTP API 2.0 answer: `simple` (default) or `iam`; default from `JWT_AWS_RESPONSE`. */
  response?: "simple" | "iam";
  /** HTTP API 2.0: a custom domain's base path (`/v1`) removed from `rawPath`; default from `JWT_AWS_BASE_PATH`. */
  basePath?: string;
  logger?: Logger;
}

/** The parts of the Lambda context the handler reads. */
export interface LambdaContext {
  awsRequestId: string;
  functionName?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string;
  functionVersion?: string;
}

/** REST (and HTTP API `iam`) answer. */
export interface PolicyResult {
  principalId: string;
  policyDocument: PolicyDocument;
  context?: FlatContext;
}
/** HTTP API 2.0 simple answer. */
export interface SimpleResult {
  isAuthorized: boolean;
  context?: FlatContext;
}

/** The Lambda handler, with the authorizer and logger it uses. */
export type AuthorizerHandler = ((
  event: AuthorizerEvent | unknown,
  context?: LambdaContext,
) => Promise<PolicyResult | SimpleResult>) & { authorizer: Authorizer; logger: Logger };

/**
 * Creates the handler once (module scope), so key and token caches live across warm invocations.
 * Throws `ConfigError` at once on a bad configuration.
 *
 * @example
 * ```ts
 * import { createHandler } from "edge-jwt-authorizer/aws";
 * export const handler = createHandler({ env: process.env });
 * ```
 */
export function createHandler(options: HandlerOptions = {}): AuthorizerHandler {
  const env = options.env ?? process.env;
  const response = options.response ?? (env.JWT_AWS_RESPONSE || "simple");
  if (response !== "simple" && response !== "iam")
    throw new ConfigError("JWT_AWS_RESPONSE", `must be simple or iam, got ${JSON.stringify(response)}`);
  const basePath = options.basePath ?? (typeof env.JWT_AWS_BASE_PATH === "string" ? env.JWT_AWS_BASE_PATH : "");
  if (basePath && (!basePath.startsWith("/") || basePath.endsWith("/")))
    throw new ConfigError(
      "JWT_AWS_BASE_PATH",
      `must start with "/" and not end with "/" (e.g. /v1), got ${JSON.stringify(basePath)}`,
    );
  const logger =
    options.logger ?? new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || "edge-jwt-authorizer" });
  // kid/iss the core logged during this invocation (Lambda runs one invocation at a time per environment).
  let seen: LogFields = {};
  const note = (fields?: LogFields) => {
    if (fields) seen = { ...seen, kid: fields.kid ?? seen.kid, iss: fields.iss ?? seen.iss };
  };
  const coreLogger = Object.fromEntries(
    (["debug", "info", "warn", "error"] as const).map((level) => [
      level,
      (m: string, f?: LogFields) => {
        note(f);
        logger[level](m, { ...f });
      },
    ]),
  ) as unknown as CoreLogger;
  const source = options.authorizer || options.config ? options : { ...options, env };
  const authorizer = authorizerSource(source, "createHandler", () => ({
    verifySignature: nodeVerifySignature,
    logger: coreLogger,
  }))();

  const handler = async (
    event: AuthorizerEvent | unknown,
    context?: LambdaContext,
  ): Promise<PolicyResult | SimpleResult> => {
    const started = performance.now();
    if (context) logger.addContext(context as Parameters<Logger["addContext"]>[0]);
    seen = {};
    const latencyMs = () => Math.round((performance.now() - started) * 100) / 100;
    const translated = toRequest(event, basePath);
    if (!translated.ok) return malformed(translated, latencyMs);
    const { request, arn, kind } = translated;
    const route = `${request.method} ${translated.path}`;
    if (ambiguousPath(translated.path) || (translated.arnPath !== null && ambiguousPath(translated.arnPath))) {
      if (!authorizer.config.reportOnly) return ambiguous(translated, route, latencyMs);
      logger.warn("report_only", { event: kind, route, would: 403, code: "path_ambiguous" });
    }
    const decision = await authorizer.authorize(request);
    const fields = {
      event: kind,
      route,
      allowed: decision.ok,
      code: decision.ok ? decision.reason : decision.code,
      status: decision.ok ? 200 : decision.status,
      issuer: (decision.ok ? decision.issuer : decision.claims?.iss) ?? seen.iss,
      kid: seen.kid,
      latencyMs: latencyMs(),
    };
    if (!decision.ok && decision.status === 503) {
      logger.error("authorizer unavailable: no verification key could be obtained", fields);
      throw new Error("Authorizer unavailable");
    }
    logger.info("authorization decision", fields);
    if (kind === "http" && response === "simple")
      return decision.ok ? { isAuthorized: true, context: decision.context } : { isAuthorized: false };
    return answer(decision, request, arn, kind);
  };

  /**
   * A path with a marker of AMBIGUOUS (`;`, `%2F`, `//`, dot segments, …) is refused (403): no cached
   * policy can judge it. A valid token still gets its whole policy (which denies such paths too), so
   * the cached answer stays right for its other routes.
   */
  async function ambiguous(
    { request, arn, kind }: Translated,
    route: string,
    latencyMs: () => number,
  ): Promise<PolicyResult | SimpleResult> {
    logger.info("authorization decision", {
      event: kind,
      route,
      allowed: false,
      code: "path_ambiguous",
      status: 403,
      latencyMs: latencyMs(),
    });
    if (kind === "http" && response === "simple") return { isAuthorized: false };
    const claims = await authorizer.tokenClaims(request);
    const policyDocument = claims
      ? entitlementPolicy(arn, authorizer.entitlements(claims), false)
      : single("Deny", arn);
    return { principalId: claims?.sub ?? "anonymous", policyDocument };
  }

  /**
   * An event with missing or mistyped fields: REST 401 (`Unauthorized`), HTTP API 403
   * (`isAuthorized: false` or a Deny).
   */
  function malformed({ kind, arn, reason }: Malformed, latencyMs: () => number): PolicyResult | SimpleResult {
    const status = kind === "http" ? 403 : 401;
    logger.warn("authorization decision", {
      event: kind ?? "unknown",
      route: null,
      allowed: false,
      code: "malformed_event",
      status,
      reason,
      latencyMs: latencyMs(),
    });
    if (kind !== "http") throw new Error("Unauthorized");
    if (response === "simple") return { isAuthorized: false };
    const stage = arn ? stageArn(arn) : null;
    return { principalId: "anonymous", policyDocument: single("Deny", stage ? `${stage}/*/*` : (arn ?? "*")) };
  }

  async function answer(
    decision: Decision,
    request: Request,
    arn: string,
    kind: Translated["kind"],
  ): Promise<PolicyResult> {
    const stage = stageArn(arn);
    if (decision.ok) {
      // A public route does not verify the token; the cached policy must still fit the token's other routes.
      const claims = decision.claims ?? (decision.reason === "public" ? await authorizer.tokenClaims(request) : null);
      // Report-only never refuses, so neither may the cached policy (on any route, with any path).
      const policyDocument =
        authorizer.config.reportOnly && stage
          ? single("Allow", `${stage}/*/*`)
          : claims
            ? entitlementPolicy(arn, authorizer.entitlements(claims), true)
            : single("Allow", arn);
      return { principalId: decision.subject ?? claims?.sub ?? "anonymous", policyDocument, context: decision.context };
    }
    if (decision.status === 403 && decision.claims) {
      // Valid token, route not satisfied: Deny this route, and keep the policy right for the others.
      return {
        principalId: decision.claims.sub ?? "anonymous",
        policyDocument: entitlementPolicy(arn, authorizer.entitlements(decision.claims), false),
      };
    }
    if (decision.status === 403 || kind === "http") {
      // Refused for every route (HTTP API in iam mode: an invalid token): Deny the whole stage.
      return { principalId: "anonymous", policyDocument: single("Deny", stage ? `${stage}/*/*` : arn) };
    }
    throw new Error("Unauthorized");
  }

  return Object.assign(handler, { authorizer, logger });
}
