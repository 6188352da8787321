/**
 * A typed way to configure: `defineConfig({...})` takes the `JWT_CONFIG` schema as a TypeScript
 * object, applies the same defaults and the same validation as `configFromEnv`, and throws the same
 * `ConfigError`s, their `variable` naming the field (`config.issuers[0].audience`).
 * @module
 */
import type { AuthorizerConfig } from "./schema.js";
import { ConfigError } from "../errors.js";
import { configFromEnv } from "./from-env.js";

type Scalar = string | number | boolean;
/** A list means all of them; `{ any: [...] }` or `{ all: [...] }` says so explicitly. */
export type RequirementInput = string | string[] | { any: string[] } | { all: string[] };
export type ClaimConditionInput = { claim: string } & (
  | { equals: Scalar }
  | { contains: string }
  | { oneOf: Scalar[] }
  | { noneOf: Scalar[] }
  | { exists: boolean }
  | { nonEmpty: true }
  | { inPast: true }
  | { equalsParam: string }
  | { containsParam: string }
);
export type ConditionsInput = ClaimConditionInput[] | { any: ClaimConditionInput[] } | { all: ClaimConditionInput[] };

/** One trusted issuer (or a provider preset with its parameters). */
export interface IssuerInput {
  issuer?: string;
  /** Accepted audiences; `null` switches the check off. */
  audience?: string | string[] | null;
  audienceClaim?: string;
  jwksUri?: string;
  algorithms?: string[];
  typ?: string | string[];
  maxLifetime?: number;
  clockTolerance?: number;
  requiredClaims?: string[];
  claims?: ConditionsInput;
  rolesClaim?: string | string[];
  permissionsClaim?: string | string[];
  scopesClaim?: string | string[];
  /** RFC 7662 introspection of opaque tokens (README, "Opaque tokens"). */
  introspection?: {
    endpoint?: string;
    clientId: string;
    tokens?: "opaque" | "all";
    clientSecretVar?: string;
    cacheTtl?: number;
  };
  /** Inline public keys, no fetch (README, "Token sources and platform tokens"). */
  jwks?: { keys: Array<Record<string, unknown>> };
  /** With `{tenant}` in `issuer`: the allowed tenants, or `"*"` for any. */
  tenants?: string | string[];
  /** Where an issuer template's keys are discovered, e.g. `https://login.microsoftonline.com/common/v2.0`. */
  discovery?: string;
  preset?: string;
  /** Preset parameters (see the README, "Identity providers"). */
  [parameter: string]: unknown;
}

/** One route rule. */
export interface RouteInput {
  path: string;
  methods?: string[];
  access?: "public" | "optional" | "protected";
  scopes?: RequirementInput;
  roles?: RequirementInput;
  permissions?: RequirementInput;
  claims?: ConditionsInput;
}

/** The whole configuration, as `JWT_CONFIG` holds it (README, "JWT_CONFIG schema"). */
export interface ConfigInput {
  issuers: IssuerInput[];
  requiredScopes?: string[];
  maxTokenBytes?: number;
  tokenSources?: { cookie?: string; query?: string; header?: string };
  routes?: RouteInput[];
  defaultAccess?: "public" | "optional" | "protected";
  preflight?: "pass" | "authorize";
  reportOnly?: boolean;
  realm?: string;
  resource?: string | { id: string; metadataUrl?: string; scopesSupported?: string[]; documentation?: string };
  identity?: {
    claimHeaders?: Record<string, string>;
    stripAuthorization?: boolean;
    serverTiming?: boolean;
    assertion?: { issuer?: string; audience?: string; ttl?: number };
  };
  cache?: {
    jwks?: Partial<
      Record<
        | "defaultTtl"
        | "minTtl"
        | "maxTtl"
        | "cooldown"
        | "staleFor"
        | "staleWhileRevalidate"
        | "timeoutMs"
        | "maxBytes",
        number
      >
    >;
    tokens?: number;
  };
  revocation?: { url: string; ttl?: number; failMode?: "closed" | "open" };
  [field: string]: unknown;
}

/**
 * A validated configuration from a typed object. Secrets that are environment variables elsewhere
 * (`JWT_SECRET`, `JWT_ASSERTION_KEY`, `JWT_INTROSPECTION_SECRET`) go in `secrets`.
 *
 * @example
 * ```ts
 * const config = defineConfig({
 *   issuers: [{ issuer: "https://idp.example/", audience: "api" }],
 *   routes: [{ path: "/admin/*", roles: ["admin"] }],
 * });
 * const authorizer = createAuthorizer(config);
 * ```
 */
export function defineConfig(input: ConfigInput, secrets: Record<string, string> = {}): AuthorizerConfig {
  try {
    return configFromEnv({ ...secrets, JWT_CONFIG: input });
  } catch (e) {
    if (!(e instanceof ConfigError) || !e.variable.startsWith("JWT_CONFIG")) throw e;
    const variable = `config${e.variable.slice("JWT_CONFIG".length)}`;
    throw new ConfigError(variable, e.message.slice(e.variable.length + 2));
  }
}
