import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { generateKeyPairSync } from "node:crypto";
import { accessToken, authorizer, clientKey, proof, request, URL_ } from "./proof.js";

const key = await clientKey();
const other = await clientKey();
const bound = await accessToken({ jkt: key.jkt });
const plain = await accessToken();

let detail: unknown;
const logger = {
  debug() {},
  warn() {},
  error() {},
  info: (_: string, f?: Record<string, unknown>) => (detail = f?.detail),
};
const refused = async (req: Request, auth = authorizer(undefined, { logger })) => {
  const d = await auth.authorize(req);
  if (d.ok) throw new Error("allowed");
  return d;
};
/** The refusal's code and the log detail saying which check refused it. */
const why = async (req: Request) => {
  const d = await refused(req);
  return `${d.code}:${String(detail)}`;
};

describe("DPoP proofs (RFC 9449 4.3)", () => {
  it("accepts a bound token with a proof made by jose", async () => {
    const d = await authorizer().authorize(request(bound, "DPoP", [await proof(key, bound)]));
    expect(d.ok).toBe(true);
  });

  it("refuses the same proof twice", async () => {
    const auth = authorizer();
    const p = await proof(key, bound);
    expect((await auth.authorize(request(bound, "DPoP", [p]))).ok).toBe(true);
    const d = await refused(request(bound, "DPoP", [p]), auth);
    expect(d).toMatchObject({ status: 401, error: "invalid_dpop_proof", code: "dpop_invalid" });
    expect(d.wwwAuthenticate).toMatch(/^Bearer realm="api", DPoP algs="RS256 [^"]*EdDSA", error="invalid_dpop_proof"/);
  });

  it("refuses a wrong htm, another path and another host", async () => {
    const post = await proof(key, bound, { method: "POST" });
    expect(await why(request(bound, "DPoP", [post]))).toBe("dpop_invalid:htm");
    const path = await proof(key, bound, { url: "https://api.example/orders/8" });
    expect(await why(request(bound, "DPoP", [path]))).toBe("dpop_invalid:htu");
    const host = await proof(key, bound, { url: "https://evil.example/orders/7" });
    expect(await why(request(bound, "DPoP", [host]))).toBe("dpop_invalid:htu");
  });

  it("accepts a difference in the query or fragment only, and a normalized scheme and host", async () => {
    const p = await proof(key, bound, { url: "HTTPS://API.example:443/orders/7#x" });
    const d = await authorizer().authorize(request(bound, "DPoP", [p], {}, `${URL_}?page=2`));
    expect(d.ok).toBe(true);
  });

  it("refuses an old iat and one in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await proof(key, bound, { iat: now - 60 - 30 - 5 });
    expect(await why(request(bound, "DPoP", [old]))).toBe("dpop_invalid:iat window");
    const late = await proof(key, bound, { iat: now - 80 });
    expect((await authorizer().authorize(request(bound, "DPoP", [late]))).ok).toBe(true);
    const future = await proof(key, bound, { iat: now + 60 });
    expect(await why(request(bound, "DPoP", [future]))).toBe("dpop_invalid:iat window");
  });

  it("refuses a wrong ath", async () => {
    const p = await proof(key, bound, { ath: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU" });
    expect(await why(request(bound, "DPoP", [p]))).toBe("dpop_invalid:ath");
  });

  it("refuses a proof whose key is not the bound key", async () => {
    const p = await proof(other, bound);
    expect(await why(request(bound, "DPoP", [p]))).toBe("dpop_invalid:jkt");
    // The header names the bound key, the signature is another's.
    const forged = await proof(key, bound, { signer: other.privateKey });
    expect(await why(request(bound, "DPoP", [forged]))).toBe("dpop_invalid:signature_invalid");
  });

  it("refuses private members in the jwk", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = privateKey.export({ format: "jwk" });
    const k = { ...key, jwk };
    const p = await proof(k, bound, { signer: privateKey as never });
    expect(await why(request(bound, "DPoP", [p]))).toBe("dpop_invalid:jwk");
  });

  it("refuses none and HMAC proofs, and a wrong typ", async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "dpop+jwt", jwk: key.jwk })).toString("base64url")}.${
      (await proof(key, bound)).split(".")[1]
    }.`;
    expect(await why(request(bound, "DPoP", [none]))).toBe("dpop_invalid:alg");
    const secret = new TextEncoder().encode("k".repeat(32));
    const hmac = await new SignJWT({ jti: "h", htm: "GET", htu: URL_, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({
        alg: "HS256",
        typ: "dpop+jwt",
        jwk: { kty: "oct", k: "a2trazEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg" } as never,
      })
      .sign(secret);
    expect(await why(request(bound, "DPoP", [hmac]))).toBe("dpop_invalid:alg");
    const jwt = await proof(key, bound, { header: { typ: "JWT" } });
    expect(await why(request(bound, "DPoP", [jwt]))).toBe("dpop_invalid:typ");
  });

  it("refuses a bound token as Bearer, even with a proof (section 7)", async () => {
    const d = await refused(request(bound, "Bearer", [await proof(key, bound)]));
    expect(d).toMatchObject({ status: 401, error: "invalid_token", code: "dpop_required" });
    expect(d.wwwAuthenticate).toMatch(/^Bearer realm="api", DPoP algs="[^"]+", error="invalid_token"/);
  });

  it("refuses a bound token without a proof, and an unbound token with the DPoP scheme", async () => {
    expect(await why(request(bound, "DPoP"))).toBe("dpop_invalid:no proof");
    expect(await why(request(plain, "DPoP", [await proof(key, plain)]))).toBe("dpop_invalid:token not bound to a key");
  });

  it('refuses plain Bearer when the issuer has dpop "required", and accepts DPoP there', async () => {
    const auth = authorizer("required");
    const d = await refused(request(plain, "Bearer"), auth);
    expect(d.code).toBe("dpop_required");
    expect((await auth.authorize(request(bound, "DPoP", [await proof(key, bound)]))).ok).toBe(true);
    // Without a token at all, both challenges are offered, Bearer first.
    const missing = await refused(new Request(URL_), auth);
    expect(missing.wwwAuthenticate).toMatch(/^Bearer realm="api", DPoP algs="[^"]+"$/);
  });

  it("lets a plain Bearer token through by default, with no DPoP challenge on its refusals", async () => {
    expect((await authorizer().authorize(request(plain, "Bearer"))).ok).toBe(true);
    const d = await refused(request("x.y.z", "Bearer"));
    expect(d.wwwAuthenticate).not.toContain("DPoP");
  });

  it("refuses two DPoP headers, and two Authorization schemes", async () => {
    expect(await why(request(bound, "DPoP", [await proof(key, bound), await proof(key, bound)]))).toBe(
      "dpop_invalid:several proofs",
    );
    const both = new Request(URL_, {
      headers: [
        ["authorization", `DPoP ${bound}`],
        ["authorization", `Bearer ${plain}`],
      ],
    });
    expect((await refused(both)).code).toBe("token_ambiguous");
  });

  it("refuses an oversized proof before parsing it", async () => {
    const big = `${"a".repeat(5000)}.b.c`;
    expect(await why(request(bound, "DPoP", [big]))).toBe("dpop_invalid:proof too large");
  });
});
