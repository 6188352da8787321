/**
 * JSON and size attacks: duplicate members (jose alone keeps the last), payloads that are no JSON
 * object, oversize tokens checked before parsing, and deep nesting that must never throw.
 */
import { describe, expect, it } from "vitest";
import { refusalResponse } from "../../src/index.js";
import {
  b64url,
  bearer,
  expectAllowed,
  expectRefused,
  expectVerifyRefused,
  goodClaims,
  harness,
  jwt,
  rawToken,
  testKeys,
} from "./harness.js";

const goodPayload = () => JSON.stringify(goodClaims());

describe("duplicate members", () => {
  it('a header {"alg":"none","alg":"RS256"} with a valid RS256 signature is refused as token_malformed', async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await rawToken(`{"alg":"none","alg":"RS256","kid":"${rsa.kid}","typ":"JWT"}`, goodPayload(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  it("a header with kid twice is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await rawToken(`{"alg":"RS256","kid":"nope","kid":"${rsa.kid}","typ":"JWT"}`, goodPayload(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  it("a payload with sub twice is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const payload = goodPayload().replace(/}$/, ',"sub":"admin"}');
    expect(payload.match(/"sub"/g)).toHaveLength(2);
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  it("a payload with sub twice, once written with a unicode escape, is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const payload = goodPayload().replace(/}$/, ',"s\\u0075b":"admin"}');
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  it("a payload with aud twice (one matching) is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const payload = goodPayload().replace(/}$/, ',"aud":"other"}');
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  it("a payload with a duplicate member inside a nested object is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const payload = goodPayload().replace(/}$/, ',"realm_access":{"roles":["user"],"roles":["admin"]}}');
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    await expectRefused(h, token, 401, "token_malformed");
  });

  // RFC 7519 7.2 step 10: the claims set must be a JSON object, else the JWT is rejected; a payload
  // that is valid JSON but no object is a malformed JWT, not an invalid claim value.
  it("a validly signed payload that is not a JSON object is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    for (const payload of ["", "[1,2]", '"sub"', "null", "42", "{", '{"sub":"alice"} x']) {
      const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
        alg: "RS256",
        key: rsa.privateKey,
      });
      await expectRefused(h, token, 401, "token_malformed");
    }
  });

  it("a header that is not valid UTF-8 JSON is refused as token_malformed", async () => {
    const h = await harness();
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString(
      "base64url",
    );
    await expectRefused(h, `${bad}.${b64url(goodPayload())}.${b64url("sig-sig-sig")}`, 401, "token_malformed");
  });
});

describe("size and depth", () => {
  it("a 1 MB token in the Authorization header is refused as token_too_large before any fetch", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa, { pad: "x".repeat(1024 * 1024) });
    await expectRefused(h, token, 401, "token_too_large");
    expect(h.fetched).toEqual([]);
  });

  it("a token with a 5 MB payload is refused as token_too_large", async () => {
    const h = await harness();
    const token = `${b64url('{"alg":"RS256","kid":"rsa-1"}')}.${"A".repeat(5 * 1024 * 1024)}.${b64url("sig")}`;
    await expectVerifyRefused(h, token, "token_too_large");
    expect(h.fetched).toEqual([]);
  });

  it("the default token cap is 8 KiB", async () => {
    const h = await harness();
    expect(h.config.maxTokenBytes).toBe(8192);
  });

  it("a valid token exactly at maxTokenBytes passes and one byte less of cap refuses it as token_too_large", async () => {
    const { rsa } = await testKeys();
    const token = await jwt(rsa, { pad: "p".repeat(3000) });
    const bytes = new TextEncoder().encode(token).length;
    await expectAllowed(await harness({ config: { maxTokenBytes: bytes } }), token);
    await expectRefused(await harness({ config: { maxTokenBytes: bytes - 1 } }), token, 401, "token_too_large");
  });

  it("a token over the default cap but under a raised maxTokenBytes passes", async () => {
    const { rsa } = await testKeys();
    const token = await jwt(rsa, { pad: "p".repeat(12_000) });
    await expectRefused(await harness(), token, 401, "token_too_large");
    await expectAllowed(await harness({ config: { maxTokenBytes: 64 * 1024 } }), token);
  });

  it("arrays nested as deep as fits under the cap are accepted or refused as token_malformed, never thrown", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const depth = 2500; // 5000 bytes of brackets -> ~6.7 KB of base64url, under 8 KiB with the rest
    const payload = goodPayload().replace(/}$/, `,"deep":${"[".repeat(depth)}${"]".repeat(depth)}}`);
    const token = await rawToken(JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }), payload, {
      alg: "RS256",
      key: rsa.privateKey,
    });
    expect(token.length).toBeLessThanOrEqual(8192);
    const decision = await h.authorizer.authorize(bearer(token));
    if (!decision.ok) {
      expect({ status: decision.status, code: decision.code }).toEqual({ status: 401, code: "token_malformed" });
      expect(refusalResponse(decision).status).toBe(401);
    }
  });

  it("with the cap raised to 2 MB, arrays nested 100k deep (payload and header) never throw or answer 500", async () => {
    const { rsa } = await testKeys();
    const h = await harness({ config: { maxTokenBytes: 2 * 1024 * 1024 } });
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const inPayload = await rawToken(
      JSON.stringify({ alg: "RS256", kid: rsa.kid, typ: "JWT" }),
      goodPayload().replace(/}$/, `,"deep":${deep}}`),
      { alg: "RS256", key: rsa.privateKey },
    );
    const inHeader = await rawToken(`{"alg":"RS256","kid":"${rsa.kid}","x":${deep}}`, goodPayload(), {
      alg: "RS256",
      key: rsa.privateKey,
    });
    for (const token of [inPayload, inHeader]) {
      const decision = await h.authorizer.authorize(bearer(token));
      if (!decision.ok) expect([400, 401]).toContain(decision.status);
      await h.authorizer
        .verify(token)
        .catch((error: unknown) => expect((error as { status?: number }).status).toBe(401));
    }
  });
});
