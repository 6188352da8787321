/** The development issuer and demo origin behind `npm start`, on 127.0.0.1 with real HTTP. */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevIssuer, type DevIssuer } from "../../infra/local/issuer.js";
import { startDemoOrigin, type DemoOrigin } from "../../infra/local/origin.js";
import { busyMessage, PORTS } from "../../infra/local/ports.js";

let keysDir: string;
let issuer: DevIssuer;
let origin: DemoOrigin;

beforeAll(async () => {
  keysDir = mkdtempSync(join(tmpdir(), "edge-jwt-dev-keys-"));
  issuer = await startDevIssuer({ port: 0, keysDir });
  origin = await startDemoOrigin({ port: 0 });
});

afterAll(async () => {
  await issuer?.stop();
  await origin?.stop();
  rmSync(keysDir, { recursive: true, force: true });
});

describe("the development issuer", () => {
  it("creates its key on first start, private to its owner, and keeps it across restarts", async () => {
    const file = join(keysDir, "private.jwk.json");
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await startDevIssuer({ port: 0, keysDir });
    await again.stop();
    expect(again.key.kid).toBe(issuer.key.kid);
  });

  it("serves a discovery document pointing at its JWKS and token endpoint", async () => {
    const doc = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(doc).toMatchObject({
      issuer: issuer.url,
      jwks_uri: `${issuer.url}/jwks.json`,
      token_endpoint: `${issuer.url}/token`,
    });
    const jwks = (await (await fetch(`${issuer.url}/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: issuer.key.kid, alg: "ES256", use: "sig" });
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it("mints a token from a JSON body on POST /token that verifies against its JWKS", async () => {
    const res = await fetch(`${issuer.url}/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: "bob", scope: "read", roles: ["viewer"], tenant: "acme", expires_in: 120 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 120 });
    const jwks = createLocalJWKSet((await (await fetch(`${issuer.url}/jwks.json`)).json()) as never);
    const { payload, protectedHeader } = await jwtVerify(body.access_token, jwks, {
      issuer: issuer.url,
      audience: "api",
      typ: "at+jwt",
    });
    expect(payload).toMatchObject({ sub: "bob", scope: "read", roles: ["viewer"], tenant: "acme" });
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(protectedHeader.kid).toBe(issuer.key.kid);
  });

  it("answers 400 invalid_request to a body that is not a JSON object", async () => {
    const res = await fetch(`${issuer.url}/token`, { method: "POST", body: "[1,2]" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("says which port is busy and which variable or flag changes it", async () => {
    const port = Number(new URL(issuer.url).port);
    await expect(startDevIssuer({ port, keysDir })).rejects.toThrow(busyMessage(PORTS.issuer, port));
    expect(busyMessage(PORTS.issuer, port)).toBe(
      `port ${port} (issuer) is already in use on 127.0.0.1: stop what uses it, or choose another with ISSUER_PORT=<port> or --issuer-port <port>`,
    );
  });
});

describe("the demo origin", () => {
  it("echoes the identity headers, decodes x-auth-claims, and never echoes the Authorization header", async () => {
    const claims = Buffer.from(JSON.stringify({ sub: "alice", roles: ["admin"] })).toString("base64url");
    const res = await fetch(`${origin.url}/hello?x=1`, {
      headers: { authorization: "Bearer secret.token.value", "x-auth-sub": "alice", "x-auth-claims": claims },
    });
    const text = await res.text();
    expect(text).not.toContain("secret.token.value");
    expect(JSON.parse(text)).toMatchObject({
      method: "GET",
      path: "/hello?x=1",
      identity: { "x-auth-sub": "alice", "x-auth-claims": { sub: "alice", roles: ["admin"] } },
      authorizationForwarded: true,
    });
  });
});
