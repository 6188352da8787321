/** `edge-jwt revoke`: the KV key and value, the wrangler command and the list entry, in process. */
import { describe, expect, it } from "vitest";
import { main } from "../../adapters/cli/main.js";
import { keyValueRevocationStore } from "../../src/index.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stdin: async () => "" };
  const code = await main(["revoke", ...argv], io);
  return { code, out, err };
}
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const token = (payload: Record<string, unknown>) => `${b64({ alg: "ES256" })}.${b64(payload)}.${"A".repeat(86)}`;

describe("edge-jwt revoke", () => {
  it("prints the jti key, its value, the wrangler command and the list entry", async () => {
    const { code, out } = await run("--iss", "https://idp.example/", "--jti", "it's");
    expect(code).toBe(0);
    expect(out).toBe(
      [
        "KV key:     jti:https://idp.example/|it's",
        "KV value:   1",
        "wrangler:   npx wrangler kv key put --binding JWT_REVOCATION_KV 'jti:https://idp.example/|it'\\''s' '1' --remote",
        'list entry: {"iss":"https://idp.example/","jti":"it\'s"}',
        "",
      ].join("\n"),
    );
  });

  it("prints a sub key whose value the core's key-value store reads as the before time", async () => {
    const { code, out } = await run(
      "--iss",
      "https://idp.example/",
      "--sub",
      "alice",
      "--before",
      "1800000000",
      "--json",
    );
    expect(code).toBe(0);
    const printed = JSON.parse(out) as { key: string; value: string; entry: unknown };
    expect(printed).toMatchObject({ key: "sub:https://idp.example/|alice", value: "1800000000" });
    expect(printed.entry).toEqual({ iss: "https://idp.example/", sub: "alice", before: 1_800_000_000 });
    const kv = new Map([[printed.key, printed.value]]);
    const store = keyValueRevocationStore(async (k) => kv.get(k) ?? null);
    expect(await store.isRevoked({ iss: "https://idp.example/", sub: "alice", iat: 1_799_999_999 })).toBe(true);
    expect(await store.isRevoked({ iss: "https://idp.example/", sub: "alice", iat: 1_800_000_000 })).toBe(false);
  });

  it("reads iss and jti (or sub) from a token, and lets the jti key expire with it", async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const t = token({ iss: "https://idp.example/", jti: "j9", sub: "bob", exp });
    const byJti = JSON.parse((await run(t, "--json")).out) as { key: string; command: string };
    expect(byJti.key).toBe("jti:https://idp.example/|j9");
    expect(byJti.command).toContain(`--expiration ${exp}`);
    const bySub = JSON.parse((await run(t, "--whole-subject", "--json")).out) as { key: string };
    expect(bySub.key).toBe("sub:https://idp.example/|bob");
  });

  it.each([
    [["--iss", "https://idp.example/"], /exactly one of --jti and --sub/],
    [["--jti", "a"], /--iss is required/],
    [["--iss", "i", "--jti", "a", "--before", "0"], /--before goes with --sub only/],
    [["--iss", "i", "--sub", "a", "--before", "soon"], /--before must be a duration/],
    [[token({ iss: "i" })], /no string iss and jti/],
  ])("refuses %j with one line and exit code 1 or 2", async (argv, message) => {
    const { code, out, err } = await run(...argv);
    expect([1, 2]).toContain(code);
    expect(out).toBe("");
    expect(err).toMatch(message);
    expect(err.trim().split("\n")).toHaveLength(1);
  });
});
