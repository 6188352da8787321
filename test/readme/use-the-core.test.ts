/**
 * The README's "Use the core" snippet, run as written (only the package name points at this checkout),
 * on Node, with `fetch` stubbed to play the issuer and the origin: a POST with a body and a query string
 * reaches the origin whole, and a request without a token is refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

/** The first ```ts block after a heading. */
function snippet(heading: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf(`\n${heading}\n`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error(`no ts snippet under ${heading}`);
  return block[1]!;
}

afterEach(() => vi.unstubAllGlobals());

describe("README: Use the core", () => {
  it("forwards a POST with its body and query to the origin, and refuses a request without a token", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    const issuer = "https://idp.example.com/";
    const seen: Array<{ url: string; method: string; body: string; auth: string | null }> = [];
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (request.url === `${issuer}.well-known/openid-configuration`)
        return Response.json({ issuer, jwks_uri: "https://idp.example.com/jwks" });
      if (request.url === "https://idp.example.com/jwks") return Response.json({ keys: [jwk] });
      seen.push({
        url: request.url,
        method: request.method,
        body: await request.text(),
        auth: request.headers.get("x-auth-sub"),
      });
      return new Response("from origin");
    });
    const dir = mkdtempSync(join(tmpdir(), "readme-"));
    const file = join(dir, "use-the-core.ts");
    const code = snippet("## Use the core").replace(
      /from "edge-jwt-authorizer"/,
      `from ${JSON.stringify(pathToFileURL(join(ROOT, "src/index.ts")).href)}`,
    );
    writeFileSync(file, code);
    const { default: handle } = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      default: (r: Request) => Promise<Response>;
    };
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: "alice" })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer(issuer)
      .setAudience("orders-api")
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const res = await handle(
      new Request("https://api.example/orders?page=2", {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "hello",
      }),
    );
    expect(await res.text()).toBe("from origin");
    expect(seen).toEqual([
      { url: "https://origin.internal/orders?page=2", method: "POST", body: "hello", auth: "alice" },
    ]);
    const refused = await handle(new Request("https://api.example/orders"));
    expect(refused.status).toBe(401);
  });
});
