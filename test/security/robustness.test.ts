/**
 * Garbage in, a clean refusal out: authorize never throws and never answers 500 for random bytes,
 * unicode, mutated tokens, odd JSON or huge headers; verify only ever rejects with AuthError.
 * Property-style loops over a seeded PRNG, so every run sees the same inputs.
 */
import { describe, expect, it } from "vitest";
import { AuthError, REASONS, refusalResponse } from "../../src/index.js";
import type { Decision } from "../../src/index.js";
import { b64url, bearer, goodClaims, harness, jwt, rawToken, testKeys, URL_BASE, type Harness } from "./harness.js";

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES = new Set(Object.keys(REASONS));

/** A refusal must be a known code with a 4xx status (no 503 here: the JWKS is always reachable). */
function expectCleanRefusal(decision: Decision, label: string): void {
  if (decision.ok) return;
  expect(CODES.has(decision.code), `${label}: unknown code ${decision.code}`).toBe(true);
  expect([400, 401, 403], `${label}: status ${decision.status}`).toContain(decision.status);
  expect(refusalResponse(decision).status).toBe(decision.status);
}

async function authorizeSafely(h: Harness, request: Request, label: string): Promise<Decision> {
  let decision: Decision | undefined;
  try {
    decision = await h.authorizer.authorize(request);
  } catch (error) {
    throw new Error(`${label}: authorize threw ${String(error)}`, { cause: error });
  }
  expectCleanRefusal(decision, label);
  return decision;
}

async function verifySafely(h: Harness, token: string, label: string): Promise<void> {
  try {
    await h.authorizer.verify(token);
  } catch (error) {
    expect(error, `${label}: verify threw a non-AuthError ${String(error)}`).toBeInstanceOf(AuthError);
    expect(CODES.has((error as AuthError).code)).toBe(true);
  }
}

