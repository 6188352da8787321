/**
 * A real issuer for tests: discovery document and JWKS served over HTTP on 127.0.0.1, keys generated
 * per instance, tokens minted with jose. It counts every request so tests can assert fetch counts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from "jose";

export type TestAlg = "RS256" | "ES256" | "EdDSA" | "PS256" | "ES384" | "RS384";

export interface TestKey {
  kid: string;
  alg: TestAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>` (no trailing slash): the `iss` of minted tokens. */
  issuer: string;
  jwksUri: string;
  discoveryUrl: string;
  /** Requests served, by path. */
  counts: { discovery: number; jwks: number };
  keys: TestKey[];
  /** The key new tokens are signed with. */
  current: TestKey;
  /** Mint a token. Defaults: iss, aud "api", sub "alice", iat now, exp now + 1 h, typ "JWT". */
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  /** Adds a key and makes it current; `keep` false drops the old keys from the JWKS. */
  rotate(alg?: TestAlg, keep?: boolean): Promise<TestKey>;
  /** Mode of the JWKS endpoint. */
  mode: "ok" | "500" | "garbage" | "hang";
  /** `Cache-Control` sent with the JWKS, if any. */
  cacheControl?: string;
  stop(): Promise<void>;
}

export interface SignOptions {
  key?: TestKey;
  header?: Record<string, unknown>;
  /** Seconds since epoch used for iat/exp defaults. */
  now?: number;
}

let kidCounter = 0;

export async function makeKey(alg: TestAlg = "RS256"): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  const kid = `test-${alg.toLowerCase()}-${++kidCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk };
}

export async function signWith(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  return new SignJWT({ iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header } as never)
    .sign(key.privateKey);
}

/** Starts an issuer on 127.0.0.1 with one key of `alg`. */
export async function startTestIssuer(alg: TestAlg = "RS256", port = 0): Promise<TestIssuer> {
  const first = await makeKey(alg);
  // Assigned below, after `state`, which the request handler reads; `state.stop` closes it.
  // eslint-disable-next-line prefer-const
  let server: Server;
  const state: TestIssuer = {
    issuer: "",
    jwksUri: "",
    discoveryUrl: "",
    counts: { discovery: 0, jwks: 0 },
    keys: [first],
    current: first,
    mode: "ok",
    async sign(claims = {}, options = {}) {
      return signWith(
        options.key ?? state.current,
        { iss: state.issuer, aud: "api", sub: "alice", ...claims },
        options.header,
        options.now,
      );
    },
    async rotate(nextAlg = alg, keep = true) {
      const key = await makeKey(nextAlg);
      state.keys = keep ? [...state.keys, key] : [key];
      state.current = key;
      return key;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/.well-known/openid-configuration") {
      state.counts.discovery++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ issuer: state.issuer, jwks_uri: state.jwksUri, id_token_signing_alg_values_supported: [alg] }),
      );
      return;
    }
    if (path === "/jwks.json") {
      state.counts.jwks++;
      if (state.mode === "hang") return; // never answers
      if (state.mode === "500") {
        res.writeHead(500);
        res.end("down");
        return;
      }
      if (state.mode === "garbage") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>");
        return;
      }
      res.writeHead(200, {
        "content-type": "application/json",
        ...(state.cacheControl ? { "cache-control": state.cacheControl } : {}),
      });
      res.end(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  state.issuer = `http://127.0.0.1:${bound}`;
  state.jwksUri = `${state.issuer}/jwks.json`;
  state.discoveryUrl = `${state.issuer}/.well-known/openid-configuration`;
  return state;
}
