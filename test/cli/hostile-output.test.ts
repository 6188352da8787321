/**
 * What the CLI prints that it did not write: a hostile token's headers and claims never reach the
 * terminal as raw control characters (ESC/OSC/CSI sequences, C1 controls, bidi overrides, forged line
 * breaks), in every command and mode; and a token given in the wrong place (as an option value, as a
 * misspelt option, as the command) is never repeated in an error.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDevIssuer, type DevIssuer } from "../../infra/local/issuer.js";
import { cli, removeCliBundle, type CliResult } from "./run-cli.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

/** Raw characters that must never reach the terminal (the line feed is the CLI's own). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const TITLE = "\u001b]0;pwned\u0007";
const CLEAR = "\u001b[2J\u001b[H";
const C1 = "\u009b31m\u0085\u009d0;x\u009c";
const BIDI = "admin\u202egnp.exe";
const FORGED = "alice\nVALID: the token passed every check\r";
const HOSTILE = `${TITLE}${CLEAR}${C1}${BIDI}${FORGED}`;

let dir: string;
let issuer: DevIssuer;
let keyFile: string;
let token: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An unsigned-looking token made by hand: whatever header and payload, any signature. */
const handMade = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  `${b64(header)}.${b64(payload)}.${"A".repeat(86)}`;
const hostileHeaderToken = () =>
  handMade(
    { alg: "ES256", kid: HOSTILE, typ: HOSTILE },
    { iss: `https://idp.example/${HOSTILE}`, aud: [HOSTILE], sub: HOSTILE, exp: HOSTILE, nbf: 1 },
  );

function expectNoRawControl(r: CliResult): void {
  const out = `${r.stdout}${r.stderr}`;
  const found = RAW_CONTROL.exec(out);
  expect(
    found,
    found
      ? `raw U+${found[0].charCodeAt(0).toString(16).padStart(4, "0")} near ${JSON.stringify(out.slice(Math.max(0, found.index - 40), found.index + 10))}`
      : "",
  ).toBeNull();
  expect(out).not.toMatch(/^VALID: the token passed every check\\r/m);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "edge-jwt-cli-hostile-"));
  expect((await cli(["keygen", "--kid", "hostile-test", "--out", dir])).code).toBe(0);
  keyFile = join(dir, "private.jwk.json");
  issuer = await startDevIssuer({ port: 0, keysDir: dir });
  const minted = await cli([
    "token",
    "--key",
    keyFile,
    "--iss",
    issuer.url,
    "--aud",
    "api",
    "--sub",
    HOSTILE,
    "--claim",
    `note=${HOSTILE.replace(/\n/g, " ")}`,
    "--roles",
    BIDI,
  ]);
  expect(minted.code, minted.stderr).toBe(0);
  token = minted.stdout.trim();
});

afterAll(async () => {
  await issuer?.stop();
  rmSync(dir, { recursive: true, force: true });
  await removeCliBundle();
});

