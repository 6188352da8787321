/**
 * The `routes` part of `JWT_CONFIG`: rule syntax, requirements (any/all) and claim conditions.
 * @module
 */
import { HTTP_METHODS, type ClaimCondition, type Match, type Requirement, type RouteRule } from "./schema.js";
import { ConfigError } from "../errors.js";
import { isObject, list, oneOf } from "./readers.js";

const RULE_KEYS = ["path", "methods", "method", "access", "scopes", "roles", "permissions", "claims"];

/**
 * A requirement: `["a","b"]` (all of them), `"a b"` (all), `{ "any": [...] }` or `{ "all": [...] }`.
 */
export function parseRequirement(value: unknown, name: string): Requirement | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || (keys[0] !== "any" && keys[0] !== "all"))
      throw new ConfigError(name, `must be a list, or an object with exactly one of "any" or "all"`);
    const match = keys[0] as Match;
    const values = list(value[match], `${name}.${match}`, true) ?? [];
    if (values.length === 0) throw new ConfigError(`${name}.${match}`, "must not be empty");
    return { values, match };
  }
  const values = list(value, name, true) ?? [];
  if (values.length === 0) throw new ConfigError(name, "must not be empty");
  return { values, match: "all" };
}

/** Claim conditions: a list (all must hold) or `{ "any": [...] }` / `{ "all": [...] }`. */
export function parseConditions(
  value: unknown,
  name: string,
  fallback: Match,
  params: string[] | null = null,
): { conditions: ClaimCondition[]; match: Match } {
  if (value === undefined || value === null) return { conditions: [], match: fallback };
  let match = fallback;
  let items: unknown = value;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1 || (keys[0] !== "any" && keys[0] !== "all"))
      throw new ConfigError(name, `must be a list of conditions, or { "any": [...] } / { "all": [...] }`);
    match = keys[0] as Match;
    items = value[match];
  }
  if (!Array.isArray(items)) throw new ConfigError(name, "must be a list of conditions");
  const conditions = items.map((c, i) => condition(c, `${name}[${i}]`, params));
  return { conditions, match };
}

const OPERATORS = "equals contains oneOf noneOf exists nonEmpty inPast equalsParam containsParam".split(" ");

/** One condition; `params` are the rule path's `:param` names (`null`: not a route rule). */
function condition(value: unknown, name: string, params: string[] | null): ClaimCondition {
  if (!isObject(value) || typeof value.claim !== "string" || value.claim === "")
    throw new ConfigError(name, "must be an object with a claim path");
  const unknown = Object.keys(value).find((k) => k !== "claim" && !OPERATORS.includes(k));
  if (unknown !== undefined) throw new ConfigError(name, `unknown key ${JSON.stringify(unknown)}`);
  const ops = OPERATORS.filter((k) => k in value);
  if (ops.length !== 1) throw new ConfigError(name, `needs exactly one of ${OPERATORS.join(", ")}`);
  const out: ClaimCondition = { claim: value.claim };
  const op = ops[0]!;
  if (op === "equalsParam" || op === "containsParam") {
    const param = value[op];
    if (params === null)
      throw new ConfigError(`${name}.${op}`, "compares a claim with a path parameter: route rules only");
    if (typeof param !== "string" || !params.includes(param)) {
      const known = params.length > 0 ? `its parameters are ${params.map((p) => `:${p}`).join(", ")}` : "it has none";
      throw new ConfigError(`${name}.${op}`, `names a parameter the rule's path does not have (${known})`);
    }
    out[op] = param;
    return out;
  }
  if (op === "nonEmpty" || op === "inPast") {
    if (value[op] !== true) throw new ConfigError(`${name}.${op}`, "must be true");
    // A route rule has no clock tolerance of its own: time conditions belong to the issuer.
    if (op === "inPast" && params !== null)
      throw new ConfigError(`${name}.inPast`, "judges a time claim with the issuer's clock: issuer claims only");
    out[op] = true;
    return out;
  }
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  if ("equals" in value) {
    if (!scalar(value.equals)) throw new ConfigError(`${name}.equals`, "must be a string, number or boolean");
    out.equals = value.equals as string | number | boolean;
  } else if ("contains" in value) {
    if (typeof value.contains !== "string") throw new ConfigError(`${name}.contains`, "must be a string");
    out.contains = value.contains;
  } else if ("oneOf" in value || "noneOf" in value) {
    const key = "oneOf" in value ? "oneOf" : "noneOf";
    const values = value[key];
    if (!Array.isArray(values) || values.length === 0 || !values.every(scalar))
      throw new ConfigError(`${name}.${key}`, "must be a non-empty list of strings, numbers or booleans");
    out[key] = values as Array<string | number | boolean>;
  } else {
    if (typeof value.exists !== "boolean") throw new ConfigError(`${name}.exists`, "must be true or false");
    out.exists = value.exists;
  }
  return out;
}

/** The `routes` list. */
export function parseRoutes(value: unknown): RouteRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError("JWT_CONFIG.routes", "must be a list of rules");
  return value.map((raw, i) => {
    const name = `JWT_CONFIG.routes[${i}]`;
    if (!isObject(raw)) throw new ConfigError(name, "must be an object");
    // A misspelt key ("role" for "roles") would silently open the route: refuse it.
    const unknown = Object.keys(raw).filter((k) => !RULE_KEYS.includes(k));
    if (unknown.length > 0)
      throw new ConfigError(name, `unknown key ${JSON.stringify(unknown[0])} (known: ${RULE_KEYS.join(", ")})`);
    const path = raw.path;
    if (typeof path !== "string" || !path.startsWith("/"))
      throw new ConfigError(`${name}.path`, `must be a path starting with /, got ${JSON.stringify(path)}`);
    if (path.includes("*") && !/^[^*]*\/\*$/.test(path) && path !== "/*")
      throw new ConfigError(`${name}.path`, "may use * only as the last segment (/admin/*)");
    const methods = (list(raw.methods ?? raw.method, `${name}.methods`) ?? []).map((m) => m.toUpperCase());
    for (const m of methods)
      if (!(HTTP_METHODS as readonly string[]).includes(m))
        throw new ConfigError(`${name}.methods`, `unknown method ${m}`);
    const access = oneOf(raw.access, `${name}.access`, ["public", "optional", "protected"] as const) ?? "protected";
    const rule: RouteRule = { path, access };
    if (methods.length > 0) rule.methods = methods;
    const scopes = parseRequirement(raw.scopes, `${name}.scopes`);
    const roles = parseRequirement(raw.roles, `${name}.roles`);
    const permissions = parseRequirement(raw.permissions, `${name}.permissions`);
    if (scopes) rule.scopes = scopes;
    if (roles) rule.roles = roles;
    if (permissions) rule.permissions = permissions;
    const params = path.split("/").flatMap((s) => (s.startsWith(":") ? [s.slice(1)] : []));
    if (raw.claims !== undefined) rule.claims = parseConditions(raw.claims, `${name}.claims`, "all", params);
    if (access === "public" && (scopes || roles || permissions || rule.claims))
      throw new ConfigError(name, "a public route cannot require scopes, roles, permissions or claims");
    return rule;
  });
}
