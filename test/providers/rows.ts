/**
 * Each provider's documented verification steps as rows: the change to a token shaped as in
 * `fixtures.ts` that breaks one step, and the reason code it must get. The page each table comes from is
 * named in its title; `rows.test.ts` runs them.
 */
import * as F from "./fixtures.js";

export interface RowOptions {
  /** Header members to set (or replace) when signing. */
  header?: Record<string, unknown>;
  /** Sign with another key under the same kid, or HS512 with a secret (Keycloak refresh tokens). */
  key?: "other" | "hmac";
  /** Rewrites the compact token after signing. */
  mangle?: (token: string) => string;
  /** The request path (route rules apply). */
  path?: string;
}
/** [the documented step, claims to change (`undefined` removes), the expected code ("ok" passes), options]. */
export type Row = [string, Record<string, unknown>, string, RowOptions?];

export interface Provider {
  page: string;
  issuer: Record<string, unknown>;
  routes?: Record<string, unknown>[];
  /** Issuers whose discovery document and JWKS are served (JWKS at `<iss>/jwks`). */
  serves: string[];
  /** The JWKS URL the provider documents, served directly. */
  jwks?: string;
  /** A token header name instead of `Authorization: Bearer`. */
  tokenHeader?: string;
  claims: Record<string, unknown>;
  rows: Row[];
}

const AUTH0 = "tenant.eu.auth0.com";
const POOL = "eu-west-1_AbCdEf";
const COGNITO = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const OKTA = "https://acme.okta.com/oauth2/default";
export const KEYCLOAK = "https://sso.example.com/realms/acme";
export const CLERK = "https://clerk.app.example.com";
const TEAM = "https://acme.cloudflareaccess.com";
const AUD_TAG = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228";
const past = { exp: F.NOW - 600 };
const future = { nbf: F.NOW + 600 };

/** The rows every page has in some words: a well-formed JWS, a published `kid`, a signature by that key. */
const keyRows = (step: string): Row[] => [
  [`${step}: the token is three base64url segments`, {}, "token_malformed", { mangle: (t) => `${t}.x` }],
  [`${step}: kid names a published key`, {}, "kid_unknown", { header: { kid: "not-published" } }],
  [`${step}: the signature verifies with that key`, {}, "signature_invalid", { key: "other" }],
];

