/**
 * Workers Analytics Engine: one data point per decision when a dataset is bound as `JWT_ANALYTICS`.
 *
 * | column | value |
 * | --- | --- |
 * | `index1` | the issuer (`none` before one was read): the sampling key |
 * | `blob1` | `allowed` or `refused` |
 * | `blob2` | the reason code, or why it passed (`token`, `public`, ...) |
 * | `blob3` | the issuer (empty when none) |
 * | `blob4` | the token's `kid` (empty when none) |
 * | `blob5` | the rule's path pattern (empty when none matched) |
 * | `blob6` | the method |
 * | `blob7` | the token cache: `hit`, `miss` or `none` |
 * | `double1` | the status (200 when allowed) |
 * | `double2` | the duration in milliseconds |
 * | `double3` | 1 when the request waited on a JWKS fetch, else 0 |
 */
import type { DecisionEvent } from "../../src/index.js";

/** The part of an Analytics Engine binding used here. */
export interface AnalyticsEngineLike {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

/**
 * An `onDecision` hook that writes each decision to `dataset`.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { onDecision: analyticsWriter(env.JWT_ANALYTICS) });
 * ```
 */
export function analyticsWriter(dataset: AnalyticsEngineLike): (event: DecisionEvent) => void {
  return (e) =>
    dataset.writeDataPoint({
      indexes: [e.iss ?? "none"],
      blobs: [
        e.allowed ? "allowed" : "refused",
        e.code,
        e.iss ?? "",
        e.kid ?? "",
        e.route ?? "",
        e.method,
        e.tokenCache,
      ],
      doubles: [e.status, e.durationMs, e.jwksFetched ? 1 : 0],
    });
}

/** Whether a binding looks like an Analytics Engine dataset. */
export const isAnalyticsEngine = (binding: unknown): binding is AnalyticsEngineLike =>
  typeof (binding as AnalyticsEngineLike | undefined)?.writeDataPoint === "function";