describe("authorize never throws", () => {
  it("for 300 random Authorization headers of printable and latin-1 bytes", async () => {
    const rand = prng(1);
    const h = await harness();
    const prefixes = ["Bearer ", "bearer ", "Bearer  ", "Basic ", "", "Bearer\t", "Bearer=", "Token "];
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rand() * 200);
      let value = prefixes[Math.floor(rand() * prefixes.length)]!;
      for (let j = 0; j < len; j++) {
        const r = rand();
        value +=
          r < 0.6
            ? String.fromCharCode(0x21 + Math.floor(rand() * 94))
            : r < 0.75
              ? "."
              : r < 0.85
                ? " "
                : String.fromCharCode(0x80 + Math.floor(rand() * 128));
      }
      const decision = await authorizeSafely(
        h,
        new Request(URL_BASE, { headers: { authorization: value } }),
        `header #${i}`,
      );
      expect(decision.ok).toBe(false);
    }
  });

  it("for 300 random strings, including unicode and lone surrogates, given to verify", async () => {
    const rand = prng(2);
    const h = await harness();
    const pool = [
      "a",
      "Z",
      "0",
      "-",
      "_",
      ".",
      "=",
      " ",
      "é",
      "€",
      "😀",
      "\ud800",
      "\udfff",
      "\u0000",
      "\u202e",
      "{",
      '"',
      "\\",
      "eyJ",
    ];
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rand() * 300);
      let token = "";
      for (let j = 0; j < len; j++) token += pool[Math.floor(rand() * pool.length)]!;
      await verifySafely(h, token, `string #${i}`);
    }
    expect(h.fetched.length).toBeLessThanOrEqual(2);
  });

  it("for 300 single-character mutations of a valid token", async () => {
    const rand = prng(3);
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const at = Math.floor(rand() * token.length);
      const ch = alphabet[Math.floor(rand() * alphabet.length)]!;
      const op = rand();
      const mutated =
        op < 0.4
          ? token.slice(0, at) + ch + token.slice(at + 1)
          : op < 0.7
            ? token.slice(0, at) + ch + token.slice(at)
            : token.slice(0, at) + token.slice(at + 1);
      if (mutated === token) continue;
      const decision = await authorizeSafely(h, bearer(mutated), `mutation #${i}`);
      if (!decision.ok) refused++;
      await verifySafely(h, mutated, `mutation #${i}`);
    }
    expect(refused).toBeGreaterThan(280);
  });

  it("for 200 validly signed tokens with random JSON in the header and the payload", async () => {
    const rand = prng(4);
    const { rsa } = await testKeys();
    const h = await harness();
    const scalars = [null, true, false, 0, -1, 1.5, 1e308, "", "x", "api", "RS256", "none", "__proto__", [], {}];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.6) return scalars[Math.floor(rand() * scalars.length)];
      if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, k) => [`k${k}`, value(depth + 1)]));
    };
    const headerNames = ["alg", "kid", "typ", "crit", "cty", "b64", "zip", "enc", "x5t", "__proto__", "constructor"];
    const claimNames = ["iss", "aud", "sub", "exp", "nbf", "iat", "scope", "scp", "roles", "__proto__", "constructor"];
    for (let i = 0; i < 200; i++) {
      const header: Record<string, unknown> = { alg: "RS256", kid: rsa.kid };
      const payload = goodClaims();
      for (const name of headerNames) if (rand() < 0.2) header[name] = value(0);
      for (const name of claimNames) if (rand() < 0.25) payload[name] = value(0);
      const token = await rawToken(JSON.stringify(header), JSON.stringify(payload), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await authorizeSafely(h, bearer(token), `json #${i}`);
      await verifySafely(h, token, `json #${i}`);
    }
  });

  it("for huge headers: a 64 KB Authorization, a 1 MB cookie, a 100 KB query and 500 extra headers", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { tokenSources: { cookie: "access_token", query: "access_token" } } });
    const token = await jwt(rsa);
    const headers = new Headers({ authorization: `Bearer ${token}` });
    for (let i = 0; i < 500; i++) headers.append(`x-filler-${i}`, "v".repeat(100));
    const requests = [
      new Request(URL_BASE, { headers: { authorization: `Bearer ${"A".repeat(64 * 1024)}` } }),
      new Request(URL_BASE, { headers: { cookie: `access_token=${"A".repeat(1024 * 1024)}` } }),
      new Request(`${URL_BASE}?access_token=${"A".repeat(100 * 1024)}`),
      new Request(`${URL_BASE}?${"q=1&".repeat(20_000)}`),
      new Request(URL_BASE, { headers: { authorization: `Bearer ${b64url("x".repeat(200_000))}` } }),
    ];
    for (const [i, request] of requests.entries()) {
      const decision = await authorizeSafely(h, request, `huge #${i}`);
      expect(decision.ok).toBe(false);
    }
    const decision = await authorizeSafely(h, new Request(URL_BASE, { headers }), "500 extra headers");
    expect(decision.ok).toBe(true);
  });

  it("claims named __proto__ and constructor pollute no prototype and reach the origin only as data", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const payload = JSON.stringify(goodClaims()).replace(
      /}$/,
      ',"__proto__":{"polluted":"yes","admin":true},"constructor":{"prototype":{"polluted":"yes"}}}',
    );
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    const decision = await authorizeSafely(h, bearer(token), "proto");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    if (decision.ok) {
      expect(decision.subject).toBe("alice");
      expect((decision.claims as Record<string, unknown>).admin).toBeUndefined();
      expect(Object.getPrototypeOf(decision.claims)).not.toHaveProperty("polluted");
    }
  });

  it("for odd methods and unicode paths", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    for (const method of ["GET", "POST", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "X-CUSTOM"]) {
      for (const path of ["/", "/%F0%9F%98%80", "/a/../../etc/passwd", "/%00", "/%ZZ", "/" + "a/".repeat(500)]) {
        await authorizeSafely(
          h,
          new Request(`https://api.example${path}`, { method, headers: { authorization: `Bearer ${token}` } }),
          `${method} ${path}`,
        );
        await authorizeSafely(h, new Request(`https://api.example${path}`, { method }), `${method} ${path} anonymous`);
      }
    }
  });
});
