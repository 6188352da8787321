/**
 * `authorize(request)` with revocation on: a list of 1,000 entries at a URL (served from memory,
 * fetched once, then answered within its TTL), the same token repeated and fresh tokens, each timed
 * in interleaved rounds against the same authorizer with revocation off.
 */
import { createAuthorizer, type SignatureVerifier } from "../../../src/index.js";
import { compare, round, sequential, type Measured, type Plan } from "../measure.js";
import { benchAuthorizer } from "./fresh.js";
import { benchConfig, inMemoryJwksFetch, ISSUER, silentLogger, type Fixtures } from "../setup.js";

const LIST_URL = "https://issuer.bench.example/revoked.json";
export const LIST_ENTRIES = 1_000;

export interface RevocationRows {
  listEntries: number;
  sameToken: Measured;
  freshTokens: Measured;
  /** Microseconds per request over the same authorizer with revocation off (interleaved). */
  sameTokenAddedUs: number;
  freshTokensAddedUs: number;
}

/** A warmed authorizer with the list on; `config` is the rest of `JWT_CONFIG`. */
async function withList(
  fx: Fixtures,
  cacheTokens: number,
  config: Record<string, unknown>,
  verifySignature?: SignatureVerifier,
) {
  const revoked = Array.from({ length: LIST_ENTRIES }, (_, i) =>
    i % 2 ? { iss: ISSUER, jti: `revoked-${i}` } : { iss: ISSUER, sub: `gone-${i}`, before: 1 },
  );
  const body = JSON.stringify({ revoked });
  const jwks = inMemoryJwksFetch(fx.jwks);
  const fetcher = ((input: RequestInfo | URL, init?: RequestInit) =>
    String(input) === LIST_URL
      ? Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "application/json" } }))
      : jwks(input, init)) as typeof fetch;
  const authorizer = createAuthorizer(benchConfig(cacheTokens, { ...config, revocation: { url: LIST_URL } }), {
    fetch: fetcher,
    logger: silentLogger(),
    ...(verifySignature ? { verifySignature } : {}),
  });
  await authorizer.warmUp();
  return authorizer;
}

/** Same token and fresh ES256 tokens through `authorize` with the list on. */
export async function revocationRows(
  fx: Fixtures,
  plan: Plan,
  request: (token: string) => Request,
  config: Record<string, unknown>,
  verifySignature?: SignatureVerifier,
): Promise<RevocationRows> {
  const tokens = fx.tokens.ES256;
  const cached = await withList(fx, 10_000, config, verifySignature);
  const one = request(tokens[0]!.token);
  if (!(await cached.authorize(one)).ok) throw new Error("authorize() with revocation refused the bench token");
  const cachedOff = await benchAuthorizer(fx, 10_000, verifySignature, config);
  const half = Math.max(1, Math.floor(tokens.length / 2));
  const [fresh, freshOff] = [
    await withList(fx, half, config, verifySignature),
    await benchAuthorizer(fx, half, verifySignature, config),
  ];
  const requests = tokens.map((t) => request(t.token));
  const at = (i: number) => requests[i % requests.length]!;
  const same = await compare(
    [
      { name: "on", batch: sequential(() => cached.authorize(one)) },
      { name: "off", batch: sequential(() => cachedOff.authorize(one)) },
    ],
    plan,
  );
  const fresher = await compare(
    [
      { name: "on", batch: sequential((i) => fresh.authorize(at(i))) },
      { name: "off", batch: sequential((i) => freshOff.authorize(at(i))) },
    ],
    plan,
  );
  return {
    listEntries: LIST_ENTRIES,
    sameToken: same.on!,
    freshTokens: fresher.on!,
    sameTokenAddedUs: round(same.on!.usPerOp - same.off!.usPerOp, 2),
    freshTokensAddedUs: round(fresher.on!.usPerOp - fresher.off!.usPerOp, 2),
  };
}
