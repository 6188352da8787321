/** `edge-jwt dpop`: proofs the authorizer accepts, for a key made by `edge-jwt keygen`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessToken, authorizer, request } from "../binding/proof.js";
import { cli } from "./run-cli.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edge-jwt-dpop-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("edge-jwt dpop", () => {
  it("prints the key's jkt and a proof the authorizer accepts once, for the method and URL given", async () => {
    expect((await cli(["keygen", "--alg", "ES256", "--out", dir])).code).toBe(0);
    const key = join(dir, "private.jwk.json");
    const jkt = (await cli(["dpop", "--key", key, "--jkt"])).stdout.trim();
    expect(jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = await accessToken({ jkt });
    const url = "https://api.example/orders/7?page=2";
    const r = await cli(["dpop", "--key", key, "--method", "post", "--url", url, "--token", token]);
    expect(r.code).toBe(0);
    const proof = r.stdout.trim();
    const auth = authorizer();
    const post = request(token, "DPoP", [proof], { method: "POST" }, url);
    expect((await auth.authorize(post)).ok).toBe(true);
    const again = await auth.authorize(request(token, "DPoP", [proof], { method: "POST" }, url));
    expect(again).toMatchObject({ ok: false, code: "dpop_invalid" });
    const get = await authorizer().authorize(request(token, "DPoP", [proof], {}, url));
    expect(get).toMatchObject({ ok: false, code: "dpop_invalid" });
  });

  it("refuses a public key file, and a missing --url, without printing key material", async () => {
    const pub = join(dir, "jwks.json");
    const r = await cli(["dpop", "--key", pub, "--url", "https://api.example/"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("private JWK");
    const noUrl = await cli(["dpop", "--key", join(dir, "private.jwk.json")]);
    expect(noUrl.stderr).toContain("--url");
  });
});
