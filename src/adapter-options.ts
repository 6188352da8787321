/**
 * The one rule every adapter uses to turn its options into an authorizer: at most one of
 * `authorizer`, `config` or `env`; `deps` for the authorizer it creates; created once and reused.
 * @module
 */
import { createAuthorizer, type Authorizer } from "./authorizer.js";
import { configFromEnv } from "./config/from-env.js";
import type { AuthorizerConfig } from "./config/schema.js";
import type { Deps } from "./deps.js";

/** An environment record: a Worker `env`, the Node process environment, or any object of `JWT_*` variables. */
export type EnvRecord = Record<string, unknown>;

/** Where an adapter's authorizer comes from. Give at most one of `authorizer`, `config`, `env`. */
export interface AuthorizerOptions {
  /**
   * An authorizer you created, or a function that returns one for the platform's environment (it must
   * return the same authorizer every time: create it once and memoize it).
   */
  authorizer?: Authorizer | ((env: EnvRecord) => Authorizer);
  /** A configuration: the authorizer is created now. */
  config?: AuthorizerConfig;
  /** Environment variables, read with `configFromEnv` now. */
  env?: EnvRecord;
  /** Injected IO for the authorizer created from `config` or `env` (fetch, clock, key store, logger). */
  deps?: Deps;
}

/**
 * Returns `(env) => authorizer` for an adapter: eager (and so validated now, throwing a `ConfigError`
 * naming the variable) when the options give an authorizer, a config or an env; otherwise created
 * once, from the first `env` the platform hands over (Workers, where bindings exist per request).
 * `defaults` are deps the adapter adds for its platform (the caller's `deps` win).
 *
 * @example
 * ```ts
 * const authorizerFor = authorizerSource(options, "jwtAuthorizer");
 * const decision = await authorizerFor(c.env).authorize(c.req.raw);
 * ```
 */
export function authorizerSource(
  options: AuthorizerOptions,
  adapter: string,
  defaults: (env: EnvRecord, config: AuthorizerConfig) => Deps = () => ({}),
): (env?: EnvRecord) => Authorizer {
  const given = [options.authorizer, options.config, options.env].filter((o) => o !== undefined).length;
  if (given > 1) throw new TypeError(`${adapter}: give only one of \`authorizer\`, \`config\` or \`env\``);
  const create = (env: EnvRecord, config: AuthorizerConfig) =>
    createAuthorizer(config, { ...defaults(env, config), ...options.deps });
  const { authorizer } = options;
  if (typeof authorizer === "function") return (env = {}) => authorizer(env);
  if (authorizer) return () => authorizer;
  if (options.config || options.env) {
    const env = options.env ?? {};
    const created = create(env, options.config ?? configFromEnv(env));
    return () => created;
  }
  let lazy: Authorizer | undefined;
  return (env = {}) => (lazy ??= create(env, configFromEnv(env)));
}
