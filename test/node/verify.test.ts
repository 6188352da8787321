import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, generateSecret, CompactSign } from "jose";
import { nodeVerifySignature as verifyText } from "../../adapters/node/verify.js";

/** The verifier takes the signing input as text and the signature as base64url, as the core hands them over. */
const nodeVerifySignature = (
  alg: string,
  jwk: Parameters<typeof verifyText>[1],
  input: Uint8Array,
  signature: Uint8Array,
) => verifyText(alg, jwk, Buffer.from(input).toString("latin1"), Buffer.from(signature).toString("base64url"));

const enc = new TextEncoder();

async function signed(alg: string, options: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = await exportJWK(publicKey);
  const jws = await new CompactSign(enc.encode(JSON.stringify({ sub: "alice" })))
    .setProtectedHeader({ alg })
    .sign(privateKey);
  const [h, p, s] = jws.split(".");
  return { jwk, input: enc.encode(`${h}.${p}`), signature: new Uint8Array(Buffer.from(s!, "base64url")) };
}

describe("the node:crypto signature verifier", () => {
  for (const [alg, options] of [
    ["RS256"],
    ["RS512"],
    ["PS256"],
    ["PS384"],
    ["ES256"],
    ["ES384"],
    ["ES512"],
    ["EdDSA", { crv: "Ed25519" }],
  ] as const) {
    it(`accepts a genuine ${alg} signature and refuses it after one bit flips`, async () => {
      const { jwk, input, signature } = await signed(alg, options ?? {});
      expect(await nodeVerifySignature(alg, jwk, input, signature)).toBe(true);
      const tampered = signature.slice();
      tampered[tampered.length - 1]! ^= 1;
      expect(await nodeVerifySignature(alg, jwk, input, tampered)).toBe(false);
      const otherInput = enc.encode(new TextDecoder().decode(input) + "x");
      expect(await nodeVerifySignature(alg, jwk, otherInput, signature)).toBe(false);
    });
  }

  it("refuses a key that does not fit the algorithm instead of throwing", async () => {
    const es = await signed("ES256");
    const rsa = await signed("RS256");
    expect(await nodeVerifySignature("ES384", es.jwk, es.input, es.signature)).toBe(false);
    expect(await nodeVerifySignature("RS256", es.jwk, es.input, es.signature)).toBe(false);
    expect(await nodeVerifySignature("ES256", rsa.jwk, rsa.input, rsa.signature)).toBe(false);
    expect(await nodeVerifySignature("HS256", rsa.jwk, rsa.input, rsa.signature)).toBe(false);
    expect(await nodeVerifySignature("none", rsa.jwk, rsa.input, new Uint8Array())).toBe(false);
  });

  it("refuses psychic ECDSA signatures (r = s = 0) and wrong-length signatures", async () => {
    const es = await signed("ES256");
    expect(await nodeVerifySignature("ES256", es.jwk, es.input, new Uint8Array(64))).toBe(false);
    expect(await nodeVerifySignature("ES256", es.jwk, es.input, es.signature.slice(0, 63))).toBe(false);
  });

  it("verifies HS256 with a constant-time comparison and refuses a truncated MAC", async () => {
    const secret = (await generateSecret("HS256", { extractable: true })) as Uint8Array | CryptoKey;
    const jwk = await exportJWK(secret);
    const jws = await new CompactSign(enc.encode("{}")).setProtectedHeader({ alg: "HS256" }).sign(secret);
    const [h, p, s] = jws.split(".");
    const sig = new Uint8Array(Buffer.from(s!, "base64url"));
    expect(await nodeVerifySignature("HS256", jwk, enc.encode(`${h}.${p}`), sig)).toBe(true);
    expect(await nodeVerifySignature("HS256", jwk, enc.encode(`${h}.${p}`), sig.slice(0, 16))).toBe(false);
  });

  it("keeps verifying with a copy of the same key (cached by key material)", async () => {
    const { jwk, input, signature } = await signed("ES256");
    expect(await nodeVerifySignature("ES256", jwk, input, signature)).toBe(true);
    const copy = { ...jwk }; // a different object with the same key material also hits the cache
    for (let i = 0; i < 200; i++) expect(await nodeVerifySignature("ES256", copy, input, signature)).toBe(true);
  });
});
