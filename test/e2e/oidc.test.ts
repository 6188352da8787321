/**
 * End to end with a real OpenID provider: `oidc-provider` issues RFC 9068 `at+jwt` access tokens by
 * client credentials with a resource indicator (the audience) and scopes; the Worker, in workerd under
 * wrangler, verifies them through OIDC discovery. The provider rotates its key, then goes away.
 */
import { join } from "node:path";
import { decodeProtectedHeader, type JWK } from "jose";
import { unstable_startWorker } from "wrangler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEchoOrigin, type EchoOrigin } from "../helpers/origin.js";
import { ROOT } from "../cli/run-cli.js";
import { CLIENT_ID, providerKey, RESOURCE, startProvider, type RunningProvider } from "./oidc-harness.js";

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;

let provider: RunningProvider;
let origin: EchoOrigin;
let worker: Worker;
let workerUrl: string;
let firstKey: JWK;
let secondKey: JWK;
let earlyToken: string;

const call = (path: string, token?: string, method = "GET") =>
  fetch(new URL(path, workerUrl), {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
const codeOf = async (res: Response) => ((await res.json()) as { code?: string }).code;

beforeAll(async () => {
  firstKey = await providerKey("provider-key-1");
  secondKey = await providerKey("provider-key-2");
  provider = await startProvider([firstKey]);
  origin = await startEchoOrigin();
  worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    bindings: {
      ORIGIN_URL: { type: "plain_text", value: origin.url },
      JWT_CONFIG: {
        type: "json",
        value: {
          // The API also accepts its client id as audience (a common setup): only the typ check then keeps ID tokens out.
          issuers: [{ issuer: provider.issuer, audience: [RESOURCE, CLIENT_ID], typ: ["at+jwt"] }],
          routes: [{ methods: ["POST"], path: "/orders/*", access: "protected", scopes: ["orders:write"] }],
        },
      },
    },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      remote: false,
      logLevel: "warn",
    },
    sendMetrics: false,
  });
  await worker.ready;
  workerUrl = (await worker.url).toString();
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await provider?.stop();
  await origin?.stop();
});

describe("the Worker in front of a real OpenID provider", () => {
  it("lets a client-credentials access token through, with the identity forwarded to the origin", async () => {
    earlyToken = await provider.accessToken("orders:read");
    expect(decodeProtectedHeader(earlyToken)).toMatchObject({ typ: "at+jwt", kid: "provider-key-1" });
    const res = await call("/orders/42", earlyToken);
    expect(res.status).toBe(200);
    const echoed = (await res.json()) as { headers: Record<string, string> };
    expect(echoed.headers["x-auth-sub"]).toBe(CLIENT_ID);
    expect(echoed.headers["x-auth-iss"]).toBe(provider.issuer);
    expect(JSON.parse(Buffer.from(echoed.headers["x-auth-claims"]!, "base64url").toString())).toMatchObject({
      aud: RESOURCE,
      scope: "orders:read",
      client_id: CLIENT_ID,
    });
    expect(provider.counts).toEqual({ discovery: 1, jwks: 1 });
  });

  it("answers 401 with a bare Bearer challenge when no token is sent", async () => {
    const res = await call("/orders/42");
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe("token_missing");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]*"$/);
  });

  it("answers 403 insufficient_scope when the token lacks the scope the route needs, and 200 when it has it", async () => {
    const refused = await call("/orders/42", earlyToken, "POST");
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe("insufficient_scope");
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(refused.headers.get("www-authenticate")).toContain('scope="orders:write"');
    const allowed = await call("/orders/42", await provider.accessToken("orders:read orders:write"), "POST");
    expect(allowed.status).toBe(200);
  });

  it("refuses the provider's ID token where access tokens are required (typ_invalid)", async () => {
    const idToken = await provider.idToken("alice");
    expect(decodeProtectedHeader(idToken).typ).not.toBe("at+jwt");
    const res = await call("/orders/42", idToken);
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe("typ_invalid");
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("accepts tokens signed with the new key after the provider rotates, with one JWKS refetch", async () => {
    const port = Number(new URL(provider.issuer).port);
    await provider.stop();
    provider = await startProvider([secondKey, firstKey], port, provider.counts);
    const jwksBefore = provider.counts.jwks;
    const rotated = await provider.accessToken("orders:read");
    expect(decodeProtectedHeader(rotated).kid).toBe("provider-key-2");
    expect((await call("/orders/7", rotated)).status).toBe(200);
    expect(provider.counts.jwks).toBe(jwksBefore + 1);
    expect((await call("/orders/7", earlyToken)).status).toBe(200); // the old key is still published
    expect((await call("/orders/7", await provider.accessToken("orders:read"))).status).toBe(200);
    expect(provider.counts.jwks).toBe(jwksBefore + 1);
  });

  it("keeps accepting tokens signed with known keys while the provider is down", async () => {
    const unseen = await provider.accessToken("orders:read"); // minted now, never shown to the Worker
    const counts = { ...provider.counts };
    await provider.stop();
    const res = await call("/orders/9", unseen);
    expect(res.status).toBe(200);
    expect(provider.counts).toEqual(counts);
  });
});
