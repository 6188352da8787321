/**
 * The development issuer on 127.0.0.1: keys generated on first start and kept in the git-ignored
 * `infra/local/.keys/`, an OIDC discovery document, the JWKS, and `POST /token` to mint tokens.
 * For local development and tests only: it signs whatever it is asked to.
 * @module
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSigningKey, publicJwks, readPrivateKey, type PrivateJwk } from "../../adapters/cli/keys.js";
import { mint } from "../../adapters/cli/mint.js";
import { listen, PORTS } from "./ports.js";

/** Where the issuer keeps its key unless told otherwise. */
export const DEFAULT_KEYS_DIR = join(dirname(fileURLToPath(import.meta.url)), ".keys");
/** The audience of minted tokens unless the request names one. */
export const DEV_AUDIENCE = "api";
const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_LIFETIME = 3600;

/** What `POST /token` accepts (JSON). Any other member becomes a claim. */
export interface TokenRequest {
  sub?: string;
  scope?: string;
  roles?: string[];
  permissions?: string[];
  aud?: string | string[];
  /** Lifetime in seconds (negative for an expired token). */
  expires_in?: number;
  typ?: string;
  /** RFC 9449 `dpop_jkt`: the thumbprint of the client's DPoP key; the token is bound to it (`cnf.jkt`). */
  dpop_jkt?: string;
  [claim: string]: unknown;
}

/** A running development issuer. */
export interface DevIssuer {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens. */
  url: string;
  jwksUri: string;
  key: PrivateJwk;
  /** Mints a token as `POST /token` would. */
  mint(request?: TokenRequest): Promise<string>;
  stop(): Promise<void>;
}

/** Loads the key from `keysDir/private.jwk.json`, generating and saving one (ES256) on first start. */
export async function loadOrCreateKey(keysDir = DEFAULT_KEYS_DIR): Promise<PrivateJwk> {
  const file = join(keysDir, "private.jwk.json");
  if (existsSync(file)) return readPrivateKey(file);
  const key = await generateSigningKey("ES256", `dev-${Date.now().toString(36)}`);
  mkdirSync(keysDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(join(keysDir, "jwks.json"), `${JSON.stringify(publicJwks([key]), null, 2)}\n`);
  return key;
}

/**
 * Starts the issuer on 127.0.0.1:`port` (0 for any free port).
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer({ port: 0 });
 * const token = await issuer.mint({ sub: "alice", scope: "read" });
 * ```
 */
export async function startDevIssuer(options: { port?: number; keysDir?: string } = {}): Promise<DevIssuer> {
  const key = await loadOrCreateKey(options.keysDir);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: "server_error" }));
  });
  const issuer: DevIssuer = {
    url: "",
    jwksUri: "",
    key,
    mint: (request = {}) => mintFor(issuer.url, key, request),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/.well-known/openid-configuration") {
      send(res, 200, {
        issuer: issuer.url,
        jwks_uri: issuer.jwksUri,
        token_endpoint: `${issuer.url}/token`,
        grant_types_supported: ["client_credentials"],
        response_types_supported: ["token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: [key.alg],
        token_endpoint_auth_methods_supported: ["none"],
      });
    } else if (req.method === "GET" && path === "/jwks.json") {
      send(res, 200, publicJwks([key]), { "cache-control": "public, max-age=300" });
    } else if (req.method === "POST" && path === "/token") {
      const body = await readJson(req);
      if (body === undefined)
        return send(res, 400, {
          error: "invalid_request",
          error_description: 'send a JSON object, e.g. {"sub":"alice","scope":"read"}',
        });
      const expiresIn = typeof body.expires_in === "number" ? body.expires_in : DEFAULT_LIFETIME;
      const tokenType = typeof body.dpop_jkt === "string" ? "DPoP" : "Bearer";
      send(res, 200, { access_token: await issuer.mint(body), token_type: tokenType, expires_in: expiresIn });
    } else {
      send(res, 404, {
        error: "not_found",
        endpoints: ["GET /.well-known/openid-configuration", "GET /jwks.json", "POST /token"],
      });
    }
  }
  await listen(server, options.port ?? PORTS.issuer.fallback, PORTS.issuer);
  issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.jwksUri = `${issuer.url}/jwks.json`;
  return issuer;
}

function mintFor(iss: string, key: PrivateJwk, request: TokenRequest): Promise<string> {
  const { sub, scope, roles, permissions, aud, expires_in, typ, dpop_jkt, ...claims } = request;
  if (typeof dpop_jkt === "string") claims.cnf = { jkt: dpop_jkt };
  return mint({
    key,
    iss,
    sub: typeof sub === "string" ? sub : "dev-user",
    aud: aud ?? DEV_AUDIENCE,
    expiresIn: typeof expires_in === "number" ? expires_in : DEFAULT_LIFETIME,
    ...(typeof scope === "string" ? { scope } : {}),
    ...(Array.isArray(roles) ? { roles } : {}),
    ...(Array.isArray(permissions) ? { permissions } : {}),
    ...(typeof typ === "string" ? { typ } : {}),
    claims: { ...claims, iss },
  });
}

async function readJson(req: IncomingMessage): Promise<TokenRequest | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as TokenRequest) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}
