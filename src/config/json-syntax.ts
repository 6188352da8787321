/**
 * Where and why a `JWT_CONFIG` text is not JSON, without quoting it: the text may hold a secret, and
 * `JSON.parse` messages can quote an excerpt of their input.
 * @module
 */

/**
 * Where and why `text` is not JSON, for an error message that must not quote the text (it may hold a
 * secret): `JSON.parse` messages can quote an excerpt of the input, so the text is scanned here instead.
 * Describes the first error as "expected ... at line L, column C (offset O)"; never echoes input.
 */
export function jsonSyntaxProblem(text: string): string {
  const { at, problem } = locateJsonError(text);
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  return `${problem} at line ${line}, column ${column} (offset ${at})`;
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first JSON grammar error in `text` (RFC 8259), iteratively (no recursion on deep input). */
function locateJsonError(text: string): { at: number; problem: string } {
  const stack: string[] = [];
  let i = 0;
  let state: "value" | "valueOrEnd" | "name" | "nameOrEnd" | "after" = "value";
  const fail = (problem: string, at = i) => ({ at, problem });
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i >= text.length)
      return fail(
        state === "after" && stack.length === 0 ? "nothing wrong found by the scanner" : "unexpected end of input",
      );
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (state === "after") {
      if (top === undefined) return fail("unexpected text after the JSON value");
      if (c === ",") {
        i++;
        state = top === "{" ? "name" : "value";
      } else if (c === (top === "{" ? "}" : "]")) {
        i++;
        stack.pop();
      } else return fail(top === "{" ? "expected ',' or '}' after a member" : "expected ',' or ']' after an element");
      continue;
    }
    if (state === "name" || state === "nameOrEnd") {
      if (state === "nameOrEnd" && c === "}") {
        i++;
        stack.pop();
        state = "after";
        continue;
      }
      if (c !== '"')
        return fail(
          state === "name"
            ? "expected a member name in double quotes"
            : "expected a member name in double quotes or '}'",
        );
      const error = scanString();
      if (error) return error;
      while (i < text.length && WS.has(text[i]!)) i++;
      if (text[i] !== ":")
        return fail(i >= text.length ? "unexpected end of input" : "expected ':' after a member name");
      i++;
      state = "value";
      continue;
    }
    // A value (or, right after '[', the end of an empty array).
    if (state === "valueOrEnd" && c === "]") {
      i++;
      stack.pop();
      state = "after";
      continue;
    }
    if (c === "{" || c === "[") {
      stack.push(c);
      i++;
      state = c === "{" ? "nameOrEnd" : "valueOrEnd";
      continue;
    }
    if (c === '"') {
      const error = scanString();
      if (error) return error;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === "-") return fail("malformed number");
      i += m[0].length;
      if (i < text.length && /[0-9.eE+-]/.test(text[i]!)) return fail("malformed number");
    } else {
      const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
      if (!word) return fail("expected a value (object, array, string, number, true, false or null)");
      i += word.length;
    }
    state = "after";
  }

  function scanString(): { at: number; problem: string } | undefined {
    const start = i;
    for (i++; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x22) {
        i++;
        return undefined;
      }
      if (ch < 0x20) return fail("control character inside a string (escape it)");
      if (ch === 0x5c) {
        const next = text[i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail("bad \\u escape inside a string");
          i += 5;
        } else if (next !== undefined && ESCAPES.has(next)) i++;
        else return fail(next === undefined ? "unterminated string" : "bad escape inside a string");
      }
    }
    return fail("unterminated string (it starts here)", start);
  }
}
