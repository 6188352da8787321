/**
 * A strict parser for one RFC 7235 challenge, so tests compare WWW-Authenticate by meaning and catch
 * broken quoting.
 */
/** Parses `Bearer k="v", k2="v2"` (RFC 7235 auth-params, quoted-string with backslash escapes). */
export function parseChallenge(value: string): { scheme: string; params: Record<string, string> } {
  const match = /^(\S+)(?:\s+(.*))?$/s.exec(value);
  if (!match) throw new Error(`not a challenge: ${value}`);
  const params: Record<string, string> = {};
  let rest = match[2] ?? "";
  const param =
    /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))\s*(,|$)/s;
  while (rest.length > 0) {
    const m = param.exec(rest);
    if (!m) throw new Error(`bad auth-param list: ${rest}`);
    const name = m[1]!.toLowerCase();
    if (name in params) throw new Error(`duplicate auth-param ${name}`);
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/gs, "$1") : m[3]!;
    rest = rest.slice(m[0].length);
  }
  return { scheme: match[1]!, params };
}
