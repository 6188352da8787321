/**
 * What the snippet tests share: the issuer every runnable snippet names (`https://idp.example.com/`,
 * audience `api`) played by a stubbed `fetch`, its tokens, and a folder inside the repository where
 * snippets are written, so that `edge-jwt-authorizer/...` resolves by package self-reference to dist/.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { vi } from "vitest";
import { ROOT, type Block } from "./blocks.js";

export const ISSUER = "https://idp.example.com/";
export const AUDIENCE = "api";
/** Where a forwarded request lands: the origin echoes the identity it received. */
export const ORIGIN = "https://origin.example.com";

let keys: ReturnType<typeof generateKeyPair> | undefined;

export interface TestIssuer {
  token(claims?: Record<string, unknown>): Promise<string>;
  /** Requests `fetch` saw for hosts other than 127.0.0.1. */
  seen: string[];
}

/**
 * Stubs the global `fetch`: discovery and JWKS of any `https://<host>/` issuer answer with one ES256 key;
 * any other https URL is an origin answering `{ sub: <x-auth-sub> }`; 127.0.0.1 goes to the network.
 */
export async function stubIssuer(options: { issuer?: string; kid?: string } = {}): Promise<TestIssuer> {
  const kid = options.kid ?? "k1";
  // One key for the whole process: the Worker's authorizer (and its key cache) lives as long as the module.
  keys ??= generateKeyPair("ES256");
  const { privateKey, publicKey } = await keys;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const realFetch = globalThis.fetch;
  const seen: string[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname === "127.0.0.1") return realFetch(input, init);
    seen.push(request.url);
    if (url.pathname === "/.well-known/openid-configuration")
      return Response.json({ issuer: `${url.origin}/`, jwks_uri: `${url.origin}/jwks` });
    if (url.pathname === "/jwks") return Response.json({ keys: [jwk] });
    return Response.json({ sub: request.headers.get("x-auth-sub"), path: url.pathname });
  });
  return { token: (claims) => sign(privateKey, kid, options.issuer ?? ISSUER, claims), seen };
}

/** A token of `iss`, for `api`, subject alice, valid five minutes unless `claims` says otherwise. */
function sign(key: CryptoKey, kid: string, iss: string, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const exp = typeof claims.exp === "number" ? claims.exp : now + 300;
  return new SignJWT({ sub: "alice", iss, aud: AUDIENCE, iat: Math.min(now, exp - 60), exp, ...claims })
    .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
    .sign(key);
}

/** A fresh folder at the repository root (git-ignored), removed by `done()`. */
export function snippetFolder(prefix: string): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(ROOT, `.readme-snippets-${prefix}-`));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A file name that says where the block came from: `docs-aws-md-261.ts`. */
export function fileNameOf(block: Block, ext: string): string {
  return `${block.file.replace(/[^a-z0-9]+/gi, "-")}-${block.line}.${ext}`;
}
