/**
 * Provider fixtures: the header and claims each provider puts in its tokens (shapes as documented and
 * as seen in real tokens; identifiers replaced), re-signed with test keys, and an in-memory fetch that
 * serves each provider's discovery document and JWKS at its real URL, so no test touches the network.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from "jose";

export const NOW = 1_800_000_000;
export const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const OTHER_TENANT = "11111111-2222-3333-4444-555555555555";

export interface ProviderKeys {
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function rsaKey(kid: string): Promise<ProviderKeys> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

/** Signs claims with a header as the provider would write it. */
export function mint(
  key: ProviderKeys,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: key.jwk.kid!, ...header } as never)
    .sign(key.privateKey);
}

/** A fetch that answers the given URLs with JSON and records every URL asked for. */
export function servingFetch(routes: Record<string, unknown>): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const f = (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    urls.push(url);
    if (!(url in routes)) return new Response("not found", { status: 404 });
    return new Response(JSON.stringify(routes[url]), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch & { urls: string[] };
  f.urls = urls;
  return f;
}

const times = { iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3540 };

/** Auth0 access token for an API with RBAC: two audiences, `permissions`, a namespaced roles claim. */
export const auth0Access = (domain: string) => ({
  iss: `https://${domain}/`,
  sub: "auth0|64f1c0ffee",
  aud: ["https://api.example.com", `https://${domain}/userinfo`],
  ...times,
  azp: "xk3d9Zl1Kq0",
  scope: "openid profile read:orders",
  permissions: ["read:orders", "write:orders"],
  "https://example.com/roles": ["admin"],
});

/** Cognito access token: no `aud`, `client_id`, `token_use: access`, `cognito:groups`. */
export const cognitoAccess = (pool: string) => ({
  sub: "5f1c2a3b-aaaa-bbbb-cccc-1234567890ab",
  "cognito:groups": ["admins"],
  iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`,
  version: 2,
  client_id: "3n4b5c6d7e8f9g0h1i2j3k4l5m",
  origin_jti: "b1",
  event_id: "e1",
  token_use: "access",
  scope: "orders/read",
  auth_time: NOW - 60,
  ...times,
  jti: "j1",
  username: "alice",
});

/** Cognito ID token: `aud` is the client id, `token_use: id`. */
export const cognitoId = (pool: string) => ({
  sub: "5f1c2a3b-aaaa-bbbb-cccc-1234567890ab",
  aud: "3n4b5c6d7e8f9g0h1i2j3k4l5m",
  "cognito:groups": ["admins"],
  email_verified: true,
  token_use: "id",
  auth_time: NOW - 60,
  iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`,
  "cognito:username": "alice",
  ...times,
  email: "alice@example.com",
});

/** Entra ID v2 access token (`ver: 2.0`), `scp` string and app `roles`. */
export const entraV2 = (tid: string) => ({
  aud: "api://b2c3d4e5-0000-1111-2222-333344445555",
  iss: `https://login.microsoftonline.com/${tid}/v2.0`,
  ...times,
  azp: "c3d4e5f6-0000-1111-2222-333344445555",
  azpacr: "0",
  name: "Alice",
  oid: "9f8e7d6c-0000-1111-2222-333344445555",
  roles: ["Orders.Admin"],
  scp: "Orders.Read Orders.Write",
  sub: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
  tid,
  uti: "u1",
  ver: "2.0",
});

/** Entra ID v1 access token (`ver: 1.0`, `sts.windows.net` issuer). */
export const entraV1 = (tid: string) => ({
  aud: "api://b2c3d4e5-0000-1111-2222-333344445555",
  iss: `https://sts.windows.net/${tid}/`,
  ...times,
  appid: "c3d4e5f6-0000-1111-2222-333344445555",
  scp: "Orders.Read",
  tid,
  ver: "1.0",
  sub: "v1-subject",
  oid: "9f8e7d6c-0000-1111-2222-333344445555",
});

/** Google ID token. */
export const googleId = (iss: string) => ({
  iss,
  azp: "1234-abc.apps.googleusercontent.com",
  aud: "1234-abc.apps.googleusercontent.com",
  sub: "110169484474386276334",
  email: "alice@example.com",
  email_verified: true,
  ...times,
});

/** Firebase Auth ID token. */
export const firebaseId = (project: string) => ({
  iss: `https://securetoken.google.com/${project}`,
  aud: project,
  auth_time: NOW - 60,
  user_id: "u1",
  sub: "u1",
  ...times,
  email: "alice@example.com",
  firebase: { identities: { email: ["alice@example.com"] }, sign_in_provider: "password" },
});

/** Okta custom authorization server access token: `scp` array, `cid`, `uid`, `groups`. */
export const oktaAccess = (issuer: string) => ({
  ver: 1,
  jti: "AT.x",
  iss: issuer,
  aud: "api://default",
  ...times,
  cid: "0oa1client",
  uid: "00u1user",
  scp: ["orders.read", "openid"],
  auth_time: NOW - 60,
  sub: "alice@example.com",
  groups: ["Everyone", "Admins"],
});

/** Keycloak access token: `realm_access.roles`, `resource_access.<client>.roles`, payload `typ: Bearer`. */
export const keycloakAccess = (issuer: string) => ({
  ...times,
  jti: "k1",
  iss: issuer,
  aud: ["orders-api", "account"],
  sub: "f:1:alice",
  typ: "Bearer",
  azp: "web",
  realm_access: { roles: ["offline_access", "admin"] },
  resource_access: { "orders-api": { roles: ["orders:write"] } },
  scope: "openid email",
  preferred_username: "alice",
});

/** Clerk session token: no `aud`, `azp` is the calling origin. */
export const clerkSession = (issuer: string, azp: string) => ({
  azp,
  ...times,
  iss: issuer,
  sid: "sess_2abc",
  sub: "user_2abc",
  v: 2,
  fva: [0, -1],
});
