/**
 * Each provider's documented verification steps, one test per row, against tokens shaped as in
 * `fixtures.ts`. The page each table comes from is named in its `describe`.
 */
import { describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import * as F from "./fixtures.js";

const code = (d: Decision) => (d.ok ? "ok" : d.code);
type Row = [string, Record<string, unknown>, string, Record<string, unknown>?];

interface Provider {
  page: string;
  issuer: Record<string, unknown>;
  /** Issuers whose discovery document and JWKS are served (JWKS at `<iss>/jwks` unless `jwks` is given). */
  serves: string[];
  jwks?: string;
  claims: Record<string, unknown>;
  rows: Row[];
}

const AUTH0 = "tenant.eu.auth0.com";
const POOL = "eu-west-1_AbCdEf";
const COGNITO = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const OKTA = "https://acme.okta.com/oauth2/default";
const KEYCLOAK = "https://sso.example.com/realms/acme";
const CLERK = "https://clerk.app.example.com";
const past = { exp: F.NOW - 600 };
const future = { nbf: F.NOW + 600 };

const PROVIDERS: Record<string, Provider> = {
  "Auth0, Validate Access Tokens (auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens)": {
    page: "auth0",
    issuer: { preset: "auth0", domain: AUTH0, audience: "https://api.example.com" },
    serves: [`https://${AUTH0}/`],
    claims: F.auth0Access(AUTH0),
    rows: [
      ["signature algorithm RS256 only", {}, "alg_not_allowed", { alg: "PS256" }],
      ["exp not passed", past, "token_expired"],
      ["iss is https://<domain>/", { iss: "https://other.auth0.com/" }, "issuer_unknown"],
      ["aud holds the API identifier", { aud: "https://other.example.com" }, "audience_mismatch"],
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
        ["step 3: RS256 signature", {}, "alg_not_allowed", { alg: "PS256" }],
        ["step 4: exp not passed", past, "token_expired"],
        ["step 5: access token client_id is the app client", { client_id: "another" }, "audience_mismatch"],
        ["step 6: iss is the user pool", { iss: `${COGNITO}x` }, "issuer_unknown"],
        ["step 7: token_use is access", { token_use: "id" }, "claim_condition_failed"],
      ],
    },
  "Microsoft Entra ID, Access tokens, Validate tokens (learn.microsoft.com/entra/identity-platform/access-tokens)": {
    page: "entra",
    issuer: { preset: "entra", tenants: [F.TENANT], audience: "api://b2c3d4e5-0000-1111-2222-333344445555" },
    serves: [],
    jwks: "https://login.microsoftonline.com/common/discovery/v2.0/keys",
    claims: F.entraV2(F.TENANT),
    rows: [
      ["RS256 signature", {}, "alg_not_allowed", { alg: "PS256" }],
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
        ["signed by Google (RS256)", {}, "alg_not_allowed", { alg: "PS256" }],
        ["aud is one of the app's client IDs", { aud: "5678-xyz.apps.googleusercontent.com" }, "audience_mismatch"],
        [
          "iss is accounts.google.com or https://accounts.google.com",
          { iss: "https://evil.example.com" },
          "issuer_unknown",
        ],
        ["exp not passed", past, "token_expired"],
        ["hd is the Workspace domain when one is required", { hd: "other.com" }, "claim_condition_failed"],
      ],
    },
  "Firebase, Verify ID tokens using a third-party JWT library (firebase.google.com/docs/auth/admin/verify-id-tokens)": {
    page: "firebase",
    issuer: { preset: "firebase", projectId: "my-app" },
    serves: [],
    jwks: "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
    claims: F.firebaseId("my-app"),
    rows: [
      ["alg is RS256", {}, "alg_not_allowed", { alg: "PS256" }],
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
      ["auth_time present", { auth_time: undefined }, "claim_missing"],
    ],
  },
  "Okta, Validate access tokens (developer.okta.com/docs/guides/validate-access-tokens)": {
    page: "okta",
    issuer: { preset: "okta", issuer: OKTA, audience: "api://default", clientIds: ["0oa1client"] },
    serves: [OKTA],
    claims: F.oktaAccess(OKTA),
    rows: [
      ["RS256 signature", {}, "alg_not_allowed", { alg: "PS256" }],
      ["iss is the authorization server", { iss: "https://acme.okta.com/oauth2/other" }, "issuer_unknown"],
      ["aud is the expected audience", { aud: "api://other" }, "audience_mismatch"],
      ["exp not passed", past, "token_expired"],
      ["cid is an allowed client", { cid: "0oa2other" }, "claim_condition_failed"],
    ],
  },
  "Keycloak, Securing applications: validating access tokens (www.keycloak.org/securing-apps/oidc-layers)": {
    page: "keycloak",
    issuer: { preset: "keycloak", issuer: KEYCLOAK, audience: "orders-api" },
    serves: [KEYCLOAK],
    claims: F.keycloakAccess(KEYCLOAK),
    rows: [
      ["iss is the realm", { iss: "https://sso.example.com/realms/other" }, "issuer_unknown"],
      ["aud holds the client", { aud: "account" }, "audience_mismatch"],
      ["exp not passed", past, "token_expired"],
      ["only access tokens (typ Bearer)", { typ: "ID" }, "claim_condition_failed"],
    ],
  },
  "Clerk, Manual JWT verification (clerk.com/docs/backend-requests/manual-jwt)": {
    page: "clerk",
    issuer: { preset: "clerk", issuer: CLERK, authorizedParties: ["https://app.example.com"] },
    serves: [CLERK],
    claims: F.clerkSession(CLERK, "https://app.example.com"),
    rows: [
      ["RS256 signature", {}, "alg_not_allowed", { alg: "PS256" }],
      ["exp not passed", past, "token_expired"],
      ["nbf reached", future, "token_not_yet_valid"],
      ["nbf present", { nbf: undefined }, "claim_missing"],
      ["azp is a permitted origin", { azp: "https://evil.example.com" }, "claim_condition_failed"],
    ],
  },
};

/** One RSA key for every row: key generation is the slow part, and each row builds its own authorizer. */
const sharedKey = F.rsaKey("row-kid");

async function setup(p: Provider) {
  const key = await sharedKey;
  const routes: Record<string, unknown> = p.jwks ? { [p.jwks]: { keys: [key.jwk] } } : {};
  for (const iss of p.serves) {
    const base = iss.replace(/\/$/, "");
    routes[`${base}/.well-known/openid-configuration`] = { issuer: iss, jwks_uri: `${base}/jwks` };
    routes[`${base}/jwks`] = { keys: [key.jwk] };
  }
  if (p.page === "entra")
    routes["https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"] = {
      issuer: "https://login.microsoftonline.com/{tenantid}/v2.0",
      jwks_uri: p.jwks,
    };
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers: [p.issuer] }) }), {
    fetch: F.servingFetch(routes),
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
  return { key, authorizer };
}

