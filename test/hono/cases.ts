/**
 * The table of requests every HTTP door (the Worker in workerd, the Hono middleware) must answer the
 * same way. Expected values are spelled out here, not derived from the code under test.
 */
import type { TestIssuer } from "../helpers/issuer.js";

/** The configuration the table assumes: one issuer, audience "api", scope "read" on every request. */
export const tableEnv = (issuer: TestIssuer): Record<string, string> => ({
  JWT_ISSUER: issuer.issuer,
  JWT_AUDIENCE: "api",
  JWT_REQUIRED_SCOPES: "read",
});

/** Tokens the table sends, minted by the test issuer. */
export interface Tokens {
  valid: string;
  expired: string;
  tampered: string;
  otherAudience: string;
  withoutScope: string;
}

export interface Case {
  name: string;
  /** Headers the client sends (tests add a spoofed `x-auth-sub: admin` to each). */
  headers: (tokens: Tokens) => Record<string, string>;
  status: number;
  /** Refusals: the exact body and `WWW-Authenticate`. */
  body?: { error: string; code: string };
  wwwAuthenticate?: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const invalid = (description: string) =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Mints the table's tokens. The tampered one is the valid one with `sub` changed to "admin". */
export async function tokensFor(issuer: TestIssuer): Promise<Tokens> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await issuer.sign({ scope: "read write" });
  const [header, payload, signature] = valid.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
  return {
    valid,
    expired: await issuer.sign({ scope: "read" }, { now: now - 7200 }),
    tampered: `${header}.${b64({ ...claims, sub: "admin" })}.${signature}`,
    otherAudience: await issuer.sign({ aud: "other", scope: "read" }),
    withoutScope: await issuer.sign({ scope: "write" }),
  };
}

export const CASES: Case[] = [
  { name: "a valid token reaches the origin", headers: (t) => bearer(t.valid), status: 200 },
  {
    name: "a request without a token gets 401 with a bare Bearer challenge",
    headers: () => ({}),
    status: 401,
    body: { error: "invalid_request", code: "token_missing" },
    wwwAuthenticate: `Bearer realm="api"`,
  },
  {
    name: "an expired token gets 401 token_expired",
    headers: (t) => bearer(t.expired),
    status: 401,
    body: { error: "invalid_token", code: "token_expired" },
    wwwAuthenticate: invalid("The token has expired"),
  },
  {
    name: "a tampered token gets 401 signature_invalid",
    headers: (t) => bearer(t.tampered),
    status: 401,
    body: { error: "invalid_token", code: "signature_invalid" },
    wwwAuthenticate: invalid("The token signature is invalid"),
  },
  {
    name: "a token for another audience gets 401 audience_mismatch",
    headers: (t) => bearer(t.otherAudience),
    status: 401,
    body: { error: "invalid_token", code: "audience_mismatch" },
    wwwAuthenticate: invalid("The token is not meant for this audience"),
  },
  {
    name: "a valid token without the required scope gets 403 insufficient_scope",
    headers: (t) => bearer(t.withoutScope),
    status: 403,
    body: { error: "insufficient_scope", code: "insufficient_scope" },
    wwwAuthenticate: `Bearer realm="api", error="insufficient_scope", error_description="The token lacks the scope this route needs", scope="read"`,
  },
  {
    name: "a malformed Bearer header gets 400 header_malformed",
    headers: () => ({ authorization: "Bearer two parts" }),
    status: 400,
    body: { error: "invalid_request", code: "header_malformed" },
    wwwAuthenticate: `Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"`,
  },
  {
    name: "a valid token sent with the Basic scheme counts as no token",
    headers: (t) => ({ authorization: `Basic ${t.valid}` }),
    status: 401,
    body: { error: "invalid_request", code: "token_missing" },
    wwwAuthenticate: `Bearer realm="api"`,
  },
];

/** Decodes `x-auth-claims` (base64url JSON). */
export const decodeClaims = (value: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
