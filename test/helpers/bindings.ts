/**
 * Rules bound to path parameters, end to end: the cases the Worker (in workerd) and the Vercel
 * middleware (in edge-runtime) must answer alike. Expected answers are spelled out here.
 */
import type { TestIssuer } from "./issuer.js";

export const bindingEnv = (issuer: TestIssuer): Record<string, string> => ({
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: "api",
  JWT_CONFIG: JSON.stringify({ routes: [{ path: "/orgs/:org/*", claims: [{ claim: "org_id", equalsParam: "org" }] }] }),
});

/** Requests with a token of tenant A: the path, and the status the authorizer answers. */
export const BINDING_CASES: Array<{ name: string; path: string; status: number }> = [
  { name: "its own tenant", path: "/orgs/A/projects", status: 200 },
  { name: "another tenant", path: "/orgs/B/projects", status: 403 },
  { name: "its tenant in another case", path: "/orgs/a/projects", status: 403 },
  { name: "another tenant, percent-encoded", path: "/orgs/%42/projects", status: 403 },
  { name: "a dot-segment into another tenant", path: "/orgs/A/..%2FB/projects", status: 403 },
  { name: "a ;param dot-segment into another tenant", path: "/orgs/A/..;/B/projects", status: 403 },
];

/** The refusal body every 403 carries. */
export const FORBIDDEN = { error: "insufficient_scope", code: "forbidden_claims" };
