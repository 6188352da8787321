/**
 * Provider presets: named bundles of issuer settings for identity providers whose tokens need checks
 * the plain settings do not express. A preset only fills fields the user did not set.
 * @module
 */
import { ConfigError, type Raw } from "./env.js";

type Preset = (raw: Raw, name: string) => Raw;

const PRESETS: Record<string, Preset> = {};

/** Applies `raw.preset`, if any. Unknown presets are a configuration error. */
export function applyPreset(raw: Raw, name: string): Raw {
  if (raw.preset === undefined) return raw;
  const preset = typeof raw.preset === "string" ? PRESETS[raw.preset] : undefined;
  if (!preset) throw new ConfigError(`${name}.preset`, `unknown preset ${JSON.stringify(raw.preset)} (known: ${Object.keys(PRESETS).join(", ") || "none"})`);
  return preset(raw, name);
}
