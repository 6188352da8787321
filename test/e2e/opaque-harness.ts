/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 issuing opaque access tokens (client
 * credentials with a resource indicator), with introspection and revocation enabled, a resource-server
 * client that introspects with `client_secret_basic`, and a count of introspection requests.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { errors } from "oidc-provider";
import { providerKey, RESOURCE } from "./oidc-harness.js";

export { RESOURCE };
const APP_ID = "orders-app";
const APP_SECRET = "orders-app-secret-0123456789abcdef";
/** The API's own client: it introspects. */
export const API_ID = "orders-api";
export const API_SECRET = "orders-api-secret-0123456789abcdef";

export interface OpaqueProvider {
  issuer: string;
  counts: { introspection: number };
  /** An opaque client-credentials access token for `scope`. */
  accessToken(scope: string): Promise<string>;
  /** Revokes `token` at the provider (RFC 7009). */
  revoke(token: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startOpaqueProvider(): Promise<OpaqueProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const noFlows = { grant_types: [], redirect_uris: [], response_types: [], id_token_signed_response_alg: "ES256" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: APP_ID,
        client_secret: APP_SECRET,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: "client_secret_post",
        id_token_signed_response_alg: "ES256",
      },
      { client_id: API_ID, client_secret: API_SECRET, ...noFlows, token_endpoint_auth_method: "client_secret_basic" },
    ],
    jwks: { keys: [await providerKey("opaque-provider-key")] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: "orders:read orders:write",
            audience: RESOURCE,
            accessTokenFormat: "opaque",
            accessTokenTTL: 600,
          };
        },
      },
    },
  });
  const counts = { introspection: 0 };
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if ((req.url ?? "").startsWith("/token/introspection")) counts.introspection++;
    res.setHeader("connection", "close");
    callback(req, res);
  });
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${issuer}${path}`, {
      method: "POST",
      body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, ...form }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    issuer,
    counts,
    async accessToken(scope) {
      const res = await post("/token", { grant_type: "client_credentials", scope, resource: RESOURCE });
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async revoke(token) {
      await post("/token/revocation", { token, token_type_hint: "access_token" });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
