/** The development issuer mints DPoP-bound tokens: `dpop_jkt` in `POST /token` becomes `cnf.jkt`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevIssuer, type DevIssuer } from "../../infra/local/issuer.js";
import { clientKey } from "../binding/proof.js";

let keysDir: string;
let issuer: DevIssuer;

beforeAll(async () => {
  keysDir = mkdtempSync(join(tmpdir(), "edge-jwt-dev-keys-"));
  issuer = await startDevIssuer({ port: 0, keysDir });
});
afterAll(async () => {
  await issuer?.stop();
  rmSync(keysDir, { recursive: true, force: true });
});

describe("the development issuer and DPoP", () => {
  it("binds the token to dpop_jkt and says token_type DPoP; without it, Bearer", async () => {
    const { jkt } = await clientKey();
    const post = async (body: object) =>
      (await (await fetch(`${issuer.url}/token`, { method: "POST", body: JSON.stringify(body) })).json()) as {
        access_token: string;
        token_type: string;
      };
    const bound = await post({ sub: "alice", dpop_jkt: jkt });
    expect(bound.token_type).toBe("DPoP");
    expect(decodeJwt(bound.access_token)).toMatchObject({ sub: "alice", cnf: { jkt } });
    expect(decodeJwt(bound.access_token).dpop_jkt).toBeUndefined();
    const plain = await post({ sub: "alice" });
    expect(plain.token_type).toBe("Bearer");
    expect(decodeJwt(plain.access_token).cnf).toBeUndefined();
  });
});
