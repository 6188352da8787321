/**
 * Minting the signed identity assertion: one signature per allowed request (each has its own `jti`),
 * timed for each accepted key type, through `authorizer.assertion()` as the Worker and Vercel call it.
 */
import { exportJWK, generateKeyPair } from "jose";
import type { Allowed } from "../../../src/index.js";
import { compare, sequential, type Measured, type Plan } from "../measure.js";
import { benchAuthorizer } from "./fresh.js";
import type { Fixtures } from "../setup.js";

export interface AssertionRows {
  ES256: Measured;
  EdDSA: Measured;
}

async function minter(fx: Fixtures, alg: "ES256" | "EdDSA", config: Record<string, unknown>) {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  const key = { ...(await exportJWK(privateKey)), kid: `bench-${alg}` };
  return benchAuthorizer(fx, 10_000, undefined, config, {}, { JWT_ASSERTION_KEY: JSON.stringify(key) });
}

/** `assertion(decision, method, url)` for an allowed decision, ES256 and EdDSA, interleaved. */
export async function assertionRows(
  fx: Fixtures,
  plan: Plan,
  request: (token: string) => Request,
  config: Record<string, unknown>,
): Promise<AssertionRows> {
  const [es, ed] = [await minter(fx, "ES256", config), await minter(fx, "EdDSA", config)];
  const one = request(fx.tokens.ES256[0]!.token);
  const decision = (await es.authorize(one)) as Allowed;
  if (!decision.ok || !(await es.assertion(decision, "GET", "https://origin.example/orders/42")))
    throw new Error("no assertion was minted for the bench token");
  const rows = await compare(
    [
      { name: "ES256", batch: sequential(() => es.assertion(decision, "GET", "https://origin.example/orders/42")) },
      { name: "EdDSA", batch: sequential(() => ed.assertion(decision, "GET", "https://origin.example/orders/42")) },
    ],
    plan,
  );
  return { ES256: rows.ES256!, EdDSA: rows.EdDSA! };
}
