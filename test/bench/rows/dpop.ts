/**
 * What a DPoP check costs in `authorize(request)`: the same bound token (a verified-token cache hit)
 * sent with a proof, against the same request as plain Bearer without DPoP. The proof is checked in
 * full every time (strict parsing, public-key import, ES256 signature, `ath` and thumbprint hashes);
 * the replay store answers "new" without remembering, so one proof can be timed again and again (the
 * in-memory store adds one Map lookup and insert). The clock is fixed, so the proof stays in its window.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { createHash } from "node:crypto";
import { configFromEnv, createAuthorizer, type SignatureVerifier } from "../../../src/index.js";
import { compare, round, sequential, type Measured, type Plan } from "../measure.js";
import { silentLogger } from "../setup.js";

const ISSUER = "https://issuer.bench.example/";
const SECRET = "bench-secret-that-is-long-enough-for-hs256";
const URL_ = "https://api.example.com/orders/42";

export interface DpopRows {
  /** Plain Bearer, unbound token. */
  bearer: Measured;
  /** DPoP scheme, bound token, one ES256 proof checked in full. */
  dpop: Measured;
  /** Microseconds the DPoP check adds per request. */
  addedUs: number;
}

export async function dpopRows(plan: Plan, verifySignature?: SignatureVerifier): Promise<DpopRows> {
  const now = Math.floor(Date.now() / 1000);
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  const hmac = new TextEncoder().encode(SECRET);
  const token = async (cnf?: object) =>
    new SignJWT({ iss: ISSUER, aud: "api", sub: "alice", ...(cnf ? { cnf } : {}) })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(hmac);
  const bound = await token({ jkt: await calculateJwkThumbprint(jwk, "sha256") });
  const plain = await token();
  const ath = createHash("sha256").update(bound).digest("base64url");
  const proof = await new SignJWT({ jti: "bench", htm: "GET", htu: URL_, iat: now, ath })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
    .sign(privateKey);
  const authorizer = createAuthorizer(configFromEnv({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_SECRET: SECRET }), {
    now: () => now * 1000,
    logger: silentLogger(),
    replayStore: { seen: () => false },
    ...(verifySignature ? { verifySignature } : {}),
  });
  const dpopRequest = new Request(URL_, { headers: { authorization: `DPoP ${bound}`, dpop: proof } });
  const bearerRequest = new Request(URL_, { headers: { authorization: `Bearer ${plain}` } });
  for (const r of [dpopRequest, bearerRequest])
    if (!(await authorizer.authorize(r)).ok) throw new Error("authorize() refused the DPoP bench request");
  const rows = await compare(
    [
      { name: "dpop", batch: sequential(() => authorizer.authorize(dpopRequest)) },
      { name: "bearer", batch: sequential(() => authorizer.authorize(bearerRequest)) },
    ],
    plan,
  );
  return { bearer: rows.bearer!, dpop: rows.dpop!, addedUs: round(rows.dpop!.usPerOp - rows.bearer!.usPerOp, 2) };
}
