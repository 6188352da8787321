/**
 * Each provider's documented verification steps, one test per row (tables in `rows.ts`), against tokens
 * shaped as in `fixtures.ts`. The page each table comes from is named in its `describe`.
 */
import { describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import { REASONS, type ReasonCode } from "../../src/errors.js";
import * as F from "./fixtures.js";
import { PROVIDERS, type Provider, type RowOptions } from "./rows.js";

const code = (d: Decision) => (d.ok ? "ok" : d.code);

/** One RSA key for every row: key generation is the slow part, and each row builds its own authorizer. */
const sharedKey = F.rsaKey("row-kid");
/** Another RSA key under the same kid: its signatures must not verify. */
const otherKey = F.rsaKey("row-kid");

async function setup(p: Provider) {
  const key = await sharedKey;
  const routes: Record<string, unknown> = p.jwks ? { [p.jwks]: { keys: [key.jwk] } } : {};
  for (const iss of p.serves) {
    const base = iss.replace(/\/$/, "");
    routes[`${base}/.well-known/openid-configuration`] = { issuer: iss, jwks_uri: `${base}/jwks` };
    routes[`${base}/jwks`] = { keys: [key.jwk] };
  }
  if (p.page === "entra")
    routes["https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"] = {
      issuer: "https://login.microsoftonline.com/{tenantid}/v2.0",
      jwks_uri: p.jwks,
    };
  const config = { issuers: [p.issuer], ...(p.routes ? { routes: p.routes } : {}) };
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify(config) }), {
    fetch: F.servingFetch(routes),
    now: () => F.NOW * 1000,
    logger: silentLogger,
  });
  const send = (token: string, path = "/") =>
    authorizer.authorize(
      new Request(`https://api.example.com${path}`, {
        headers: p.tokenHeader ? { [p.tokenHeader]: token } : { authorization: `Bearer ${token}` },
      }),
    );
  return { key, send };
}

/** Signs as the row says: PS256 with a PS256 key of the same kid (so only the alg decides), HS512, or RS256. */
async function sign(key: F.ProviderKeys, claims: Record<string, unknown>, o: RowOptions = {}) {
  const header = o.header ?? {};
  const kid = (header.kid as string | undefined) ?? key.jwk.kid!;
  let token: string;
  if (header.alg === "PS256") {
    const { privateKey } = await generateKeyPair("PS256");
    token = await new SignJWT(claims).setProtectedHeader({ alg: "PS256", kid }).sign(privateKey);
  } else if (o.key === "hmac") {
    const secret = crypto.getRandomValues(new Uint8Array(64));
    token = await new SignJWT(claims).setProtectedHeader({ alg: "HS512", kid, typ: "JWT" }).sign(secret);
  } else token = await F.mint(o.key === "other" ? await otherKey : key, claims, header);
  return o.mangle ? o.mangle(token) : token;
}

for (const [title, p] of Object.entries(PROVIDERS)) {
  describe(title, () => {
    it("the documented token passes every row", async () => {
      const { key, send } = await setup(p);
      expect(code(await send(await sign(key, p.claims)))).toBe("ok");
    });
    it.each(p.rows)("row: %s", async (_row, change, expected, options) => {
      const { key, send } = await setup(p);
      const claims = Object.fromEntries(Object.entries({ ...p.claims, ...change }).filter(([, v]) => v !== undefined));
      const d = await send(await sign(key, claims, options), options?.path);
      expect(code(d)).toBe(expected);
      if (!d.ok) expect(d.status).toBe(REASONS[expected as ReasonCode].status);
    });
  });
}

describe("Clerk, Manual JWT verification: same-origin requests carry the token in the __session cookie", () => {
  it("reads __session", async () => {
    const p = Object.values(PROVIDERS).find((x) => x.page === "clerk")!;
    const { key } = await setup(p);
    const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify({ issuers: [p.issuer] }) }), {
      fetch: F.servingFetch({ [p.jwks!]: { keys: [key.jwk] } }),
      now: () => F.NOW * 1000,
      logger: silentLogger,
    });
    const token = await sign(key, p.claims);
    const d = await authorizer.authorize(
      new Request("https://app.example.com/", { headers: { cookie: `__session=${token}; __client_uat=1` } }),
    );
    expect(code(d)).toBe("ok");
  });
});
