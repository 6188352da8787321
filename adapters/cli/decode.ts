/**
 * Reading a token from the command line and decoding it WITHOUT verification (for display only).
 * Nothing here decides whether a token is valid: `verify` asks the core.
 * @module
 */
import type { Io } from "./command.js";
import { CliError, EXIT } from "./errors.js";
import { isPlainObject } from "../../src/index.js";

/** Header and payload of a compact JWS, decoded but not verified. */
export interface Decoded {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Length of the signature part, in characters. */
  signatureLength: number;
}

/**
 * The single token argument: the positional, or stdin when it is `-`. A pasted `Bearer ` prefix and
 * surrounding whitespace are removed.
 */
export async function tokenArgument(positionals: string[], io: Io): Promise<string> {
  if (positionals.length !== 1)
    throw new CliError(`expects exactly one token argument (or - to read it from stdin), got ${positionals.length}`);
  const raw = positionals[0] === "-" ? await io.stdin() : positionals[0]!;
  const token = raw.trim().replace(/^bearer\s+/i, "");
  if (token === "") throw new CliError("the token is empty");
  return token;
}

/**
 * Decodes header and payload. Throws a `CliError` (exit 1) that never quotes the token.
 *
 * @example
 * ```ts
 * const { header, payload } = decodeUnverified(token);
 * ```
 */
export function decodeUnverified(token: string): Decoded {
  const parts = token.split(".");
  if (parts.length !== 3)
    throw new CliError(`token_malformed: a JWT has 3 dot-separated parts, this one has ${parts.length}`, EXIT.refused);
  return {
    header: part(parts[0]!, "header"),
    payload: part(parts[1]!, "payload"),
    signatureLength: parts[2]!.length,
  };
}

function part(segment: string, name: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(segment))
    throw new CliError(`token_malformed: the ${name} is not base64url`, EXIT.refused);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    throw new CliError(`token_malformed: the ${name} is not JSON`, EXIT.refused);
  }
  if (!isPlainObject(value)) throw new CliError(`token_malformed: the ${name} is not a JSON object`, EXIT.refused);
  return value as Record<string, unknown>;
}
