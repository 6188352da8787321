/** Strict base64url: one encoding per byte string, nothing else accepted. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url, isCanonicalBase64url } from "../../src/encoding/base64url.js";

const RUNS = { numRuns: 300, seed: 20261202 };

describe("strict base64url", () => {
  it("decodes what it encodes, for any bytes, and agrees with Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(isCanonicalBase64url(text)).toBe(true);
        expect(decodeBase64url(text)).toEqual(bytes);
      }),
      RUNS,
    );
  });

  it("refuses padding, whitespace, the standard alphabet and a length of 4n+1", () => {
    for (const bad of ["QQ==", "QU I", "QU+I", "QU/I", "QUJDR"]) {
      expect(decodeBase64url(bad), bad).toBeUndefined();
      expect(isCanonicalBase64url(bad), bad).toBe(false);
    }
  });

  it("refuses a non-canonical last character (unused bits set): one byte string has one encoding", () => {
    expect(decodeBase64url("QQ")).toEqual(new Uint8Array([0x41]));
    for (const twin of ["QR", "QS", "QT"]) expect(decodeBase64url(twin), twin).toBeUndefined();
    expect(decodeBase64url("QUI")).toEqual(new Uint8Array([0x41, 0x42]));
    expect(decodeBase64url("QUJ")).toBeUndefined();
  });
});
