/**
 * Host hooks made safe to call from the hot path: a hook that throws (or rejects) never breaks a
 * decision, and is logged once (not once per request). And the keyed hash of a subject for events.
 * @module
 */
import type { Logger } from "../deps.js";
import { encodeBase64url } from "../encoding/base64url.js";

/** Minimum length of `subjectHashKey`, in characters. */
export const MIN_SUBJECT_KEY_CHARS = 32;

/**
 * `hook`, wrapped so that it never throws; its first failure is logged as `<name>_failed`.
 *
 * @example
 * ```ts
 * const onDecision = safeHook(deps.onDecision, logger, "on_decision");
 * onDecision?.(event); // never throws
 * ```
 */
export function safeHook<E>(hook: ((event: E) => unknown) | undefined, logger: Logger, name: string) {
  if (!hook) return undefined;
  let logged = false;
  const failed = (e: unknown) => {
    if (logged) return;
    logged = true;
    logger.error(`${name}_failed`, { error: e instanceof Error ? e.name : typeof e, once: true });
  };
  return (event: E): void => {
    try {
      const result = hook(event);
      if (result instanceof Promise) result.catch(failed);
    } catch (e) {
      failed(e);
    }
  };
}

/**
 * HMAC-SHA-256 of a subject under `key`, base64url (Web Crypto, so asynchronous: only called when a
 * key is configured). Throws a `TypeError` at once for a key shorter than 32 characters.
 *
 * @example
 * ```ts
 * const hash = subjectHasher("a-key-of-at-least-32-characters!!");
 * await hash("alice"); // "3q2-..."
 * ```
 */
export function subjectHasher(key: string): (subject: string) => Promise<string> {
  if (key.length < MIN_SUBJECT_KEY_CHARS)
    throw new TypeError(`subjectHashKey must have at least ${MIN_SUBJECT_KEY_CHARS} characters`);
  const encoder = new TextEncoder();
  let cryptoKey: Promise<CryptoKey> | undefined;
  return async (subject) => {
    cryptoKey ??= crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const mac = await crypto.subtle.sign("HMAC", await cryptoKey, encoder.encode(subject));
    return encodeBase64url(new Uint8Array(mac));
  };
}