/** Signs with the given header `alg`; PS256 with a PS256 key of the same kid, so only the alg decides. */
async function sign(key: F.ProviderKeys, claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  if (header.alg === "PS256") {
    const { privateKey } = await generateKeyPair("PS256");
    return new SignJWT(claims).setProtectedHeader({ alg: "PS256", kid: key.jwk.kid! }).sign(privateKey);
  }
  return F.mint(key, claims, header);
}

for (const [title, p] of Object.entries(PROVIDERS)) {
  describe(title, () => {
    it("the documented token passes every row", async () => {
      const { key, authorizer } = await setup(p);
      const token = await sign(key, p.claims);
      const d = await authorizer.authorize(
        new Request("https://api.example.com/", { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(code(d)).toBe("ok");
    });
    it.each(p.rows)("row: %s", async (_row, change, expected, header) => {
      const { key, authorizer } = await setup(p);
      const claims = Object.fromEntries(Object.entries({ ...p.claims, ...change }).filter(([, v]) => v !== undefined));
      const token = await sign(key, claims, header);
      const d = await authorizer.authorize(
        new Request("https://api.example.com/", { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(code(d)).toBe(expected);
    });
  });
}

describe("Clerk, Manual JWT verification: same-origin requests carry the token in the __session cookie", () => {
  it("reads __session", async () => {
    const p = PROVIDERS["Clerk, Manual JWT verification (clerk.com/docs/backend-requests/manual-jwt)"]!;
    const { key, authorizer } = await setup(p);
    const token = await sign(key, p.claims);
    const d = await authorizer.authorize(
      new Request("https://app.example.com/", { headers: { cookie: `__session=${token}; __client_uat=1` } }),
    );
    expect(code(d)).toBe("ok");
  });
});
