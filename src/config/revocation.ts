/**
 * `JWT_CONFIG.revocation`: `{ "url": "<https URL>", "ttl": 60, "failMode": "closed" }`, every member
 * optional, unknown members refused.
 * @module
 */
import type { RevocationConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { RANGES, REVOCATION_TTL } from "../limits.js";
import { int, isObject, oneOf, rejectUnknown, url } from "./readers.js";

const NAME = "JWT_CONFIG.revocation";

/**
 * Reads the revocation settings; `undefined` when the member is absent.
 *
 * @example
 * ```ts
 * revocationFrom({ url: "https://idp.example/revoked.json" }); // { url, ttl: 60, failMode: "closed" }
 * ```
 */
export function revocationFrom(value: unknown): RevocationConfig | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ConfigError(NAME, "must be an object with url, ttl and failMode");
  rejectUnknown(value, ["url", "ttl", "failMode"], NAME);
  const list = url(value.url, `${NAME}.url`);
  return {
    ...(list === undefined ? {} : { url: list }),
    ttl: int(value.ttl, `${NAME}.ttl`, ...RANGES.revocationTtl) ?? REVOCATION_TTL,
    failMode: oneOf(value.failMode, `${NAME}.failMode`, ["closed", "open"] as const) ?? "closed",
  };
}
