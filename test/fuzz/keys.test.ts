/**
 * Fuzzing what the issuer serves: discovery documents and JWKS with arbitrary members, statuses,
 * content types and bodies, through an injected fetch. Whatever comes back, `authorize` never throws,
 * answers 401 or 503 (never another 5xx), logs nothing unexpected, and allows a token only when the
 * served set really holds its public key.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { JWK } from "jose";
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import { bearer, jwt, testKeys, type LogEntry, type SigningKey } from "../security/harness.js";
import { AUDIENCE, DISCOVERY_URI, ISSUER, JWKS_URI, NOW_S } from "../security/tokens.js";
import { check } from "./runs.js";
import { expectNoUnexpected, expectSaneDecision } from "./common.js";

let ec: SigningKey;
let rsa: SigningKey;
let token: string;

beforeAll(async () => {
  ({ ec, rsa } = await testKeys());
  token = await jwt(ec);
});

const anyJson = fc.jsonValue({ maxDepth: 3 });
/** A real key with some members replaced or removed. */
const mutatedKey = (base: () => JWK) =>
  fc
    .dictionary(
      fc.constantFrom("kty", "crv", "x", "y", "n", "e", "alg", "use", "key_ops", "kid", "d", "ext"),
      fc.option(
        fc.oneof(
          anyJson,
          fc.constantFrom(
            "EC",
            "RSA",
            "OKP",
            "oct",
            "P-256",
            "P-384",
            "ES256",
            "RS256",
            "sig",
            "enc",
            ["verify"],
            ["sign"],
            "ec-1",
            "AQAB",
          ),
        ),
        { nil: undefined },
      ),
      { maxKeys: 3 },
    )
    .map((changes) => ({ ...base(), ...changes }) as JWK);
const jwksBody = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.constant(null).map(() => ec.jwk),
        fc.constant(null).map(() => rsa.jwk),
        mutatedKey(() => ec.jwk),
        mutatedKey(() => rsa.jwk),
        anyJson,
      ),
      { maxLength: 5 },
    )
    .map((keys) => JSON.stringify({ keys })),
  anyJson.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('{"keys":[', "<html>", "", '{"keys":{}}', '{"keys":[],"keys":[]}'),
);
const discoveryBody = fc.oneof(
  { weight: 4, arbitrary: fc.constant(JSON.stringify({ issuer: ISSUER, jwks_uri: JWKS_URI })) },
  fc
    .record({
      issuer: fc.oneof(fc.constant(ISSUER), fc.constantFrom("https://idp.example", "https://evil.example/"), anyJson),
      jwks_uri: fc.oneof(
        fc.constant(JWKS_URI),
        fc.constantFrom("http://idp.example/jwks.json", "file:///etc/passwd", "https://evil.example/k", ""),
        anyJson,
      ),
    })
    .map((d) => JSON.stringify(d)),
  anyJson.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
);
const answer = (body: fc.Arbitrary<string>) =>
  fc.record({
    status: fc.constantFrom(200, 200, 200, 200, 200, 200, 204, 301, 304, 404, 500, 503),
    type: fc.constantFrom("application/json", "application/jwk-set+json", "text/html", ""),
    cacheControl: fc.constantFrom("", "max-age=0", "max-age=-1", "max-age=999999999999", "no-store", "max-age=abc"),
    body,
    throws: fc.boolean().map((b) => b && Math.random() < 0.2),
  });

/** Does the served JWKS hold the EC key's public material? */
function holdsEcKey(body: string): boolean {
  try {
    const keys = (JSON.parse(body) as { keys?: unknown }).keys;
    return Array.isArray(keys) && keys.some((k) => k && k.x === ec.jwk.x && k.y === ec.jwk.y && k.crv === "P-256");
  } catch {
    return false;
  }
}

describe("fuzz: JWKS and discovery documents", () => {
  it.each([false, true])(
    "discovery %s: any answer from the issuer gives a documented answer, never a wrong allow",
    async (discovery) => {
      let allowed = 0;
      await check(
        fc.asyncProperty(answer(jwksBody), answer(discoveryBody), async (jwks, disc) => {
          const logs: LogEntry[] = [];
          const record = (level: string) => (message: string) => void logs.push({ level, message });
          const fetchStub = (async (input: RequestInfo | URL) => {
            const url = String(input instanceof Request ? input.url : input);
            const a = url === DISCOVERY_URI ? disc : url === JWKS_URI ? jwks : undefined;
            if (!a) return new Response("not found", { status: 404 });
            if (a.throws) throw new TypeError("network down");
            const headers: Record<string, string> = {};
            if (a.type) headers["content-type"] = a.type;
            if (a.cacheControl) headers["cache-control"] = a.cacheControl;
            const noBody = a.status === 204 || a.status === 304;
            return new Response(noBody ? null : a.body, { status: a.status, headers });
          }) as typeof fetch;
          const config = configFromEnv({
            JWT_ISSUER: ISSUER,
            JWT_AUDIENCE: AUDIENCE,
            ...(discovery ? {} : { JWT_JWKS_URI: JWKS_URI }),
          });
          const authorizer = createAuthorizer(config, {
            fetch: fetchStub,
            now: () => NOW_S * 1000,
            logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") },
          });
          const decision = await authorizer.authorize(bearer(token));
          expectSaneDecision(decision, [401, 503]);
          expectNoUnexpected({ logs });
          if (decision.ok) {
            allowed++;
            expect(jwks.throws || jwks.status !== 200 ? false : holdsEcKey(jwks.body), "allowed without the key").toBe(
              true,
            );
          }
        }),
        250,
      );
      expect(allowed).toBeGreaterThan(0);
    },
  );
});
