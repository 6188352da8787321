/**
 * API Gateway's side of a decision: the IAM policy, the HTTP API simple response, or the thrown
 * `Unauthorized` (401) and unavailable (500) errors. Each answer stays right when API Gateway caches it
 * for the token's other routes (see the README, "How the policy is built").
 */
import type { Allowed, Authorizer, Decision, FlatContext } from "../../src/index.js";
import { entitlementPolicy, single, stageArn, type PolicyDocument } from "./iam-policy.js";
import type { EventKind } from "./event-shapes.js";

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

/** What an answer is about: the event's kind, its method or route ARN, and whether answers are simple. */
export interface Target {
  kind: EventKind;
  arn: string;
  simple: boolean;
  /** With an assertion key: the URL the integration receives (`ORIGIN_URL` + path), which it is bound to. */
  originUrl?: string;
}

/**
 * The context of an allowed answer, with the signed identity assertion (`context.assertion`) when one
 * is configured and `ORIGIN_URL` says where the integration is: an HTTP integration maps it to the
 * `x-auth-assertion` header. Each has its own `jti`, so the authorizer cache must be off (TTL 0).
 */
async function contextFor(authorizer: Authorizer, decision: Allowed, request: Request, target: Target) {
  if (!target.originUrl) return decision.context;
  const assertion = await authorizer.assertion(decision, request.method, target.originUrl);
  return assertion ? { ...decision.context, assertion } : decision.context;
}

/** Deny every route of the stage (or the one ARN when it names no stage). */
const denyAll = (arn: string): PolicyDocument => {
  const stage = stageArn(arn);
  return single("Deny", stage ? `${stage}/*/*` : arn);
};

/** The answer for the core's decision. Throws `Unauthorized` for a REST request without a valid token. */
export async function answer(
  authorizer: Authorizer,
  decision: Decision,
  request: Request,
  target: Target,
): Promise<PolicyResult | SimpleResult> {
  const { kind, arn, simple } = target;
  const context = decision.ok ? await contextFor(authorizer, decision, request, target) : undefined;
  if (simple) return decision.ok ? { isAuthorized: true, context: context! } : { isAuthorized: false };
  const stage = stageArn(arn);
  // A rule bound to the path's parameters answered: IAM cannot say "equals the claim", so the policy
  // names this ARN only (the CDK construct keys the cache on the method and path for such configs).
  if (decision.ok ? decision.bindings !== undefined : decision.pathBound) {
    const principalId = (decision.ok ? decision.subject : decision.claims?.sub) ?? "anonymous";
    return {
      principalId,
      policyDocument: single(decision.ok ? "Allow" : "Deny", arn),
      ...(context ? { context } : {}),
    };
  }
  if (decision.ok) {
    // A public route does not verify the token; the cached policy must still fit the token's other routes.
    // A sender-constrained token's answer holds for this request only (tokenClaims gives none for it).
    const bound = decision.claims?.cnf !== undefined;
    const claims = bound
      ? null
      : (decision.claims ?? (decision.reason === "public" ? await authorizer.tokenClaims(request) : null));
    // Report-only never refuses, so neither may the cached policy (on any route, with any path).
    const policyDocument =
      authorizer.config.reportOnly && stage
        ? single("Allow", `${stage}/*/*`)
        : claims
          ? entitlementPolicy(arn, authorizer.entitlements(claims), true)
          : single("Allow", arn);
    const principalId = decision.subject ?? claims?.sub ?? "anonymous";
    return { principalId, policyDocument, context: context! };
  }
  if (decision.status === 403 && decision.claims && decision.claims.cnf === undefined) {
    // Valid token, route not satisfied: Deny this route, and keep the policy right for the others.
    const policyDocument = entitlementPolicy(arn, authorizer.entitlements(decision.claims), false);
    return { principalId: decision.claims.sub ?? "anonymous", policyDocument };
  }
  // Refused for every route (HTTP API in iam mode: an invalid token): Deny the whole stage.
  if (decision.status === 403 || kind === "http") return { principalId: "anonymous", policyDocument: denyAll(arn) };
  throw new Error("Unauthorized");
}

/**
 * A path that can be read more than one way is refused (403): no cached policy can judge it. A valid
 * token still gets its whole policy (which denies such paths too), so the cached answer stays right for
 * its other routes.
 */
export async function ambiguousAnswer(
  authorizer: Authorizer,
  request: Request,
  { arn, simple }: Target,
): Promise<PolicyResult | SimpleResult> {
  if (simple) return { isAuthorized: false };
  const claims = await authorizer.tokenClaims(request);
  const policyDocument = claims ? entitlementPolicy(arn, authorizer.entitlements(claims), false) : single("Deny", arn);
  return { principalId: claims?.sub ?? "anonymous", policyDocument };
}

/** An event with missing or mistyped fields: REST 401 (`Unauthorized`), HTTP API 403. */
export function malformedAnswer(
  kind: EventKind | null,
  arn: string | null,
  simple: boolean,
): PolicyResult | SimpleResult {
  if (kind !== "http") throw new Error("Unauthorized");
  if (simple) return { isAuthorized: false };
  return { principalId: "anonymous", policyDocument: arn ? denyAll(arn) : single("Deny", "*") };
}
