/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 for the end-to-end test: client credentials with
 * a resource indicator, RFC 9068 `at+jwt` access tokens, ES256 keys the test controls (for rotation),
 * restartable on the same port, and counts of discovery and JWKS requests.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { errors } from "oidc-provider";
import { exportJWK, generateKeyPair, type JWK } from "jose";

/** The resource indicator (RFC 8707): the access tokens' `aud`. */
export const RESOURCE = "https://orders.api.example/";
export const CLIENT_ID = "orders-service";
const CLIENT_SECRET = "orders-service-secret-0123456789abcdef";

/** A private ES256 JWK with its kid. */
export async function providerKey(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: "ES256", use: "sig" };
}

export interface RunningProvider {
  issuer: string;
  counts: { discovery: number; jwks: number };
  /** A client-credentials access token for `scope`, with the resource as audience. */
  accessToken(scope: string): Promise<string>;
  /** A real ID token from the provider (no `typ: at+jwt`), audience the client id. */
  idToken(sub: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the provider on 127.0.0.1:`port` (0 for any) signing with the first key of `keys`; its JWKS
 * publishes all of them. The counts object may be shared across restarts.
 */
export async function startProvider(
  keys: JWK[],
  port = 0,
  counts = { discovery: 0, jwks: 0 },
): Promise<RunningProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: "client_secret_post",
        id_token_signed_response_alg: "ES256",
      },
    ],
    jwks: { keys },
    ttl: { ClientCredentials: 600, IdToken: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: "orders:read orders:write",
            audience: RESOURCE,
            accessTokenFormat: "jwt",
            accessTokenTTL: 600,
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
    },
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/.well-known/openid-configuration") counts.discovery++;
    if (path === "/jwks") counts.jwks++;
    res.setHeader("connection", "close"); // no keep-alive: a restarted provider must not meet stale sockets
    callback(req, res);
  });
  return {
    issuer,
    counts,
    async accessToken(scope) {
      const res = await fetch(`${issuer}/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          scope,
          resource: RESOURCE,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!res.ok || !body.access_token) throw new Error(`token endpoint answered ${res.status} ${body.error ?? ""}`);
      return body.access_token;
    },
    async idToken(sub) {
      const client = await provider.Client.find(CLIENT_ID);
      const token = new provider.IdToken({ sub }, { client });
      token.scope = "openid";
      return token.issue({ use: "idtoken" }) as Promise<string>;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
