/**
 * Attack classes on the JOSE header: alg none, HMAC/RSA confusion, key-type confusion, embedded keys
 * and key URLs (jwk, jku, x5u, x5c), crit and b64.
 */
import { describe, expect, it } from "vitest";
import { exportJWK, exportSPKI, generateKeyPair } from "jose";
import { ConfigError, configFromEnv } from "../../src/index.js";
import {
  b64url,
  expectRefused,
  goodClaims,
  harness,
  JWKS_URI,
  DISCOVERY_URI,
  jwt,
  rawToken,
  testKeys,
} from "./harness.js";

const claims = () => JSON.stringify(goodClaims());

describe("alg none", () => {
  for (const alg of ["none", "NONE", "nOnE"]) {
    it(`a token with alg ${alg} and an empty signature is refused as alg_not_allowed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await rawToken(JSON.stringify({ alg, kid: rsa.kid, typ: "JWT" }), claims());
      expect(token.endsWith(".")).toBe(true);
      await expectRefused(h, token, 401, "alg_not_allowed");
    });

    it(`a token with alg ${alg} that keeps the original signature is refused as alg_not_allowed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const original = await jwt(rsa);
      const signature = original.split(".")[2]!;
      const token = await rawToken(JSON.stringify({ alg, kid: rsa.kid, typ: "JWT" }), claims(), { signature });
      await expectRefused(h, token, 401, "alg_not_allowed");
    });
  }
});

describe("alg spelling and type", () => {
  for (const alg of ["rs256", "Rs256", "RS256 ", " RS256", "RS256\u0000", "RS-256", "HS256", "HS512"]) {
    it(`a token with alg ${JSON.stringify(alg)} is refused as alg_not_allowed`, async () => {
      const { rsa } = await testKeys();
      const token = await rawToken(JSON.stringify({ alg, kid: rsa.kid, typ: "JWT" }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await expectRefused(await harness(), token, 401, "alg_not_allowed");
    });
  }

  for (const [name, header] of [
    ["no alg", { kid: "rsa-1" }],
    ["alg null", { alg: null, kid: "rsa-1" }],
    ["alg 256", { alg: 256, kid: "rsa-1" }],
    ['alg ["RS256"]', { alg: ["RS256"], kid: "rsa-1" }],
  ] as const) {
    it(`a token with ${name} is refused as token_malformed`, async () => {
      const { rsa } = await testKeys();
      const token = await rawToken(JSON.stringify(header), claims(), { alg: "RS256", key: rsa.privateKey });
      await expectRefused(await harness(), token, 401, "token_malformed");
    });
  }

  it("HS256 for a JWKS issuer, and alg none anywhere, are refused at configuration time naming JWT_ALGORITHMS", () => {
    for (const algorithms of ["RS256,HS256", "none", "RS256,none"]) {
      expect(() =>
        configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_ALGORITHMS: algorithms }),
      ).toThrow(ConfigError);
      expect(() =>
        configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_ALGORITHMS: algorithms }),
      ).toThrow(/JWT_ALGORITHMS/);
    }
  });

  it("an algorithm outside JWT_ALGORITHMS is refused as alg_not_allowed even with a fitting key", async () => {
    const { ec } = await testKeys();
    const h = await harness({ env: { JWT_ALGORITHMS: "RS256" } });
    await expectRefused(h, await jwt(ec), 401, "alg_not_allowed");
  });
});

