/**
 * The reference verifier of the fuzz tests: `jose`'s jwtVerify with the authorizer's key, algorithms,
 * issuer, audience, clock tolerance and `requiredClaims: ["exp"]`, plus the extra checks the README
 * documents ("Security choices"), written here independently of src/: canonical unpadded base64url,
 * strict JSON (no duplicate member names, nesting ≤ 32), time claims non-negative integers, `aud`
 * strings only, `jwk`/`jku`/`x5u`/`x5c`/`crit`/`b64` refused, `typ` when configured. Whenever the
 * authorizer allows a token, this must allow it too.
 */
import { importJWK, jwtVerify, type JWK } from "jose";

export interface ReferenceSettings {
  keys: JWK[];
  algorithms: string[];
  issuer: string;
  audience: string;
  clockTolerance: number;
  /** Epoch ms. */
  now: number;
  typ?: string[];
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Canonical unpadded base64url: alphabet only, a length that is not 1 mod 4, and it re-encodes to itself. */
function canonical(segment: string): Uint8Array | undefined {
  if (!B64URL.test(segment) || segment.length % 4 === 1) return undefined;
  const bytes = Buffer.from(segment, "base64url");
  return bytes.toString("base64url") === segment ? bytes : undefined;
}

/** A tiny JSON reader that refuses duplicate member names and nesting deeper than `maxDepth`. */
export function strictJson(text: string, maxDepth = 32): { ok: true; value: unknown } | { ok: false } {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    if (text[i] !== '"') throw new Error("string");
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) throw new Error("unterminated");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): unknown => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      if (depth + 1 > maxDepth) throw new Error("depth");
      i++;
      ws();
      const close = c === "{" ? "}" : "]";
      const seen = new Set<string>();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === "{") {
          const name = str();
          if (seen.has(name)) throw new Error("duplicate");
          seen.add(name);
          ws();
          if (text[i++] !== ":") throw new Error(":");
        }
        value(depth + 1);
        ws();
        const next = text[i++];
        if (next === close) return;
        if (next !== ",") throw new Error(",");
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) throw new Error("token");
    i += m[0].length;
  };
  try {
    value(0);
    ws();
    if (i !== text.length) return { ok: false };
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c", "crit", "b64"];

/** Why the reference refuses `token`, or `null` when it accepts it. */
export async function referenceRefusal(token: string, s: ReferenceSettings): Promise<string | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return "segments";
  const decoded = parts.map(canonical);
  if (decoded.some((d) => d === undefined)) return "base64url";
  const [headerText, payloadText] = decoded.slice(0, 2).map((d) => new TextDecoder().decode(d));
  const header = strictJson(headerText!);
  const payload = strictJson(payloadText!);
  if (!header.ok || !payload.ok) return "strict json";
  if (!isObject(header.value) || !isObject(payload.value)) return "not objects";
  const h = header.value;
  const p = payload.value;
  if (FORBIDDEN_HEADERS.some((name) => Object.hasOwn(h, name))) return "forbidden header member";
  for (const claim of ["exp", "nbf", "iat"]) {
    if (Object.hasOwn(p, claim) && !(Number.isSafeInteger(p[claim]) && (p[claim] as number) >= 0))
      return `${claim} not a non-negative integer`;
  }
  if (Object.hasOwn(p, "aud")) {
    const aud = p.aud;
    if (!(typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string")))) return "aud";
  }
  if (s.typ) {
    const norm = (t: string) => t.toLowerCase().replace(/^application\//, "");
    if (typeof h.typ !== "string" || !s.typ.map(norm).includes(norm(h.typ))) return "typ";
  }
  // Key selection: by kid when there is one, else the only key of the token's family.
  const alg = typeof h.alg === "string" ? h.alg : "";
  const kty = alg.startsWith("ES")
    ? "EC"
    : alg.startsWith("RS") || alg.startsWith("PS")
      ? "RSA"
      : alg === "EdDSA"
        ? "OKP"
        : "?";
  const candidates =
    typeof h.kid === "string" ? s.keys.filter((k) => k.kid === h.kid) : s.keys.filter((k) => k.kty === kty);
  if (Object.hasOwn(h, "kid") && typeof h.kid !== "string") return "kid not a string";
  if (candidates.length !== 1) return "no single key";
  if (candidates[0]!.alg !== undefined && candidates[0]!.alg !== alg) return "key alg";
  try {
    const key = await importJWK({ ...candidates[0]!, alg: undefined } as JWK, alg);
    await jwtVerify(token, key, {
      algorithms: s.algorithms,
      issuer: s.issuer,
      audience: s.audience,
      clockTolerance: s.clockTolerance,
      requiredClaims: ["exp"],
      currentDate: new Date(s.now),
    });
  } catch (error) {
    return `jose: ${(error as Error).message}`;
  }
  return null;
}
