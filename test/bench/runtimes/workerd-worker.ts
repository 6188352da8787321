/**
 * The bench Worker, bundled with esbuild and run inside workerd by workerd.ts. `POST /setup` receives
 * the JWKS and the tokens; `POST /run` loops `n` verifications one at a time and answers the elapsed
 * milliseconds measured inside the isolate:
 * - `subtle`: crypto.subtle.verify on pre-decoded input and signature, CryptoKey imported once;
 * - `core`: the core's `verify()` on fresh tokens (token cache smaller than the token list: no hits);
 * - `core-same`: the core's `verify()` on one token (token cache hits);
 * - `authorize`: the core's `authorize()` on fresh tokens, one `Request` per token built at setup;
 * - `authorize-same`: `authorize()` on one token, a `Request` per call built at setup;
 * - `empty`: the loop alone.
 */
import type { JWK } from "jose";
import { configFromEnv, createAuthorizer, type Authorizer } from "../../../src/index.js";

interface Setup {
  issuer: string;
  audience: string;
  jwksUri: string;
  jwks: { keys: JWK[] };
  tokens: Record<string, string[]>;
}

interface AlgState {
  key: CryptoKey;
  params: AlgorithmIdentifier | EcdsaParams;
  tokens: string[];
  inputs: Uint8Array[];
  signatures: Uint8Array[];
  /** One request per token, and as many carrying the first token. */
  requests: Request[];
  sameRequests: Request[];
}

const IMPORT: Record<
  string,
  { import: Algorithm | EcKeyImportParams | RsaHashedImportParams; verify: AlgorithmIdentifier | EcdsaParams }
> = {
  RS256: {
    import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams,
    verify: { name: "RSASSA-PKCS1-v1_5" },
  },
  ES256: {
    import: { name: "ECDSA", namedCurve: "P-256" } as EcKeyImportParams,
    verify: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
  },
  EdDSA: { import: { name: "Ed25519" }, verify: { name: "Ed25519" } },
};

let state: { algs: Record<string, AlgState>; fresh: Authorizer; same: Authorizer } | undefined;

function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const request = (token: string) =>
  new Request("https://api.example.com/orders/42?expand=items", { headers: { authorization: `Bearer ${token}` } });

async function setup(body: Setup): Promise<void> {
  const jwksBody = JSON.stringify(body.jwks);
  const jwksFetch = (async () =>
    new Response(jwksBody, {
      headers: { "content-type": "application/json", "cache-control": "max-age=3600" },
    })) as unknown as typeof fetch;
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const shortest = Math.min(...Object.values(body.tokens).map((t) => t.length));
  const make = (tokens: number) =>
    createAuthorizer(
      configFromEnv({
        JWT_ISSUER: body.issuer,
        JWT_AUDIENCE: body.audience,
        JWT_JWKS_URI: body.jwksUri,
        JWT_ALGORITHMS: Object.keys(IMPORT).join(","),
        // The Node rows' configuration (overhead.ts): a public route, a scoped one, one mapped claim.
        JWT_CONFIG: {
          cache: { tokens },
          routes: [
            { path: "/health", access: "public" },
            { path: "/orders/*", access: "protected", scopes: ["read"] },
          ],
          identity: { claimHeaders: { email: "x-auth-email" } },
        },
      }),
      { fetch: jwksFetch, logger: silent },
    );
  const fresh = make(Math.max(1, Math.floor(shortest / 2)));
  const same = make(10_000);
  await Promise.all([fresh.warmUp(), same.warmUp()]);
  const algs: Record<string, AlgState> = {};
  for (const [alg, tokens] of Object.entries(body.tokens)) {
    const { alg: _a, kid, use: _u, ...jwk } = body.jwks.keys.find((k) => k.alg === alg)!;
    const key = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, IMPORT[alg]!.import, false, ["verify"]);
    const inputs = tokens.map((t) => new TextEncoder().encode(t.slice(0, t.lastIndexOf("."))));
    const signatures = tokens.map((t) => fromB64url(t.slice(t.lastIndexOf(".") + 1)));
    if (
      !(await crypto.subtle.verify(
        IMPORT[alg]!.verify,
        key,
        signatures[0]! as BufferSource,
        inputs[0]! as BufferSource,
      ))
    )
      throw new Error(`${alg} (${kid}): raw verify failed`);
    if ((await fresh.verify(tokens[0]!)).iss !== body.issuer) throw new Error(`${alg}: core verify failed`);
    if (!(await same.authorize(request(tokens[0]!))).ok) throw new Error(`${alg}: core authorize refused`);
    const requests = tokens.map(request);
    const sameRequests = tokens.map(() => request(tokens[0]!));
    algs[alg] = { key, params: IMPORT[alg]!.verify, tokens, inputs, signatures, requests, sameRequests };
  }
  state = { algs, fresh, same };
}

async function run(op: string, alg: string, start: number, n: number): Promise<number> {
  const s = state!.algs[alg]!;
  const len = s.tokens.length;
  const t0 = performance.now();
  if (op === "subtle")
    for (let i = start; i < start + n; i++)
      await crypto.subtle.verify(
        s.params,
        s.key,
        s.signatures[i % len]! as BufferSource,
        s.inputs[i % len]! as BufferSource,
      );
  else if (op === "core") for (let i = start; i < start + n; i++) await state!.fresh.verify(s.tokens[i % len]!);
  else if (op === "core-same") for (let i = 0; i < n; i++) await state!.same.verify(s.tokens[0]!);
  else if (op === "authorize")
    for (let i = start; i < start + n; i++) await state!.fresh.authorize(s.requests[i % len]!);
  else if (op === "authorize-same")
    for (let i = start; i < start + n; i++) await state!.same.authorize(s.sameRequests[i % len]!);
  else for (let i = start; i < start + n; i++) await Promise.resolve(i);
  return performance.now() - t0;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/setup") {
        await setup((await request.json()) as Setup);
        return Response.json({ ok: true });
      }
      const p = url.searchParams;
      const ms = await run(p.get("op") ?? "empty", p.get("alg") ?? "RS256", Number(p.get("start")), Number(p.get("n")));
      return Response.json({ ms });
    } catch (e) {
      return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 500 });
    }
  },
};