describe("HMAC/RSA confusion", () => {
  const enc = new TextEncoder();
  const secrets: Array<[string, () => Promise<Uint8Array<ArrayBuffer>>]> = [
    [
      "the PEM public key with a trailing newline",
      async () => enc.encode(`${await exportSPKI((await testKeys()).rsa.publicKey)}\n`),
    ],
    [
      "the PEM public key without a trailing newline",
      async () => enc.encode((await exportSPKI((await testKeys()).rsa.publicKey)).trimEnd()),
    ],
    [
      "the DER public key",
      async () => {
        const pem = await exportSPKI((await testKeys()).rsa.publicKey);
        return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64"));
      },
    ],
    ["the public JWK as JSON", async () => enc.encode(JSON.stringify((await testKeys()).rsa.jwk))],
  ];
  for (const [name, secret] of secrets) {
    it(`an HS256 token with a real RSA kid, signed with ${name} as the HMAC secret, is refused as alg_not_allowed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await rawToken(JSON.stringify({ alg: "HS256", kid: rsa.kid, typ: "JWT" }), claims(), {
        alg: "HS256",
        key: await secret(),
      });
      await expectRefused(h, token, 401, "alg_not_allowed");
    });
  }

  it("an HS256 token without kid, signed with the PEM public key, is refused as alg_not_allowed", async () => {
    const h = await harness();
    const pem = new TextEncoder().encode(await exportSPKI((await testKeys()).rsa.publicKey));
    const token = await rawToken(JSON.stringify({ alg: "HS256", typ: "JWT" }), claims(), { alg: "HS256", key: pem });
    await expectRefused(h, token, 401, "alg_not_allowed");
  });

  it("an ES256 token naming a real RSA kid is refused as key_invalid", async () => {
    const { rsa } = await testKeys();
    const attacker = await generateKeyPair("ES256");
    const h = await harness();
    const token = await rawToken(JSON.stringify({ alg: "ES256", kid: rsa.kid, typ: "JWT" }), claims(), {
      alg: "ES256",
      key: attacker.privateKey,
    });
    await expectRefused(h, token, 401, "key_invalid");
  });

  it("an RS256 token naming a real EC kid is refused as key_invalid", async () => {
    const { ec, rsa } = await testKeys();
    const h = await harness();
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: ec.kid, typ: "JWT" }), claims(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "key_invalid");
  });
});

describe("embedded keys and key URLs", () => {
  const outbound = (fetched: string[]) => fetched.filter((u) => u !== JWKS_URI && u !== DISCOVERY_URI);

  it("a token signed by an attacker key placed in jwk is refused as header_forbidden without any outbound fetch", async () => {
    const { rsa } = await testKeys();
    const attacker = await generateKeyPair("RS256", { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const h = await harness();
    for (const header of [
      { alg: "RS256", jwk: attackerJwk },
      { alg: "RS256", kid: rsa.kid, jwk: attackerJwk },
      { alg: "RS256", kid: "attacker", jwk: { ...attackerJwk, kid: "attacker" } },
    ]) {
      const token = await rawToken(JSON.stringify({ typ: "JWT", ...header }), claims(), {
        alg: "RS256",
        key: attacker.privateKey,
      });
      await expectRefused(h, token, 401, "header_forbidden");
    }
    expect(outbound(h.fetched)).toEqual([]);
  });

  for (const member of ["jku", "x5u"]) {
    it(`a token whose ${member} points elsewhere is refused as header_forbidden and the URL is never fetched`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await jwt(rsa, {}, { [member]: "https://attacker.example/keys.json" });
      await expectRefused(h, token, 401, "header_forbidden");
      expect(outbound(h.fetched)).toEqual([]);
      expect(h.fetched.some((u) => u.includes("attacker"))).toBe(false);
    });
  }

  it("a token carrying an x5c certificate chain is refused as header_forbidden", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, {}, { x5c: [b64url("not really a certificate but base64")] });
    await expectRefused(h, token, 401, "header_forbidden");
    expect(outbound(h.fetched)).toEqual([]);
  });
});

describe("crit and b64", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['crit ["x-foo"] with x-foo present', { crit: ["x-foo"], "x-foo": 1 }],
    ["crit []", { crit: [] }],
    ['crit ["alg"]', { crit: ["alg"] }],
    ["crit naming a parameter absent from the header", { crit: ["x-absent"] }],
    ["crit that is not an array", { crit: "x-foo", "x-foo": 1 }],
    ['b64 false with crit ["b64"]', { b64: false, crit: ["b64"] }],
    ["b64 false without crit", { b64: false }],
    ["b64 true without crit", { b64: true }],
  ];
  for (const [name, extra] of cases) {
    it(`a validly signed token with ${name} is refused as crit_unsupported`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT", ...extra }), claims(), {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await expectRefused(h, token, 401, "crit_unsupported");
    });
  }
});
