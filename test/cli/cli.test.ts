import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDevIssuer, type DevIssuer } from "../../infra/local/issuer.js";
import { cli, removeCliBundle } from "./run-cli.js";

// Each test spawns real node processes; under a loaded machine (2 cores, other suites in parallel) give them room.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

interface Row {
  check: string;
  result: string;
  code?: string;
  fix?: string;
}
interface VerifyJson {
  valid: boolean;
  code?: string;
  checks: Row[];
  claims?: Record<string, unknown>;
}

let dir: string;
let issuer: DevIssuer;
let keyFile: string;
let token: string;

const mintArgs = (...extra: string[]) => [
  "token",
  "--key",
  keyFile,
  "--iss",
  issuer.url,
  "--aud",
  "api",
  "--sub",
  "alice",
  ...extra,
];
const verifyJson = async (t: string, ...extra: string[]) => {
  const r = await cli(["verify", t, "--issuer", issuer.url, "--audience", "api", "--json", ...extra]);
  return { ...r, json: JSON.parse(r.stdout) as VerifyJson };
};
const row = (json: VerifyJson, check: string) => json.checks.find((c) => c.check === check);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-jwt-cli-"));
  // keygen writes the key the in-process dev issuer then serves: the round trip of the issue.
  const keygen = await cli(["keygen", "--alg", "ES256", "--kid", "cli-test-key", "--out", dir]);
  expect(keygen.code).toBe(0);
  keyFile = join(dir, "private.jwk.json");
  issuer = await startDevIssuer({ port: 0, keysDir: dir });
  const minted = await cli(
    mintArgs(
      "--scope",
      "read write",
      "--roles",
      "admin",
      "--permissions",
      "orders:write",
      "--exp",
      "1h",
      "--claim",
      "tenant=acme",
      "--claim",
      "level=3",
    ),
  );
  expect(minted.code).toBe(0);
  token = minted.stdout.trim();
});

afterAll(async () => {
  await issuer?.stop();
  rmSync(dir, { recursive: true, force: true });
  await removeCliBundle();
});

