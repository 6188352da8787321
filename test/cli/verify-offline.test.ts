/**
 * `edge-jwt verify` offline: against the jwks.json keygen writes (--jwks), one key file as JWK or PEM
 * (--key), or an HMAC secret (--secret); no issuer is running, so a fetch would fail (exit 3).
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./run-cli.js";

const ISS = "https://issuer.offline.example/";
let dir: string;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-jwt-offline-"));
  expect((await cli(["keygen", "--alg", "ES256", "--kid", "offline-1", "--out", dir])).code).toBe(0);
  const minted = await cli([
    "token",
    "--key",
    join(dir, "private.jwk.json"),
    "--iss",
    ISS,
    "--aud",
    "api",
    "--sub",
    "alice",
  ]);
  expect(minted.code).toBe(0);
  token = minted.stdout.trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("edge-jwt verify offline", () => {
  it("--jwks: against the jwks.json keygen wrote, with --iss and --aud as on edge-jwt token", async () => {
    const r = await cli(["verify", token, "--iss", ISS, "--aud", "api", "--jwks", join(dir, "jwks.json")]);
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([0, "VALID: the token passed every check"]);
  });

  it("--key: the private JWK file works (only its public part is used)", async () => {
    const r = await cli([
      "verify",
      token,
      "--issuer",
      ISS,
      "--audience",
      "api",
      "--key",
      join(dir, "private.jwk.json"),
    ]);
    expect(r.code).toBe(0);
  });

  it("--key: a PEM public key, and a key that did not sign it is signature_invalid (exit 1)", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = join(dir, "other.pem");
    writeFileSync(pem, publicKey.export({ type: "spki", format: "pem" }));
    const wrong = await cli(["verify", token, "--iss", ISS, "--aud", "api", "--key", pem, "--json"]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).code).toBe("signature_invalid");
    const signed = await new SignJWT({ sub: "bob" })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer(ISS)
      .setAudience("api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    expect((await cli(["verify", signed, "--iss", ISS, "--aud", "api", "--key", pem])).code).toBe(0);
  });

  it("--secret: an HS256 token checks against its secret; a wrong secret is signature_invalid", async () => {
    const secret = "s".repeat(32);
    const hs = await new SignJWT({ sub: "carol" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(ISS)
      .setAudience("api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(secret));
    expect((await cli(["verify", hs, "--iss", ISS, "--aud", "api", "--secret", secret])).code).toBe(0);
    const wrong = await cli(["verify", hs, "--iss", ISS, "--aud", "api", "--secret", "t".repeat(32), "--json"]);
    expect([wrong.code, JSON.parse(wrong.stdout).code]).toEqual([1, "signature_invalid"]);
    expect(wrong.stdout + wrong.stderr).not.toContain("t".repeat(32));
  });

  it("two key options at once is a usage error (exit 2); an unreadable file names the option, not the path", async () => {
    expect(
      (await cli(["verify", token, "--iss", ISS, "--jwks", join(dir, "jwks.json"), "--secret", "x".repeat(32)])).code,
    ).toBe(2);
    const missing = await cli(["verify", token, "--iss", ISS, "--key", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
    expect(JSON.parse(readFileSync(join(dir, "jwks.json"), "utf8")).keys[0].d).toBeUndefined();
  });
});

describe("edge-jwt token warns about what verify would refuse", () => {
  it("says so on stderr, still prints the token and exits 0", async () => {
    const r = await cli(["token", "--key", join(dir, "private.jwk.json"), "--sub", "alice", "--exp=-5m"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split(".")).toHaveLength(3);
    expect(r.stderr).toMatch(/warning: no --iss/);
    expect(r.stderr).toMatch(/warning: no --aud/);
    expect(r.stderr).toMatch(/warning: --exp is not in the future: verify refuses it as token_expired/);
  });

  it("is silent for a token verify accepts", async () => {
    const r = await cli(["token", "--key", join(dir, "private.jwk.json"), "--iss", ISS, "--aud", "api"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
  });
});

describe("edge-jwt token and verify take the same flag names", () => {
  it("a token minted with --issuer and --audience verifies with --issuer and --audience", async () => {
    const minted = await cli([
      "token",
      "--key",
      join(dir, "private.jwk.json"),
      "--issuer",
      ISS,
      "--audience",
      "api",
      "--sub",
      "bob",
    ]);
    expect([minted.code, minted.stderr]).toEqual([0, ""]);
    const claims = JSON.parse(Buffer.from(minted.stdout.trim().split(".")[1]!, "base64url").toString()) as {
      iss: string;
      aud: string;
    };
    expect([claims.iss, claims.aud]).toEqual([ISS, "api"]);
    const r = await cli([
      "verify",
      minted.stdout.trim(),
      "--issuer",
      ISS,
      "--audience",
      "api",
      "--jwks",
      join(dir, "jwks.json"),
    ]);
    expect(r.code).toBe(0);
  });

  it("--aud and --audience together make one audience list", async () => {
    const key = join(dir, "private.jwk.json");
    const minted = await cli(["token", "--key", key, "--iss", ISS, "--aud", "api", "--audience", "billing"]);
    const claims = JSON.parse(Buffer.from(minted.stdout.trim().split(".")[1]!, "base64url").toString()) as {
      aud: string[];
    };
    expect(claims.aud).toEqual(["api", "billing"]);
  });

  it("--iss and --issuer together is refused in one line, exit 2", async () => {
    const key = join(dir, "private.jwk.json");
    const r = await cli(["token", "--key", key, "--iss", ISS, "--issuer", "https://other.example/"]);
    expect([r.code, r.stdout, r.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(r.stderr).toContain("--iss or --issuer");
  });
});
