/**
 * The `introspection` entry (validation, secrets, one opaque issuer) and which tokens are introspected:
 * opaque ones, a `tokens: "all"` issuer's JWTs, never another issuer's JWTs.
 */
import { describe, expect, it } from "vitest";
import { configFromEnv, ConfigError, createAuthorizer, defineConfig } from "../../src/index.js";
import { ISSUER, makeClock, makeKey, mint, recordingLogger, unsignedToken } from "../keys/fixtures.js";
import { answer, fakeIdp, introspecting, SECRET } from "./fixtures.js";

const entry = (introspection: unknown, issuer = ISSUER) => ({ issuer, audience: "api", introspection });
const configOf = (issuers: unknown[], env: Record<string, unknown> = { JWT_INTROSPECTION_SECRET: SECRET }) =>
  configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers }), ...env });

describe("configuration", () => {
  it("defaults: opaque tokens, 60 s, endpoint from discovery", () => {
    const [issuer] = configOf([entry({ clientId: "api" })]).issuers;
    expect(issuer!.introspection).toEqual({ clientId: "api", clientSecret: SECRET, tokens: "opaque", cacheTtl: 60 });
  });

  it.each([
    ["two introspecting issuers", [entry({ clientId: "a" }), entry({ clientId: "b" }, "https://other.example")]],
    ["no clientId", [entry({ tokens: "opaque" })]],
    ["an unknown key", [entry({ clientId: "a", clientSecret: "inline" })]],
    ["an unknown tokens value", [entry({ clientId: "a", tokens: "jwt" })]],
    ["an http endpoint", [entry({ clientId: "a", endpoint: "http://idp.example/introspect" })]],
    ["a cacheTtl out of range", [entry({ clientId: "a", cacheTtl: 86_400 })]],
    ["not an object", [entry("yes")]],
  ])("refuses %s", (_name, issuers) => {
    expect(() => configOf(issuers)).toThrow(ConfigError);
  });

  it("defineConfig takes the entry typed, the secret in secrets", () => {
    const config = defineConfig(
      {
        issuers: [{ issuer: ISSUER, audience: "api", introspection: { clientId: "api", tokens: "all", cacheTtl: 5 } }],
      },
      { JWT_INTROSPECTION_SECRET: SECRET },
    );
    expect(config.issuers[0]!.introspection).toMatchObject({ tokens: "all", cacheTtl: 5 });
  });

  it("needs the secret, and never quotes it", () => {
    expect(() => configOf([entry({ clientId: "a" })], {})).toThrow(/JWT_INTROSPECTION_SECRET/);
    expect(() => configOf([entry({ clientId: "a", clientSecretVar: "S" })])).toThrow(/^S: /);
    const config = configOf([entry({ clientId: "a", clientSecretVar: "S" })], { S: "named" });
    expect(config.issuers[0]!.introspection!.clientSecret).toBe("named");
  });
});

describe("which tokens are introspected", () => {
  it("without an introspecting issuer, an opaque token is token_malformed", async () => {
    const clock = makeClock();
    const idp = fakeIdp(clock);
    const config = configFromEnv({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api" });
    const authorizer = createAuthorizer(config, { fetch: idp.fetch, now: clock.now, logger: recordingLogger() });
    expect(await answer(authorizer, "opaque-token")).toEqual({ status: 401, code: "token_malformed" });
    expect(idp.calls).toHaveLength(0);
  });

  it('"opaque": a JWT of the issuer is verified locally, not introspected', async () => {
    const { authorizer, idp, clock } = introspecting();
    const forged = unsignedToken("some-kid", clock);
    // The fake provider serves no JWKS: the JWT path was taken (keys), not introspection.
    expect(await answer(authorizer, forged)).toEqual({ status: 503, code: "keys_unavailable" });
    expect(idp.calls).toHaveLength(0);
  });

  it("\"all\": the issuer's JWTs are introspected too; an unknown issuer's are not", async () => {
    const { authorizer, idp, clock } = introspecting({ tokens: "all" });
    const jwt = unsignedToken("some-kid", clock);
    expect(await answer(authorizer, jwt)).toEqual({ status: 401, code: "token_inactive" });
    idp.activate(jwt);
    clock.advance(10_000);
    expect(await answer(authorizer, jwt)).toEqual({ status: 200, code: "ok" });
    const stranger = await mint(await makeKey("k"), clock, { iss: "https://stranger.example" });
    expect(await answer(authorizer, stranger)).toEqual({ status: 401, code: "issuer_unknown" });
    expect(idp.calls).toHaveLength(2);
  });

  it("a token over maxTokenBytes is refused before any call", async () => {
    const { authorizer, idp } = introspecting();
    expect(await answer(authorizer, "a".repeat(9000))).toEqual({ status: 401, code: "token_too_large" });
    expect(idp.calls).toHaveLength(0);
  });
});
