/**
 * Fuzzing the DPoP proof header, a new hostile input: arbitrary strings, mutated real proofs and
 * headers built from JSON values. `authorize` never throws, never allows, and refuses with `dpop_invalid`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accessToken, authorizer, clientKey, proof, request } from "../binding/proof.js";
import { check } from "./runs.js";

const key = await clientKey();
const token = await accessToken({ jkt: key.jkt });
const good = await proof(key, token);
const auth = authorizer(undefined, { logger: { debug() {}, info() {}, warn() {}, error() {} } });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

async function refusedAsInvalid(dpop: string): Promise<void> {
  let req: Request;
  try {
    req = request(token, "DPoP", [dpop]);
  } catch {
    return; // Not a valid header value: no platform delivers it.
  }
  const d = await auth.authorize(req);
  expect(d.ok).toBe(false);
  if (!d.ok) expect(d.code).toBe("dpop_invalid");
}

describe("fuzzing the DPoP header", () => {
  it("refuses arbitrary strings", async () => {
    await check(fc.asyncProperty(fc.string({ maxLength: 300 }), refusedAsInvalid), 200);
  });

  it("refuses every one-character mutation of a real proof", async () => {
    const mutation = fc.tuple(fc.nat({ max: good.length - 1 }), fc.constantFrom(..."A_-.=+/ a0"));
    await check(
      fc.asyncProperty(mutation, async ([at, c]) => {
        const mutated = good.slice(0, at) + c + good.slice(at + 1);
        if (mutated !== good) await refusedAsInvalid(mutated);
      }),
      150,
    );
  });

  it("refuses proofs whose header and payload are arbitrary JSON", async () => {
    const [, , sig] = good.split(".");
    const header = fc.oneof(
      fc.jsonValue(),
      fc.record({ typ: fc.constant("dpop+jwt"), alg: fc.string(), jwk: fc.jsonValue() }),
    );
    await check(
      fc.asyncProperty(header, fc.jsonValue(), async (h, p) => refusedAsInvalid(`${b64(h)}.${b64(p)}.${sig}`)),
      150,
    );
  });
});