export const PROVIDERS: Record<string, Provider> = {
  "Auth0, Validate Access Tokens (auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens)": {
    page: "auth0",
    issuer: { preset: "auth0", domain: AUTH0, audience: "https://api.example.com" },
    routes: [
      { path: "/orders", scopes: ["read:orders"] },
      { path: "/admin", permissions: ["write:orders"] },
    ],
    serves: [],
    jwks: `https://${AUTH0}/.well-known/jwks.json`,
    claims: F.auth0Access(AUTH0),
    rows: [
      ...keyRows("standard JWT validation"),
      ["signature algorithm RS256 only", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
      ["exp not passed", past, "token_expired"],
      ["iss is https://<domain>/", { iss: "https://other.auth0.com/" }, "issuer_unknown"],
      ["aud holds the API identifier", { aud: "https://other.example.com" }, "audience_mismatch"],
      ["aud may also hold /userinfo", {}, "ok", { path: "/orders" }],
      ["scope holds the endpoint's permission", { scope: "openid profile" }, "insufficient_scope", { path: "/orders" }],
      [
        "RBAC permissions hold the endpoint's",
        { permissions: ["read:orders"] },
        "forbidden_claims",
        { path: "/admin" },
      ],
    ],
  },
  "Amazon Cognito, Verifying a JSON Web Token (docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html)":
    {
      page: "cognito",
      issuer: { preset: "cognito", region: "eu-west-1", userPoolId: POOL, audience: "3n4b5c6d7e8f9g0h1i2j3k4l5m" },
      serves: [],
      jwks: `${COGNITO}/.well-known/jwks.json`,
      claims: F.cognitoAccess(POOL),
      rows: [
        ...keyRows("steps 1 and 2: structure, kid in the pool's JWKS, signature"),
        ["step 3: RS256 signature", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
        ["step 4: exp not passed", past, "token_expired"],
        ["step 5: access token client_id is the app client", { client_id: "another" }, "audience_mismatch"],
        ["step 6: iss is the user pool", { iss: `${COGNITO}x` }, "issuer_unknown"],
        ["step 7: token_use is access", { token_use: "id" }, "claim_condition_failed"],
      ],
    },
  "Microsoft Entra ID, Access tokens, Validate tokens (learn.microsoft.com/entra/identity-platform/access-tokens)": {
    page: "entra",
    issuer: { preset: "entra", tenants: [F.TENANT], audience: "api://b2c3d4e5-0000-1111-2222-333344445555" },
    routes: [
      { path: "/orders", scopes: ["Orders.Read"] },
      { path: "/admin", roles: ["Orders.Admin"] },
    ],
    serves: [],
    jwks: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
    claims: F.entraV2(F.TENANT),
    rows: [
      ...keyRows("validate the signature (keys from the discovery document)"),
      ["RS256 signature", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
      [
        "iss names an allowed tenant",
        { iss: `https://login.microsoftonline.com/${F.OTHER_TENANT}/v2.0` },
        "issuer_unknown",
      ],
      ["tid equals the tenant in iss", { tid: F.OTHER_TENANT }, "claim_condition_failed"],
      ["aud is the API", { aud: "api://other" }, "audience_mismatch"],
      ["exp not passed", past, "token_expired"],
      ["nbf reached", future, "token_not_yet_valid"],
      ["ver is the configured token version", { ver: "1.0" }, "claim_condition_failed"],
      ["scp holds the delegated permission", { scp: "Orders.Write" }, "insufficient_scope", { path: "/orders" }],
      ["roles hold the application role", { roles: ["Orders.Reader"] }, "forbidden_claims", { path: "/admin" }],
    ],
  },
  "Google, Authenticate with a backend server, Verify the integrity of the ID token (developers.google.com/identity/sign-in/web/backend-auth)":
    {
      page: "google",
      issuer: { preset: "google", audience: "1234-abc.apps.googleusercontent.com", hostedDomain: "example.com" },
      serves: [],
      jwks: "https://www.googleapis.com/oauth2/v3/certs",
      claims: { ...F.googleId("https://accounts.google.com"), hd: "example.com" },
      rows: [
        ...keyRows("properly signed by Google, with its public keys"),
        ["signed by Google (RS256)", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
        ["aud is one of the app's client IDs", { aud: "5678-xyz.apps.googleusercontent.com" }, "audience_mismatch"],
        [
          "iss is accounts.google.com or https://accounts.google.com",
          { iss: "https://evil.example.com" },
          "issuer_unknown",
        ],
        ["iss may be the scheme-less accounts.google.com", { iss: "accounts.google.com" }, "ok"],
        ["exp not passed", past, "token_expired"],
        ["hd is the Workspace domain when one is required", { hd: "other.com" }, "claim_condition_failed"],
        ["hd present when a Workspace domain is required", { hd: undefined }, "claim_condition_failed"],
      ],
    },
  "Firebase, Verify ID tokens using a third-party JWT library (firebase.google.com/docs/auth/admin/verify-id-tokens)": {
    page: "firebase",
    issuer: { preset: "firebase", projectId: "my-app" },
    serves: [],
    jwks: "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
    claims: F.firebaseId("my-app"),
    rows: [
      ...keyRows("kid corresponds to a securetoken public key, signed by its private key"),
      ["alg is RS256", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
      ["exp in the future", past, "token_expired"],
      ["iat in the past", { iat: F.NOW + 600 }, "iat_in_future"],
      ["iat present", { iat: undefined }, "claim_missing"],
      ["aud is the project id", { aud: "other-app" }, "audience_mismatch"],
      [
        "iss is https://securetoken.google.com/<projectId>",
        { iss: "https://securetoken.google.com/other-app" },
        "issuer_unknown",
      ],
      ["sub present", { sub: undefined }, "claim_missing"],
      ["sub a non-empty string", { sub: "" }, "claim_condition_failed"],
      ["sub a string", { sub: 42 }, "claim_invalid"],
      ["auth_time present", { auth_time: undefined }, "claim_missing"],
      ["auth_time in the past", { auth_time: F.NOW + 600 }, "claim_condition_failed"],
      ["auth_time a NumericDate", { auth_time: "yesterday" }, "claim_condition_failed"],
    ],
  },
  "Okta, Validate access tokens (developer.okta.com/docs/guides/validate-access-tokens)": {
    page: "okta",
    issuer: { preset: "okta", issuer: OKTA, audience: "api://default", clientIds: ["0oa1client"] },
    routes: [{ path: "/orders", scopes: ["orders.read"] }],
    serves: [OKTA],
    claims: F.oktaAccess(OKTA),
    rows: [
      ...keyRows("verify the signature with the authorization server's keys"),
      ["RS256 signature", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
      ["iss is the authorization server", { iss: "https://acme.okta.com/oauth2/other" }, "issuer_unknown"],
      ["aud is the expected audience", { aud: "api://other" }, "audience_mismatch"],
      ["exp not passed", past, "token_expired"],
      ["cid is an allowed client", { cid: "0oa2other" }, "claim_condition_failed"],
      ["scp holds the expected scopes", { scp: ["openid"] }, "insufficient_scope", { path: "/orders" }],
    ],
  },
  "Keycloak, Securing applications with OpenID Connect (www.keycloak.org/securing-apps/oidc-layers) and Server Administration Guide, Audience support and Role mappings in the token (www.keycloak.org/docs/latest/server_admin)":
    {
      page: "keycloak",
      issuer: {
        preset: "keycloak",
        issuer: KEYCLOAK,
        audience: "orders-api",
        client: "orders-api",
        authorizedParties: ["web"],
      },
      routes: [
        { path: "/admin", roles: ["admin"] },
        { path: "/orders", roles: ["orders:write"] },
      ],
      serves: [],
      jwks: `${KEYCLOAK}/protocol/openid-connect/certs`,
      claims: F.keycloakAccess(KEYCLOAK),
      rows: [
        ...keyRows("validating access tokens: the realm's public key from the certificate endpoint, by kid"),
        ["iss is <server>/realms/<realm>", { iss: "https://sso.example.com/realms/other" }, "issuer_unknown"],
        ["aud holds the service's client id", { aud: "account" }, "audience_mismatch"],
        ["aud missing (no audience mapper) is refused", { aud: undefined }, "audience_mismatch"],
        ["exp not passed", past, "token_expired"],
        ["only access tokens: typ Bearer, not ID", { typ: "ID" }, "claim_condition_failed"],
        ["only access tokens: typ Bearer, not Refresh", { typ: "Refresh" }, "claim_condition_failed"],
        ["refresh tokens are HMAC-signed by the realm", { typ: "Refresh" }, "alg_not_allowed", { key: "hmac" }],
        ["azp, the client the token was issued to, is allowed", { azp: "other-app" }, "claim_condition_failed"],
        ["realm roles are read from realm_access.roles", {}, "ok", { path: "/admin" }],
        [
          "realm_access.roles without the role",
          { realm_access: { roles: [] } },
          "forbidden_claims",
          { path: "/admin" },
        ],
        ["client roles are read from resource_access.<client>.roles", {}, "ok", { path: "/orders" }],
        [
          "another client's roles do not count",
          { resource_access: { account: { roles: ["orders:write"] } } },
          "forbidden_claims",
          { path: "/orders" },
        ],
      ],
    },
  "Clerk, Manual JWT verification (clerk.com/docs/guides/sessions/manual-jwt-verification)": {
    page: "clerk",
    issuer: { preset: "clerk", issuer: CLERK, authorizedParties: ["https://app.example.com"] },
    serves: [],
    jwks: `${CLERK}/.well-known/jwks.json`,
    claims: F.clerkSession(CLERK, "https://app.example.com"),
    rows: [
      ...keyRows("verify the signature with the instance's public key (Frontend API JWKS)"),
      ["RS256 signature", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
      ["exp not passed", past, "token_expired"],
      ["nbf reached", future, "token_not_yet_valid"],
      ["nbf present", { nbf: undefined }, "claim_missing"],
      ["azp is a permitted origin", { azp: "https://evil.example.com" }, "claim_condition_failed"],
      // clerk.com/docs/guides/sessions/session-tokens: `sts` is the session status; pending means tasks left.
      ["the session is not pending", { sts: "pending" }, "claim_condition_failed"],
    ],
  },
  "Cloudflare Access, Validate JWTs (developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/)":
    {
      page: "cloudflare-access",
      issuer: { preset: "cloudflare-access", teamDomain: TEAM, audience: AUD_TAG },
      serves: [],
      jwks: `${TEAM}/cdn-cgi/access/certs`,
      tokenHeader: "cf-access-jwt-assertion",
      claims: { iss: TEAM, aud: [AUD_TAG], sub: "7335d417", iat: F.NOW - 60, exp: F.NOW + 3600, type: "app" },
      rows: [
        ...keyRows("the signature verifies with a key from <team domain>/cdn-cgi/access/certs"),
        ["RS256", {}, "alg_not_allowed", { header: { alg: "PS256" } }],
        ["aud holds the application's AUD tag", { aud: ["another-tag"] }, "audience_mismatch"],
        ["iss is the team domain", { iss: "https://other.cloudflareaccess.com" }, "issuer_unknown"],
        ["exp not passed", past, "token_expired"],
      ],
    },
};