describe("a hostile token cannot drive the terminal", () => {
  it("edge-jwt inspect prints a sub with an OSC title sequence, a screen clear, C1 controls and a bidi override as escapes", async () => {
    const r = await cli(["inspect", token]);
    expect(r.code).toBe(0);
    expectNoRawControl(r);
    expect(r.stdout).toContain("\\u001b]0;pwned\\u0007");
    expect(r.stdout).toContain("\\u009b31m");
    expect(r.stdout).toContain("admin\\u202egnp.exe");
  });

  it("edge-jwt inspect --json escapes them too, and the JSON still reads back to the token's own claims", async () => {
    const r = await cli(["inspect", token, "--json"]);
    expect(r.code).toBe(0);
    expectNoRawControl(r);
    expect(JSON.parse(r.stdout).payload).toMatchObject({
      sub: HOSTILE,
      note: HOSTILE.replace(/\n/g, " ").trim(),
      roles: [BIDI],
    });
  });

  it("edge-jwt inspect escapes a hostile kid, typ and a non-numeric exp in the header and times", async () => {
    const r = await cli(["inspect", hostileHeaderToken()]);
    expect(r.code).toBe(0);
    expectNoRawControl(r);
    expect(r.stdout).toMatch(/exp {2}not a number \(.*\\u001b\]0;pwned/);
  });

  it("edge-jwt verify prints the verified claims of a hostile but valid token escaped, in JSON and as a checklist", async () => {
    const json = await cli(["verify", token, "--issuer", issuer.url, "--audience", "api", "--json"]);
    expect(json.code).toBe(0);
    expectNoRawControl(json);
    expect(JSON.parse(json.stdout).claims).toMatchObject({ sub: HOSTILE, roles: [BIDI] });
    const human = await cli(["verify", token, "--issuer", issuer.url, "--audience", "api", "--verbose"]);
    expect(human.code).toBe(0);
    expectNoRawControl(human);
  });

  it("edge-jwt verify escapes the hostile alg, kid, typ, iss, aud and exp it shows in the checklist of a refused token, and forges no line", async () => {
    const t = hostileHeaderToken();
    for (const args of [
      ["verify", t, "--issuer", issuer.url],
      ["verify", t, "--issuer", issuer.url, "--json"],
      ["verify", t, "--issuer", issuer.url, "--verbose"],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expectNoRawControl(r);
      expect(r.stdout.split("\n").filter((line) => line.startsWith("VALID"))).toEqual([]);
    }
    const human = await cli(["verify", t, "--issuer", issuer.url]);
    expect(human.stdout).toMatch(/^REFUSED: issuer_unknown\n/);
    expect(human.stdout).toContain(
      "(token typ: \\u001b]0;pwned\\u0007\\u001b[2J\\u001b[H\\u009b31m\\u0085\\u009d0;x\\u009cadmin\\u202egnp.exe",
    );
    expect(human.stdout).toContain("alice\\nVALID: the token passed every check\\r");
  });

  it("edge-jwt verify escapes an error message carrying hostile text", async () => {
    const r = await cli([
      "verify",
      `${b64({ alg: "ES256" })}.${b64({ iss: HOSTILE })}.${TITLE}`,
      "--issuer",
      issuer.url,
    ]);
    expectNoRawControl(r);
  });
});

describe("a token given in the wrong place is never repeated", () => {
  /** Every 8-character window of the token's signature segment. */
  const windows = (t: string) => {
    const signature = t.split(".")[2]!;
    return Array.from({ length: signature.length - 7 }, (_, i) => signature.slice(i, i + 8));
  };
  const expectNotRepeated = (r: CliResult, t: string) => {
    const out = `${r.stdout}${r.stderr}`;
    for (const w of windows(t)) expect(out.includes(w), `output repeats ${w}: ${out.slice(0, 300)}`).toBe(false);
  };

  const cases: Array<[string, (t: string) => string[], number, RegExp]> = [
    [
      "as the value of --issuer",
      (t) => ["verify", t, "--issuer", t],
      2,
      /^edge-jwt verify: --issuer must be an absolute URL, got the value given to --issuer\n$/,
    ],
    [
      "as the value of --issuer with no token argument",
      (t) => ["verify", "--issuer", t],
      2,
      /expects exactly one token argument/,
    ],
    [
      "as the value of --jwks-uri",
      (t) => ["verify", t, "--issuer", "https://idp.example/", "--jwks-uri", t],
      2,
      /--jwks-uri must be an absolute URL, got the value given to --jwks-uri/,
    ],
    [
      "as the value of --clock-tolerance",
      (t) => ["verify", t, "--issuer", "https://idp.example/", "--clock-tolerance", t],
      2,
      /--clock-tolerance must be a whole number, got the value given to --clock-tolerance/,
    ],
    [
      "among the --algorithms",
      (t) => ["verify", t, "--issuer", "https://idp.example/", "--algorithms", `ES256,${t}`],
      2,
      /--algorithms unknown algorithm the value given to --algorithms/,
    ],
    ["after a misspelt option", (t) => ["verify", t, "--isuer", t], 2, /--isuer is not an option of this command/],
    ["as an option name", (t) => ["inspect", `--${t}`], 2, /an argument starting with - is not an option/],
    ["glued to a misspelt option with =", (t) => ["verify", t, `--isuer=${t}`], 2, /--isuer is not an option/],
    ["as the command", (t) => [t, "--issuer", "https://idp.example/"], 2, /the first argument is not a command/],
    [
      "as the key file of edge-jwt token",
      (t) => ["token", "--key", t],
      2,
      /cannot read the key file given to --key \(or EDGE_JWT_KEY\): (no such file|ENAMETOOLONG)/,
    ],
    [
      "as the value of --exp",
      (t) => ["token", "--key", keyFile, "--exp", t],
      2,
      /--exp must be a duration like .* \(the value given is not repeated/,
    ],
    [
      "as a --claim without =",
      (t) => ["token", "--key", keyFile, "--claim", t],
      2,
      /--claim must be <name>=<value> \(the value given is not repeated/,
    ],
    [
      "as the --alg of edge-jwt keygen",
      (t) => ["keygen", "--alg", t],
      2,
      /--alg must be one of ES256, RS256, EdDSA \(the value given is not repeated/,
    ],
    [
      "inside the --out directory of edge-jwt keygen",
      (t) => ["keygen", "--out", join(keyFile, t)],
      2,
      /cannot write to the directory given to --out: ENOTDIR/,
    ],
    ["as a second token argument", (t) => ["inspect", t, t], 2, /expects exactly one token argument/],
  ];

  it.each(cases)("a token %s is not repeated in the error", async (_name, args, code, message) => {
    const r = await cli(args(token));
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expectNotRepeated(r, token);
  });

  it("a token given as --typ or --audience is not repeated in the checklist", async () => {
    const other = `${b64({ alg: "ES256", typ: "JWT" })}.${b64({ sub: "x" })}.${randomBytes(64).toString("base64url")}`;
    for (const [flag, code] of [
      ["--typ", "typ_invalid"],
      ["--audience", "audience_mismatch"],
    ] as const) {
      for (const json of [[], ["--json"]]) {
        const r = await cli(["verify", token, "--issuer", issuer.url, flag, other, ...json]);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(code);
        expect(r.stdout).toContain("(a token-like value, not shown)");
        expectNotRepeated(r, other);
      }
    }
  });

  it("short ordinary values are still quoted in errors", async () => {
    expect((await cli(["keygen", "--alg", "HS256"])).stderr).toContain(
      '--alg must be one of ES256, RS256, EdDSA, got "HS256"',
    );
    expect((await cli(["token", "--key", keyFile, "--exp", "soon"])).stderr).toContain('got "soon"');
    expect((await cli(["verify", "x.y.z", "--issuer", "idp.example"])).stderr).toContain(
      '--issuer must be an absolute URL, got "idp.example"',
    );
  });
});
