/**
 * Provider presets: named bundles of issuer settings for identity providers whose tokens need checks
 * the plain settings do not express. A preset fills only the fields the user did not set, and may
 * expand one entry into several issuers (Entra tenants, Google's two issuer spellings).
 * @module
 */
import { ConfigError } from "../errors.js";
import { list, str, type Raw } from "../config/readers.js";
import { awsAlb, cloudflareAccess } from "./platforms.js";

type Preset = (raw: Raw, name: string) => Raw[];

const need = (raw: Raw, field: string, name: string): string => {
  const value = str(raw[field], `${name}.${field}`);
  if (!value) throw new ConfigError(`${name}.${field}`, `is required by the ${String(raw.preset)} preset`);
  return value;
};
const GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
const FIREBASE_JWKS = "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com";

const PRESETS: Record<string, Preset> = {
  "cloudflare-access": cloudflareAccess,
  "aws-alb": awsAlb,

  /**
   * Auth0 ("Validate Access Tokens", auth0.com/docs/secure/tokens/access-tokens/validate-access-tokens):
   * `https://<domain>/` issuer, keys from `https://<domain>/.well-known/jwks.json`, RBAC `permissions`,
   * namespaced custom claims via rolesClaim.
   */
  auth0: (raw, name) => {
    const domain = raw.issuer === undefined ? need(raw, "domain", name) : undefined;
    return [
      {
        algorithms: ["RS256"],
        permissionsClaim: "permissions",
        ...(domain ? { jwksUri: `https://${domain}/.well-known/jwks.json` } : {}),
        ...raw,
        issuer: raw.issuer ?? `https://${domain}/`,
      },
    ];
  },

  /** Amazon Cognito: access tokens carry `client_id` (no `aud`) and `token_use: access`; ID tokens must not pass. */
  cognito: (raw, name) => {
    const issuer =
      (raw.issuer as string | undefined) ??
      `https://cognito-idp.${need(raw, "region", name)}.amazonaws.com/${need(raw, "userPoolId", name)}`;
    const tokenUse = raw.tokenUse ?? "access";
    if (tokenUse !== "access" && tokenUse !== "id")
      throw new ConfigError(`${name}.tokenUse`, `must be "access" or "id"`);
    return [
      {
        algorithms: ["RS256"],
        rolesClaim: "cognito:groups",
        ...(tokenUse === "access" ? { audienceClaim: "client_id" } : {}),
        jwksUri: `${issuer}/.well-known/jwks.json`,
        ...raw,
        issuer,
        presetClaims: [{ claim: "token_use", equals: tokenUse }],
      },
    ];
  },

  /**
   * Microsoft Entra ID ("Access tokens", learn.microsoft.com/entra/identity-platform/access-tokens, "Validate
   * tokens"): RS256 keys from the common discovery document, `iss` naming the token's own `tid`, an allowed
   * tenant (or any, `"*"`), `aud`, `exp`/`nbf`, and the token version `ver`. One template entry per version.
   */
  entra: (raw, name) => {
    const any = raw.tenants === "*" || raw.tenant === "*";
    const tenants = any ? "*" : (list(raw.tenants ?? raw.tenant, `${name}.tenants`) ?? []);
    if (tenants.length === 0)
      throw new ConfigError(`${name}.tenants`, 'must list the allowed tenant ids, or be "*" for any tenant');
    if (tenants !== "*")
      for (const tid of tenants)
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tid))
          throw new ConfigError(`${name}.tenants`, `${JSON.stringify(tid)} is not a tenant id (GUID)`);
    const version = raw.version ?? "2.0";
    if (!["1.0", "2.0", "both"].includes(String(version)))
      throw new ConfigError(`${name}.version`, `must be "1.0", "2.0" or "both"`);
    const { tenant: _s, version: _v, ...rest } = raw;
    const base = { algorithms: ["RS256"], scopesClaim: "scp", rolesClaim: "roles", ...rest, tenants };
    const v2 = {
      ...base,
      issuer: "https://login.microsoftonline.com/{tenant}/v2.0",
      discovery: "https://login.microsoftonline.com/common/v2.0",
      presetClaims: [{ claim: "ver", equals: "2.0" }],
    };
    const v1 = {
      ...base,
      issuer: "https://sts.windows.net/{tenant}/",
      jwksUri: "https://login.microsoftonline.com/common/discovery/keys",
      presetClaims: [{ claim: "ver", equals: "1.0" }],
    };
    return version === "both" ? [v2, v1] : version === "1.0" ? [v1] : [v2];
  },

  /** Google: ID tokens come from `https://accounts.google.com` or the scheme-less `accounts.google.com`. */
  google: (raw, name) => {
    const domain = str(raw.hostedDomain, `${name}.hostedDomain`);
    const { hostedDomain: _h, ...rest } = raw;
    const base = {
      algorithms: ["RS256"],
      jwksUri: GOOGLE_JWKS,
      ...rest,
      presetClaims: domain ? [{ claim: "hd", equals: domain }] : [],
    };
    return [
      { ...base, issuer: "https://accounts.google.com" },
      { ...base, issuer: "accounts.google.com", bareIssuer: true },
    ];
  },

  /**
   * Firebase Auth ("Verify ID tokens using a third-party JWT library", firebase.google.com/docs/auth/admin/
   * verify-id-tokens): RS256, `iss` and `aud` from the project id, `exp` future, `iat` past, `sub` a
   * non-empty string, `auth_time` past.
   */
  firebase: (raw, name) => {
    const project = need(raw, "projectId", name);
    return [
      {
        algorithms: ["RS256"],
        jwksUri: FIREBASE_JWKS,
        audience: [project],
        ...raw,
        issuer: `https://securetoken.google.com/${project}`,
        requiredClaims: ["sub", "iat", "auth_time"],
        presetClaims: [
          { claim: "sub", nonEmpty: true },
          { claim: "auth_time", inPast: true },
        ],
      },
    ];
  },

  /** Okta custom authorization servers: scopes in `scp`, groups in `groups`, optional client allow-list on `cid`. */
  okta: (raw, name) => {
    const clients = list(raw.clientIds, `${name}.clientIds`);
    const { clientIds: _c, ...rest } = raw;
    return [
      {
        algorithms: ["RS256"],
        scopesClaim: "scp",
        rolesClaim: "groups",
        ...rest,
        presetClaims: clients ? [{ claim: "cid", oneOf: clients }] : [],
      },
    ];
  },

  /**
   * Keycloak ("Securing applications with OpenID Connect", www.keycloak.org/securing-apps/oidc-layers:
   * certificate endpoint, validating access tokens; Server Administration Guide: audience support, role
   * mappings in the token): `iss` is `<server>/realms/<realm>`, keys from its `/protocol/openid-connect/certs`,
   * `aud` must hold the service (Keycloak adds it only through an audience mapper), payload `typ: Bearer`
   * (ID and refresh tokens refused), `azp` one of `authorizedParties` when given; realm and client roles.
   */
  keycloak: (raw, name) => {
    const issuer = need(raw, "issuer", name);
    if (!/^https?:\/\/[^/]+(\/[^/]+)*\/realms\/[^/]+$/.test(issuer))
      throw new ConfigError(`${name}.issuer`, "must be the realm URL <server>/realms/<realm>, without a trailing /");
    const client = str(raw.client, `${name}.client`);
    const parties = list(raw.authorizedParties, `${name}.authorizedParties`);
    const { client: _c, authorizedParties: _p, ...rest } = raw;
    return [
      {
        rolesClaim: ["realm_access.roles", ...(client ? [`resource_access.${client}.roles`] : [])],
        jwksUri: `${issuer}/protocol/openid-connect/certs`,
        ...rest,
        presetClaims: [{ claim: "typ", equals: "Bearer" }, ...(parties ? [{ claim: "azp", oneOf: parties }] : [])],
      },
    ];
  },

  /**
   * Clerk ("Manual JWT verification", clerk.com/docs/guides/sessions/manual-jwt-verification): keys from
   * `<Frontend API>/.well-known/jwks.json`, `exp` and `nbf`, `azp` one of the permitted origins (required
   * here), a session not pending (`sts`); session tokens have no `aud`.
   */
  clerk: (raw, name) => {
    const parties = list(raw.authorizedParties, `${name}.authorizedParties`) ?? [];
    if (parties.length === 0)
      throw new ConfigError(`${name}.authorizedParties`, "must list the origins allowed in azp");
    const { authorizedParties: _p, ...rest } = raw;
    const issuer = need(raw, "issuer", name).replace(/\/+$/, "");
    return [
      {
        algorithms: ["RS256"],
        audience: null,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        ...rest,
        requiredClaims: ["sub", "nbf"],
        // A pending session (`sts: "pending"`, tasks left) counts as signed out, as Clerk's SDKs treat it.
        presetClaims: [
          { claim: "azp", oneOf: parties },
          { claim: "sts", noneOf: ["pending"] },
        ],
      },
    ];
  },
};

/** The names of the known presets. */
const PRESET_NAMES = Object.keys(PRESETS);

/** Expands `raw.preset`, if any, into one or more issuer entries. Unknown presets are a configuration error. */
export function applyPreset(raw: Raw, name: string): Raw[] {
  if (raw.preset === undefined) return [raw];
  const preset = typeof raw.preset === "string" ? PRESETS[raw.preset] : undefined;
  if (!preset)
    throw new ConfigError(
      `${name}.preset`,
      `unknown preset ${JSON.stringify(raw.preset)} (known: ${PRESET_NAMES.join(", ")})`,
    );
  // The preset's own conditions (`presetClaims`) always hold; the user's `claims` keep their own form (a
  // list, or `{ "any": [...] }` / `{ "all": [...] }`) next to them, never merged into the preset's.
  const { claims, ...rest } = raw;
  return preset(rest, name).map((out) => ({ ...out, claims }));
}
