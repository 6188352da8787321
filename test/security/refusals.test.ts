/**
 * What a refusal says: the RFC 6750 WWW-Authenticate forms with escaping, the refusal response, the
 * 503 when no key can be had, and that an HMAC secret never leaks.
 */
import { describe, expect, it } from "vitest";
import { REASONS, refusalResponse } from "../../src/index.js";
import { parseChallenge } from "./challenge.js";
import {
  bearer,
  expectAllowed,
  expectDecision,
  expectNoLeak,
  expectRefused,
  goodClaims,
  harness,
  jwt,
  NOW_S,
  rawToken,
  testKeys,
  URL_BASE,
} from "./harness.js";

describe("WWW-Authenticate (RFC 6750)", () => {
  it("no token: Bearer realm with no error attribute", async () => {
    const h = await harness();
    const decision = expectDecision(await h.authorizer.authorize(new Request(URL_BASE)), 401, "token_missing");
    expect(parseChallenge(decision.wwwAuthenticate!)).toEqual({ scheme: "Bearer", params: { realm: h.config.realm } });
    expect(decision.wwwAuthenticate).toBe(`Bearer realm="${h.config.realm}"`);
  });

  it("an invalid token: error=invalid_token with the reason's description", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const decision = await expectRefused(
      h,
      await jwt(rsa, { iat: NOW_S - 7200, exp: NOW_S - 3600 }),
      401,
      "token_expired",
    );
    expect(parseChallenge(decision.wwwAuthenticate!)).toEqual({
      scheme: "Bearer",
      params: { realm: h.config.realm, error: "invalid_token", error_description: REASONS.token_expired.description },
    });
    expect(decision.error).toBe("invalid_token");
  });

  it("a malformed request: 400 error=invalid_request", async () => {
    const h = await harness();
    const decision = expectDecision(
      await h.authorizer.authorize(new Request(URL_BASE, { headers: { authorization: "Bearer a b" } })),
      400,
      "header_malformed",
    );
    const { params } = parseChallenge(decision.wwwAuthenticate!);
    expect(params.realm).toBe(h.config.realm);
    expect(params.error).toBe("invalid_request");
  });

  it("a valid token without the required scope: 403 error=insufficient_scope with scope", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ env: { JWT_REQUIRED_SCOPES: "orders:read" } });
    const token = await jwt(rsa, { scope: "profile orders:write" });
    const decision = expectDecision(await h.authorizer.authorize(bearer(token)), 403, "insufficient_scope");
    expect(decision.requiredScope).toBe("orders:read");
    const { params } = parseChallenge(decision.wwwAuthenticate!);
    expect(params).toMatchObject({ realm: h.config.realm, error: "insufficient_scope", scope: "orders:read" });
    const response = refusalResponse(decision);
    expect(response.status).toBe(403);
    await expectNoLeak(h, [token], response);
    await expectAllowed(h, await jwt(rsa, { scope: "profile orders:read" }));
  });

  it("quotes and backslashes in the realm are escaped", async () => {
    const realm = 'say "hi" \\ back';
    const h = await harness({ config: { realm } });
    const decision = expectDecision(await h.authorizer.authorize(new Request(URL_BASE)), 401, "token_missing");
    expect(decision.wwwAuthenticate).toBe('Bearer realm="say \\"hi\\" \\\\ back"');
    expect(parseChallenge(decision.wwwAuthenticate!).params.realm).toBe(realm);
  });

  it("the refusal response carries status, JSON body, content type, no-store and the challenge", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const decision = expectDecision(
      await h.authorizer.authorize(bearer(await jwt(rsa, { aud: "other" }))),
      401,
      "audience_mismatch",
    );
    const response = refusalResponse(decision);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("www-authenticate")).toBe(decision.wwwAuthenticate);
    expect(await response.json()).toEqual({ error: "invalid_token", code: "audience_mismatch" });
  });

  it("when no key can be had, the refusal is 503 keys_unavailable with Retry-After and no challenge", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ failFetch: true });
    const token = await jwt(rsa);
    const decision = expectDecision(await h.authorizer.authorize(bearer(token)), 503, "keys_unavailable");
    expect(decision.error).toBe("temporarily_unavailable");
    expect(decision.wwwAuthenticate).toBeUndefined();
    expect(decision.retryAfter).toBeGreaterThan(0);
    const response = refusalResponse(decision);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe(String(decision.retryAfter));
    expect(response.headers.get("www-authenticate")).toBeNull();
    await expectNoLeak(h, [token], response);
  });
});

describe("leaks with an HMAC issuer", () => {
  const SECRET = "a-very-long-hmac-secret-of-at-least-32-bytes!";
  const enc = new TextEncoder();
  const hs = (claims: Record<string, unknown>, secret = SECRET) =>
    rawToken(JSON.stringify({ alg: "HS256", typ: "JWT" }), JSON.stringify(goodClaims(claims)), {
      alg: "HS256",
      key: enc.encode(secret),
    });

  it("a good HS256 token passes without any fetch", async () => {
    const h = await harness({ secret: SECRET });
    await expectAllowed(h, await hs({}));
    expect(h.fetched).toEqual([]);
    await expectNoLeak(h, [SECRET]);
  });

  for (const [name, make, code] of [
    ["an expired token", () => hs({ exp: NOW_S - 3600, iat: NOW_S - 7200 }), "token_expired"],
    ["a token signed with another secret", () => hs({}, `${SECRET}-other`), "signature_invalid"],
    ["a token for another audience", () => hs({ aud: "other" }), "audience_mismatch"],
    ["an RS256 token", async () => jwt((await testKeys()).rsa), "alg_not_allowed"],
    [
      "an alg none token",
      () => rawToken(JSON.stringify({ alg: "none" }), JSON.stringify(goodClaims())),
      "alg_not_allowed",
    ],
  ] as const) {
    it(`${name} is refused as ${code} and neither the token nor the secret appears in the response or the log`, async () => {
      const h = await harness({ secret: SECRET });
      await expectRefused(h, await make(), 401, code, { secrets: [SECRET] });
      expect(h.fetched).toEqual([]);
    });
  }
});
