/**
 * Provider presets: named bundles of issuer settings for identity providers whose tokens need checks
 * the plain settings do not express. A preset fills only the fields the user did not set, and may
 * expand one entry into several issuers (Entra tenants, Google's two issuer spellings).
 * @module
 */
import { ConfigError } from "../errors.js";
import { list, str, type Raw } from "./readers.js";

type Preset = (raw: Raw, name: string) => Raw[];

const need = (raw: Raw, field: string, name: string): string => {
  const value = str(raw[field], `${name}.${field}`);
  if (!value) throw new ConfigError(`${name}.${field}`, `is required by the ${String(raw.preset)} preset`);
  return value;
};
const conditions = (raw: Raw, extra: Raw[]): Raw[] => [
  ...(Array.isArray(raw.claims) ? (raw.claims as Raw[]) : []),
  ...extra,
];
const GOOGLE_JWKS = "https://www.googleapis.com/oauth2/v3/certs";
const FIREBASE_JWKS = "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com";

const PRESETS: Record<string, Preset> = {
  /** Auth0: `https://<domain>/` issuer, RBAC `permissions`, namespaced custom claims via rolesClaim. */
  auth0: (raw, name) => [
    { permissionsClaim: "permissions", ...raw, issuer: raw.issuer ?? `https://${need(raw, "domain", name)}/` },
  ],

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
        rolesClaim: "cognito:groups",
        ...(tokenUse === "access" ? { audienceClaim: "client_id" } : {}),
        jwksUri: `${issuer}/.well-known/jwks.json`,
        ...raw,
        issuer,
        claims: conditions(raw, [{ claim: "token_use", equals: tokenUse }]),
      },
    ];
  },

  /**
   * Microsoft Entra ID: one issuer per allowed tenant, v2 (`login.microsoftonline.com/<tid>/v2.0`)
   * and/or v1 (`sts.windows.net/<tid>/`).
   */
  entra: (raw, name) => {
    const tenants = list(raw.tenants ?? raw.tenant, `${name}.tenants`) ?? [];
    if (tenants.length === 0)
      throw new ConfigError(`${name}.tenants`, "must list the allowed tenant ids (multi-tenant apps list each tenant)");
    const version = raw.version ?? "2.0";
    if (!["1.0", "2.0", "both"].includes(String(version)))
      throw new ConfigError(`${name}.version`, `must be "1.0", "2.0" or "both"`);
    const { tenants: _t, tenant: _s, version: _v, ...rest } = raw;
    return tenants.flatMap((tid) => {
      if (!/^[0-9a-f-]{36}$/i.test(tid))
        throw new ConfigError(`${name}.tenants`, `${JSON.stringify(tid)} is not a tenant id (GUID)`);
      const base = {
        scopesClaim: "scp",
        rolesClaim: "roles",
        ...rest,
        claims: conditions(raw, [{ claim: "tid", equals: tid }]),
      };
      const v2 = {
        ...base,
        issuer: `https://login.microsoftonline.com/${tid}/v2.0`,
        jwksUri: `https://login.microsoftonline.com/${tid}/discovery/v2.0/keys`,
      };
      const v1 = {
        ...base,
        issuer: `https://sts.windows.net/${tid}/`,
        jwksUri: `https://login.microsoftonline.com/${tid}/discovery/keys`,
      };
      return version === "both" ? [v2, v1] : version === "1.0" ? [v1] : [v2];
    });
  },

  /** Google: ID tokens come from `https://accounts.google.com` or the scheme-less `accounts.google.com`. */
  google: (raw) => [
    { jwksUri: GOOGLE_JWKS, ...raw, issuer: "https://accounts.google.com" },
    { jwksUri: GOOGLE_JWKS, ...raw, issuer: "accounts.google.com", bareIssuer: true },
  ],

  /** Firebase Auth: issuer and audience from the project id; `sub` must be present. */
  firebase: (raw, name) => {
    const project = need(raw, "projectId", name);
    return [
      {
        jwksUri: FIREBASE_JWKS,
        audience: [project],
        ...raw,
        issuer: `https://securetoken.google.com/${project}`,
        requiredClaims: ["sub"],
      },
    ];
  },

  /** Okta custom authorization servers: scopes in `scp`, groups in `groups`, optional client allow-list on `cid`. */
  okta: (raw, name) => {
    const clients = list(raw.clientIds, `${name}.clientIds`);
    const { clientIds: _c, ...rest } = raw;
    return [
      {
        scopesClaim: "scp",
        rolesClaim: "groups",
        ...rest,
        claims: conditions(raw, clients ? [{ claim: "cid", oneOf: clients }] : []),
      },
    ];
  },

  /** Keycloak: realm roles and client roles; only access tokens (`typ: Bearer` in the payload) pass. */
  keycloak: (raw) => {
    const client = typeof raw.client === "string" ? raw.client : undefined;
    const { client: _c, ...rest } = raw;
    return [
      {
        rolesClaim: ["realm_access.roles", ...(client ? [`resource_access.${client}.roles`] : [])],
        ...rest,
        claims: conditions(raw, [{ claim: "typ", equals: "Bearer" }]),
      },
    ];
  },

  /** Clerk: session tokens have no `aud`; `azp` must be one of the allowed origins. */
  clerk: (raw, name) => {
    const parties = list(raw.authorizedParties, `${name}.authorizedParties`) ?? [];
    if (parties.length === 0)
      throw new ConfigError(`${name}.authorizedParties`, "must list the origins allowed in azp");
    const { authorizedParties: _p, ...rest } = raw;
    return [{ audience: null, ...rest, claims: conditions(raw, [{ claim: "azp", oneOf: parties }]) }];
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
  return preset(raw, name);
}
