/**
 * Reading a claim by path. A path is first tried as one claim name (so `https://example.com/roles` and
 * `cognito:groups` work), then as dot-separated steps (`realm_access.roles`, `resource_access.api.roles`).
 * Only own properties are read, so `__proto__` and `constructor` find nothing.
 * @module
 */
import type { ClaimCondition } from "../config/schema.js";
import { isPlainObject } from "../encoding/strict-json.js";

const own = (o: unknown, k: string): unknown =>
  isPlainObject(o) && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined;

/** The value at `path`, or `undefined`. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  const direct = own(claims, path);
  if (direct !== undefined || !path.includes(".")) return direct;
  let value: unknown = claims;
  for (const step of path.split(".")) {
    value = own(value, step);
    if (value === undefined) return undefined;
  }
  return value;
}

/** The strings at `path`: an array of strings, or a space-separated string (OAuth `scope`). */
export function stringsAt(claims: Record<string, unknown>, path: string): string[] {
  const value = claimAt(claims, path);
  if (typeof value === "string") return value.split(" ").filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** A claim value as a path segment compares with it: a string as is, a safe integer in decimal. */
const asSegment = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" && Number.isSafeInteger(v) ? String(v) : undefined;

/** The clock a time condition is judged by: `now` in seconds, and the issuer's tolerance in seconds. */
export interface ConditionClock {
  now: number;
  tolerance: number;
}

/**
 * Whether one claim condition holds. `params` are the `:param` values of the path reading being judged;
 * a param condition without its value never holds. `clock` judges `inPast` (which never holds without it).
 *
 * @example
 * ```ts
 * const clock = { now: 1700000100, tolerance: 30 };
 * conditionHolds({ auth_time: 1700000000 }, { claim: "auth_time", inPast: true }, {}, clock); // true
 * ```
 */
export function conditionHolds(
  claims: Record<string, unknown>,
  c: ClaimCondition,
  params: Record<string, string> = {},
  clock?: ConditionClock,
): boolean {
  const value = claimAt(claims, c.claim);
  if (c.nonEmpty) return (typeof value === "string" || Array.isArray(value)) && value.length > 0;
  if (c.inPast)
    return (
      clock !== undefined &&
      typeof value === "number" &&
      Number.isSafeInteger(value) &&
      value >= 0 &&
      value <= clock.now + clock.tolerance
    );
  if (c.equalsParam !== undefined || c.containsParam !== undefined) {
    const segment = params[(c.equalsParam ?? c.containsParam)!];
    if (segment === undefined) return false;
    if (c.equalsParam !== undefined) return asSegment(value) === segment;
    const items = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value.map(asSegment) : [];
    return items.includes(segment);
  }
  if (c.exists !== undefined) return (value !== undefined && value !== null) === c.exists;
  if (c.equals !== undefined) return value === c.equals;
  if (c.contains !== undefined)
    return Array.isArray(value)
      ? value.includes(c.contains)
      : typeof value === "string" && value.split(" ").includes(c.contains);
  if (c.oneOf !== undefined) return c.oneOf.some((v) => v === value);
  if (c.noneOf !== undefined) return !c.noneOf.some((v) => v === value);
  return false;
}
