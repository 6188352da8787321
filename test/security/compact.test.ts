/**
 * Anything but strict compact JWS is refused: JSON serializations, JWE, wrong segment counts,
 * padding, characters outside base64url, whitespace (jose alone accepts spaces inside base64url),
 * and non-canonical unused bits.
 */
import { describe, expect, it } from "vitest";
import { b64url, expectRefused, expectVerifyRefused, harness, jwt, testKeys } from "./harness.js";

describe("not compact", () => {
  it("a flattened JSON serialization is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const [p, pl, s] = (await jwt(rsa)).split(".");
    await expectVerifyRefused(h, JSON.stringify({ protected: p, payload: pl, signature: s }), "token_malformed");
  });

  it("a general JSON serialization is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const [p, pl, s] = (await jwt(rsa)).split(".");
    await expectVerifyRefused(
      h,
      JSON.stringify({ payload: pl, signatures: [{ protected: p, signature: s }] }),
      "token_malformed",
    );
  });

  it("a five-part JWE is refused as token_malformed", async () => {
    const h = await harness();
    const header = b64url(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM", kid: "rsa-1" }));
    const token = [
      header,
      b64url("k".repeat(256)),
      b64url("iv-iv-iv-iv-"),
      b64url("ciphertext"),
      b64url("tag-tag-tag-tag-"),
    ].join(".");
    await expectRefused(h, token, 401, "token_malformed");
  });

  // Through authorize where the mutated token still fits RFC 6750's b64token grammar; through verify
  // where it does not (the Authorization header itself would then be malformed).
  const mutations: Array<[string, (t: string) => string, "authorize" | "verify"]> = [
    ["a trailing dot", (t) => `${t}.`, "authorize"],
    ["a fourth segment", (t) => `${t}.e30`, "authorize"],
    ["a leading dot", (t) => `.${t}`, "authorize"],
    ["a doubled dot", (t) => t.replace(".", ".."), "authorize"],
    ["two segments only", (t) => t.split(".").slice(0, 2).join("."), "authorize"],
    ["one segment only", (t) => t.split(".")[0]!, "authorize"],
    ["padding = after the signature", (t) => `${t}=`, "authorize"],
    ["a + in the signature", (t) => t.slice(0, -2) + "+" + t.slice(-1), "authorize"],
    ["a / in the signature", (t) => t.slice(0, -2) + "/" + t.slice(-1), "authorize"],
    ["a ~ inside the payload", (t) => t.replace(".", ".~"), "authorize"],
    ["padding == after the header", (t) => t.replace(".", "==."), "verify"],
    ["a ? inside the header", (t) => t.slice(0, 10) + "?" + t.slice(10), "verify"],
    ["a # inside the payload", (t) => t.replace(".", ".#"), "verify"],
  ];
  for (const [name, mutate, via] of mutations) {
    it(`a token with ${name} is refused as token_malformed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = mutate(await jwt(rsa));
      if (via === "authorize") await expectRefused(h, token, 401, "token_malformed");
      else await expectVerifyRefused(h, token, "token_malformed");
    });
  }

  const whitespace: Array<[string, string]> = [
    ["a space", " "],
    ["a tab", "\t"],
    ["a newline", "\n"],
    ["a carriage return", "\r"],
    ["a non-breaking space", "\u00a0"],
  ];
  for (const [name, ws] of whitespace) {
    it(`a token with ${name} inside the signature segment is refused as token_malformed`, async () => {
      const { rsa } = await testKeys();
      const h = await harness();
      const token = await jwt(rsa);
      const at = token.lastIndexOf(".") + 10;
      await expectVerifyRefused(h, token.slice(0, at) + ws + token.slice(at), "token_malformed");
    });
  }

  it("a token with a space inside the header segment is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    await expectVerifyRefused(h, `${token.slice(0, 8)} ${token.slice(8)}`, "token_malformed");
  });

  it("a signature whose last character differs only in unused bits is refused as token_malformed", async () => {
    const { rsa } = await testKeys();
    const h = await harness();
    const token = await jwt(rsa);
    const sig = token.split(".")[2]!; // 256 bytes -> 342 chars: the last carries 4 unused bits
    expect(sig.length).toBe(342);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const tweaked = alphabet[alphabet.indexOf(sig.at(-1)!) ^ 1]!; // decodes to the same bytes in a lenient decoder
    await expectRefused(h, token.slice(0, -1) + tweaked, 401, "token_malformed");
  });
});
