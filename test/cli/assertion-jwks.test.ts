/** `edge-jwt assertion-jwks`: the public JWKS of the assertion key, as the Worker serves it. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromEnv, createAuthorizer } from "../../src/index.js";
import { cli } from "./run-cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edge-jwt-assertion-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("edge-jwt assertion-jwks", () => {
  it("prints the same public keys the authorizer serves for a key made by keygen, and no private member", async () => {
    expect((await cli(["keygen", "--alg", "EdDSA", "--kid", "assert-1", "--out", dir])).code).toBe(0);
    const r = await cli(["assertion-jwks", "--key", join(dir, "private.jwk.json")]);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { keys: Array<Record<string, unknown>> };
    const { readFileSync } = await import("node:fs");
    const key = readFileSync(join(dir, "private.jwk.json"), "utf8");
    const served = createAuthorizer(
      configFromEnv({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_ASSERTION_KEY: key }),
    ).assertionJwks();
    expect(printed).toEqual(served);
    expect(printed.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "assert-1", alg: "EdDSA", use: "sig" });
    expect(printed.keys[0]!.d).toBeUndefined();
  });

  it("refuses an RSA key with exit 2, naming the problem and never the key material", async () => {
    expect((await cli(["keygen", "--alg", "RS256", "--out", join(dir, "rsa")])).code).toBe(0);
    const r = await cli(["assertion-jwks", "--key", join(dir, "rsa", "private.jwk.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EC P-256 or OKP Ed25519/);
    const { d } = JSON.parse((await import("node:fs")).readFileSync(join(dir, "rsa", "private.jwk.json"), "utf8")) as {
      d: string;
    };
    expect(r.stderr + r.stdout).not.toContain(d.slice(0, 16));
  });

  it("without --key it is a usage error (exit 2)", async () => {
    writeFileSync(join(dir, "x.json"), "{}");
    expect((await cli(["assertion-jwks"])).code).toBe(2);
  });
});

describe("edge-jwt --version and help <command>", () => {
  it("--version prints the package version", async () => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
    const r = await cli(["--version"]);
    expect([r.code, r.stdout]).toEqual([0, `edge-jwt ${version}\n`]);
  });

  it("help <command> prints that command's help, as <command> --help does", async () => {
    const viaHelp = await cli(["help", "verify"]);
    const viaFlag = await cli(["verify", "--help"]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: edge-jwt verify/);
  });
});
