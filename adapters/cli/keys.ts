/**
 * Signing keys on disk: generation, the private JWK file format, and the public JWKS.
 * The same format is used by `edge-jwt keygen --out` and by the development issuer (infra/local/.keys/).
 * @module
 */
import { readFileSync } from "node:fs";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { ALGORITHMS, DEFAULT_ALGORITHMS, publicJwk } from "../../src/index.js";
import { CliError } from "./errors.js";
import { echoable } from "./safe.js";

/** The algorithms `keygen` offers. */
export const KEYGEN_ALGORITHMS = ["ES256", "RS256", "EdDSA"] as const;
/** One of `KEYGEN_ALGORITHMS`. */
export type KeygenAlg = (typeof KEYGEN_ALGORITHMS)[number];

/** A private JWK as written by keygen: always has `kid`, `alg` and `use: "sig"`. */
export type PrivateJwk = JWK & { kid: string; alg: string; d: string };

/**
 * Generates a signing key pair. The `kid` defaults to the RFC 7638 thumbprint of the public key.
 *
 * @example
 * ```ts
 * const key = await generateSigningKey("ES256");
 * const jwks = publicJwks([key]);
 * ```
 */
export async function generateSigningKey(alg: KeygenAlg = "ES256", kid?: string): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  const jwk = await exportJWK(privateKey);
  const id = kid ?? (await calculateJwkThumbprint(toPublic(jwk)));
  return { ...jwk, kid: id, alg, use: "sig" } as PrivateJwk;
}

/** The public half of a JWK: its public material, with the `kid`, `alg` and `use` a JWKS publishes. */
function toPublic(jwk: JWK): JWK {
  const { kid, alg, use } = jwk;
  const meta = Object.entries({ kid, alg, use }).filter(([, v]) => v !== undefined);
  return { ...publicJwk(jwk), ...Object.fromEntries(meta) };
}

/** The public JWKS for a list of private keys. */
export function publicJwks(keys: JWK[]): { keys: JWK[] } {
  return { keys: keys.map(toPublic) };
}

/**
 * Reads a private key file: a private JWK, a JWKS holding one private key, or the JSON printed by
 * `edge-jwt keygen` (`{ "privateJwk": ..., "jwks": ... }`). The `alg` is inferred when absent.
 */
export function readPrivateKey(file: string): PrivateJwk {
  const name = echoable(file) ? `key file ${file}` : "the key file given to --key (or EDGE_JWT_KEY)";
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${name}: ${code === "ENOENT" ? "no such file" : (code ?? "not valid JSON")}`);
  }
  const candidates = candidateKeys(parsed).filter((k) => typeof k.d === "string");
  if (candidates.length !== 1)
    throw new CliError(
      `${name} must hold exactly one private JWK (found ${candidates.length}); ` +
        "create one with: edge-jwt keygen --out <dir>",
    );
  const jwk = candidates[0]!;
  const alg = jwk.alg ?? inferAlg(jwk);
  if (!alg) throw new CliError(`${name}: cannot tell the algorithm; add "alg" to the JWK`);
  return { ...jwk, alg, kid: jwk.kid ?? "" } as PrivateJwk;
}

function candidateKeys(value: unknown): JWK[] {
  if (typeof value !== "object" || value === null) return [];
  const v = value as Record<string, unknown>;
  if (typeof v.privateJwk === "object" && v.privateJwk !== null) return [v.privateJwk as JWK];
  if (Array.isArray(v.keys)) return v.keys.filter((k): k is JWK => typeof k === "object" && k !== null);
  return typeof v.kty === "string" ? [v as JWK] : [];
}

/** The first algorithm of the table this key can sign: RS256 for RSA, the curve's ES*, EdDSA. */
function inferAlg(jwk: JWK): string | undefined {
  return DEFAULT_ALGORITHMS.find((alg) => {
    const a = ALGORITHMS[alg]!;
    return a.kty === jwk.kty && (a.crv === undefined || a.crv === jwk.crv);
  });
}