describe("edge-jwt keygen", () => {
  it("writes a private JWK readable only by its owner and a public JWKS without private members", () => {
    const priv = JSON.parse(readFileSync(keyFile, "utf8"));
    const jwks = JSON.parse(readFileSync(join(dir, "jwks.json"), "utf8"));
    expect(priv).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", kid: "cli-test-key", use: "sig" });
    expect(typeof priv.d).toBe("string");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: "cli-test-key", alg: "ES256" });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it.each([
    ["RS256", "RSA"],
    ["EdDSA", "OKP"],
  ])("prints a %s key pair as JSON with a thumbprint kid", async (alg, kty) => {
    const r = await cli(["keygen", "--alg", alg]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.privateJwk).toMatchObject({ kty, alg });
    expect(out.privateJwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(out.jwks.keys[0].kid).toBe(out.privateJwk.kid);
    expect(out.jwks.keys[0].d).toBeUndefined();
  });

  it("refuses an algorithm it does not offer with one line and exit code 2", async () => {
    const r = await cli(["keygen", "--alg", "HS256"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--alg must be one of ES256, RS256, EdDSA");
  });
});

describe("edge-jwt token, then verify against the dev issuer", () => {
  it("prints the token alone on stdout", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it("accepts the minted token, with every check passed and the claims asked for", async () => {
    const { code, json, stderr } = await verifyJson(token, "--typ", "at+jwt");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(json.valid).toBe(true);
    expect(json.checks.map((c) => `${c.check}:${c.result}`)).toEqual(
      ["format", "alg", "iss", "kid", "signature", "typ", "claims", "exp", "nbf", "aud"].map((c) => `${c}:passed`),
    );
    expect(json.claims).toMatchObject({
      iss: issuer.url,
      aud: "api",
      sub: "alice",
      scope: "read write",
      roles: ["admin"],
      permissions: ["orders:write"],
      tenant: "acme",
      level: 3,
    });
    expect((json.claims!.exp as number) - (json.claims!.iat as number)).toBe(3600);
  });

  it("prints a readable checklist that says VALID and exits 0", async () => {
    const r = await cli(["verify", token, "--issuer", issuer.url, "--audience", "api"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID/);
    expect(r.stdout).toMatch(/PASS {2}signature/);
    expect(r.stdout).toMatch(/SKIP {2}typ/); // no --typ: not required
  });

  it("accepts a token from the dev issuer's POST /token, read from stdin", async () => {
    const res = await fetch(`${issuer.url}/token`, {
      method: "POST",
      body: JSON.stringify({ sub: "bob", scope: "read" }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const r = await cli(["verify", "-", "--issuer", issuer.url, "--audience", "api", "--json"], access_token);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).claims).toMatchObject({ sub: "bob", scope: "read" });
  });
});

describe("edge-jwt verify names each failure", () => {
  // [name, token and extra verify flags, accepted audience, reason code, failing check]
  const cases: Array<[string, () => Promise<string[]>, string, string, string]> = [
    [
      "an expired token",
      async () => [(await cli(mintArgs("--exp=-10m"))).stdout.trim()],
      "api",
      "token_expired",
      "exp",
    ],
    ["a token for another audience", async () => [token], "billing", "audience_mismatch", "aud"],
    [
      "a token from another issuer",
      async () => [
        (await cli(["token", "--key", keyFile, "--iss", "http://127.0.0.1:9/evil", "--aud", "api"])).stdout.trim(),
      ],
      "api",
      "issuer_unknown",
      "iss",
    ],
    [
      "a token whose signature was tampered with",
      async () => [tamperSignature(token)],
      "api",
      "signature_invalid",
      "signature",
    ],
    [
      "a token whose payload was changed",
      async () => [swapPayload(token, { iss: issuer.url, aud: "api", sub: "admin", exp: 9_999_999_999 })],
      "api",
      "signature_invalid",
      "signature",
    ],
    ["a malformed token", async () => ["not.a-token"], "api", "token_malformed", "format"],
    [
      "a token signed by a key the issuer does not publish",
      async () => [await foreignToken()],
      "api",
      "kid_unknown",
      "kid",
    ],
    [
      "a plain JWT where an access token is required",
      async () => [(await cli(mintArgs("--typ", "JWT"))).stdout.trim(), "--typ", "at+jwt"],
      "api",
      "typ_invalid",
      "typ",
    ],
  ];

  it.each(cases)("refuses %s with the reason code and a fix, exit 1", async (_name, input, audience, code, check) => {
    const [t, ...extra] = await input();
    const r = await cli(["verify", t!, "--issuer", issuer.url, "--audience", audience, "--json", ...extra]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as VerifyJson;
    expect(json.valid).toBe(false);
    expect(json.code).toBe(code);
    expect(row(json, check)).toMatchObject({ result: "failed", code });
    expect(row(json, check)!.fix!.length).toBeGreaterThan(10);
    expect(r.stdout + r.stderr).not.toContain(t!);
  });

  it("prints the failing check as FAIL with the reason code and a fix line in the readable output", async () => {
    const expired = (await cli(mintArgs("--exp=-10m"))).stdout.trim();
    const human = await cli(["verify", expired, "--issuer", issuer.url, "--audience", "api"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("REFUSED: token_expired");
    expect(human.stdout).toMatch(/PASS {2}signature/);
    expect(human.stdout).toMatch(/FAIL {2}exp +token_expired: \d{4}-.*\(10 min ago\)\n {8}fix: mint a new token/);
    expect(human.stdout).toMatch(/SKIP {2}aud +not reached/);
  });

  it("says keys_unavailable and exits 3 when the issuer cannot be reached", async () => {
    const gone = await startDevIssuer({ port: 0, keysDir: dir });
    const url = gone.url;
    await gone.stop();
    const t = (await cli(["token", "--key", keyFile, "--iss", url, "--aud", "api"])).stdout.trim();
    const r = await cli(["verify", t, "--issuer", url, "--audience", "api", "--json"]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, code: "keys_unavailable" });
  });
});

describe("edge-jwt inspect", () => {
  it("decodes the token and warns loudly on stderr that nothing was verified", async () => {
    const r = await cli(["inspect", token]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("NOT VERIFIED");
    expect(r.stdout).toContain('"sub": "alice"');
    expect(r.stdout).toMatch(/exp {2}\d{4}-\d\d-\d\dT.* \(in (59|60) min\)/);
  });

  it("prints verified: false in JSON", async () => {
    const r = await cli(["inspect", token, "--json"]);
    expect(r.stderr).toContain("NOT VERIFIED");
    expect(JSON.parse(r.stdout)).toMatchObject({
      verified: false,
      header: { alg: "ES256", kid: "cli-test-key", typ: "at+jwt" },
      payload: { sub: "alice" },
    });
  });

  it("says token_malformed in one line and exits 1 for something that is not a JWT", async () => {
    const r = await cli(["inspect", "abc.def"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(
      "edge-jwt inspect: token_malformed: a JWT has 3 dot-separated parts, this one has 2",
    );
  });
});

describe("usage", () => {
  it.each(["keygen", "token", "verify", "inspect"])(
    "edge-jwt %s --help prints its usage and exits 0",
    async (command) => {
      const r = await cli([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: edge-jwt ${command}`);
    },
  );

  it("edge-jwt --help lists every command", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["keygen", "token", "verify", "inspect"]) expect(r.stdout).toContain(`  ${c} `);
  });

  it.each([
    [["verify", "x.y.z"], "edge-jwt verify: --issuer <url> is required"],
    [["token", "--sub", "alice"], "edge-jwt token: --key <file> is required"],
    [
      ["token", "--key", "/nonexistent/key.json"],
      "edge-jwt token: cannot read key file /nonexistent/key.json: no such file",
    ],
    [["inspect", "--bogus", "x"], "edge-jwt inspect: --bogus is not an option of this command (see --help)"],
    [["frobnicate"], 'edge-jwt: unknown command "frobnicate"'],
    [["verify", "x.y.z", "--issuer", "http://idp.example/"], "edge-jwt verify: --issuer must be an https URL"],
  ])("%j fails with one line on stderr and exit code 2", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("never repeats a token given as a stray argument in its error", async () => {
    const r = await cli(["inspect", token, token]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(token);
  });
});

function tamperSignature(t: string): string {
  const [h, p, s] = t.split(".");
  const bytes = Buffer.from(s!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  return `${h}.${p}.${bytes.toString("base64url")}`;
}

function swapPayload(t: string, payload: Record<string, unknown>): string {
  const [h, , s] = t.split(".");
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
}

async function foreignToken(): Promise<string> {
  const other = join(dir, "other");
  await cli(["keygen", "--kid", "not-published", "--out", other]);
  return (
    await cli(["token", "--key", join(other, "private.jwk.json"), "--iss", issuer.url, "--aud", "api"])
  ).stdout.trim();
}
