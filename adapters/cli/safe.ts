/**
 * What the CLI prints but did not write itself (a token's headers and claims, argument values, messages
 * from elsewhere) goes through here:
 * - no control character reaches the terminal: C0 and C1 controls, DEL, bidi overrides and other
 *   invisible format characters, line and paragraph separators and lone surrogates are shown as
 *   `\u001b`-style escapes (a hostile `sub` cannot retitle the window, clear the screen or forge a line);
 * - an argument value is repeated in a message only when it is short and does not look like a token.
 * @module
 */

/** Bidi and invisible format characters (soft hyphen, Arabic letter mark, zero-width, BOM, ...). */
const FORMAT = "\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb";
/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
const unsafe = (controls: string) => new RegExp(`[${controls}\\u007f-\\u009f${FORMAT}]|${LONE_SURROGATE}`, "g");
/** Characters never written raw: controls, bidi and invisible format characters, lone surrogates. */
const UNSAFE = unsafe("\\u0000-\\u001f");
/** The same, except the line feed (for text whose line breaks are our own). */
const UNSAFE_BUT_LF = unsafe("\\u0000-\\u0009\\u000b-\\u001f");

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * An untrusted string made safe to print on one line: every control (line feeds included) escaped.
 *
 * @example
 * ```ts
 * printable("\u001b]0;pwned\u0007"); // "\\u001b]0;pwned\\u0007"
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * A value as (indented) JSON safe for a terminal. `JSON.stringify` already escapes C0 controls inside
 * strings; this also escapes DEL, C1, bidi and the other characters above, as `\uXXXX` escapes, so
 * the output still parses to the same value.
 */
export function printableJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? "undefined").replace(UNSAFE_BUT_LF, escape);
}

/** Text we composed (its line breaks are ours) that may carry untrusted parts: the last line of defence. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escape);
}

/** Longest argument value a message may repeat. */
const MAX_ECHO_CHARS = 40;
/** Three base64url segments joined by dots, as a compact JWS has (the signature may be empty). */
const TOKEN_LIKE = /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/;

/** Whether a string looks like a compact JWS (three base64url segments). */
export function looksLikeToken(value: string): boolean {
  return TOKEN_LIKE.test(value);
}

/** Whether an argument value may be repeated in a message: short, not token-like, no control characters. */
export function echoable(value: string): boolean {
  return value.length <= MAX_ECHO_CHARS && !TOKEN_LIKE.test(value) && printable(value) === value;
}

/**
 * An argument as an error message may show it: the value itself when it is short and not token-like,
 * otherwise `instead` (a phrase such as "the value given to --out").
 */
export function showArg(value: string, instead: string): string {
  return echoable(value) ? value : instead;
}

/**
 * `message` with every argument value that must not be repeated replaced by its label: whole values,
 * the part after `=` of `--name=value`, and each comma- or space-separated item, quoted or not. Then
 * anything token-like left is replaced too.
 */
export function hideArgs(message: string, args: Array<{ value: string; label: string }>): string {
  const hidden: Array<{ text: string; label: string }> = [];
  for (const { value, label } of args) {
    const eq = value.startsWith("-") ? value.indexOf("=") : -1;
    for (const part of [value, ...(eq > 0 ? [value.slice(eq + 1)] : []), ...value.split(/[\s,]+/)]) {
      if (part.length >= 4 && !echoable(part)) hidden.push({ text: part, label });
    }
  }
  hidden.sort((a, b) => b.text.length - a.text.length);
  let out = message;
  for (const { text, label } of hidden) out = out.split(JSON.stringify(text)).join(label).split(text).join(label);
  return out.replace(new RegExp(TOKEN_LIKE.source, "g"), "(a token, not shown)");
}

/** `, got "<value>"` for a message about a bad argument, or a note that the value is not repeated. */
export function got(value: string): string {
  return echoable(value)
    ? `, got ${JSON.stringify(value)}`
    : " (the value given is not repeated: it is long or looks like a token)";
}
