/**
 * Fuzzing the token: headers and payloads built from arbitrary members (signed with a real key, an
 * unknown key, or not at all), their JSON text mutated (duplicates, whitespace, odd numbers), the
 * compact form mutated (padding, flipped characters, extra segments), and raw garbage. Whenever
 * `authorize` allows, the reference verifier (jose plus our documented checks) must accept too; it
 * never throws, never logs an unexpected error, and answers only 400/401/403 here (keys are reachable).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../../src/index.js";
import { bearer, harness, makeKey, type Harness, type SigningKey } from "../security/harness.js";
import { b64url, ISSUER, NOW_S, rawToken, signBytes, testKeys } from "../security/tokens.js";
import { check } from "./runs.js";
import { expectNoUnexpected, expectReferenceAgrees, expectSaneDecision, tryRequest } from "./common.js";

let h: Harness;
let typed: Harness;
let keys: { rsa: SigningKey; ec: SigningKey; stranger: SigningKey };

beforeAll(async () => {
  const { rsa, ec } = await testKeys();
  keys = { rsa, ec, stranger: await makeKey("ES256", "ec-1") };
  h = await harness();
  typed = await harness({ issuer: { typ: ["at+jwt"] } });
});

const time = fc.oneof(
  fc.constantFrom(NOW_S + 600, NOW_S - 100, NOW_S + 20, NOW_S - 20, NOW_S, 0, -1, NOW_S + 0.5, 2 ** 53, 1e21),
  fc.integer({ min: NOW_S - 100_000, max: NOW_S + 100_000 }),
  fc.jsonValue({ maxDepth: 1 }),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 4 });
const extra = fc.dictionary(
  fc.oneof(
    fc.constantFrom("jwk", "jku", "x5u", "x5c", "crit", "b64", "cty", "zip", "__proto__", "constructor"),
    fc.string(),
  ),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 2 },
);

/** Mostly `good`, sometimes anything `other` gives. */
const mostly = <T, U>(good: T, ...other: fc.Arbitrary<U>[]) =>
  fc.oneof({ weight: 5 * other.length, arbitrary: fc.constant(good) }, ...other);
const units = fc.oneof(
  fc.constantFrom("\r", "\n", "\u0000", "\u007f", "é", "💥", "\ud800", "\udfff", "%", ",", "=?utf-8?"),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const nasty = fc.array(units, { maxLength: 12 }).map((u) => u.join(""));

const headerArb = fc.record({
  alg: optional(
    mostly(
      "ES256",
      fc.constantFrom("ES256", "RS256", "none", "NONE", "HS256", "ES384", "PS256", "EdDSA"),
      fc.jsonValue({ maxDepth: 0 }),
    ),
  ),
  kid: optional(mostly("ec-1", fc.constantFrom("rsa-1", "", "EC-1", "ec-1\u0000"), fc.jsonValue({ maxDepth: 0 }))),
  typ: optional(fc.oneof(fc.constantFrom("JWT", "at+jwt", "application/at+jwt", "AT+JWT"), fc.string())),
  extra: mostly(undefined, extra),
});
const payloadArb = fc.record({
  iss: optional(
    mostly(ISSUER, fc.constantFrom("https://idp.example", "https://IDP.example/"), fc.jsonValue({ maxDepth: 0 })),
  ),
  aud: optional(
    mostly(
      "api",
      fc.constantFrom(["api"], ["other", "api"], ["api", 1], "API", ["api", null]),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  ),
  sub: optional(fc.oneof(nasty, fc.string({ unit: "binary" }), fc.jsonValue({ maxDepth: 1 }))),
  exp: optional(mostly(NOW_S + 600, time)),
  nbf: mostly(undefined, time),
  iat: optional(mostly(NOW_S, time)),
  extra: mostly(undefined, fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 })),
});

const clean = (o: Record<string, unknown>) => {
  const { extra: more, ...rest } = o;
  const out: Record<string, unknown> = { ...(more as object | undefined) };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  return out;
};

/** Text-level mutations of a JSON object's serialisation. */
const textMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((t: string) => t) },
  fc.constant((t: string) => t.replace(/^\{/, '{"alg":"none",')), // duplicate or extra alg
  fc.constant((t: string) => t.replace(/\}$/, ',"exp":1e400}')),
  fc.constant((t: string) => t.replace(/"exp":(\d+)/, '"exp":$1.0')),
  fc.constant((t: string) => t.replace(/"exp":(\d+)/, '"exp":$1e0')),
  fc.constant((t: string) => ` ${t.replace(/,/g, " ,\n")} `),
  fc.constant((t: string) => t.replace(/\}$/, ',"sub":"x"}')),
  fc.constant((t: string) => `[${t}]`),
  fc.constant((t: string) => t.slice(0, -1)),
  fc.constant((_t: string) => "{".repeat(40) + "}".repeat(40)),
);

/** Mutations of the compact form. */
const compactMutation = fc.oneof(
  { weight: 8, arbitrary: fc.constant((t: string) => t) },
  fc.constant((t: string) => `${t}=`),
  fc.constant((t: string) => t.replace(".", "=.")),
  fc.constant((t: string) => `${t}.`),
  fc.constant((t: string) => t.split(".").slice(0, 2).join(".") + "."),
  fc.constant((t: string) => t.replace(/-/, "+").replace(/_/, "/")),
  fc.constant((t: string) => t.slice(0, -1)),
  fc.constant((t: string) => t.slice(0, -1) + (t.endsWith("A") ? "B" : "A")),
  fc.constant((t: string) => ` ${t}`),
  fc.constant((t: string) => t.toUpperCase()),
);

const signer = mostly("ec", fc.constantFrom("rsa", "stranger", "none", "garbage"));

async function build(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  mutateHeader: (t: string) => string,
  mutatePayload: (t: string) => string,
  who: string,
  mutate: (t: string) => string,
): Promise<string> {
  const headerText = mutateHeader(JSON.stringify(header));
  const payloadText = mutatePayload(JSON.stringify(payload));
  let token: string;
  if (who === "none") token = await rawToken(headerText, payloadText);
  else if (who === "garbage") token = await rawToken(headerText, payloadText, { signature: b64url("garbage") });
  else {
    const key = keys[who as "ec" | "rsa" | "stranger"];
    // Sign with the key's own algorithm whatever the header says (an alg mismatch is a case too).
    const input = `${b64url(headerText)}.${b64url(payloadText)}`;
    token = `${input}.${b64url(await signBytes(key.alg, key.privateKey, new TextEncoder().encode(input)))}`;
  }
  return mutate(token);
}

async function judge(target: Harness, token: string): Promise<boolean> {
  const request = tryRequest("https://api.example/orders/1", { headers: { authorization: `Bearer ${token}` } });
  if (!request) return false;
  target.logs.length = 0;
  const decision = await target.authorizer.authorize(request);
  expectSaneDecision(decision);
  expectNoUnexpected(target);
  await expectReferenceAgrees(target, decision, token);
  return decision.ok;
}

describe("fuzz: tokens", () => {
  it("tokens from arbitrary headers and payloads, signed or not, mutated or not: allowed only if the reference accepts", async () => {
    let allowed = 0;
    await check(
      fc.asyncProperty(
        fc.tuple(headerArb, payloadArb, textMutation, textMutation, signer, compactMutation, fc.boolean()),
        async ([header, payload, mh, mp, who, mutate, useTyped]) => {
          const h0 = clean(header);
          const p0 = clean(payload);
          const token = await build(h0, p0, mh, mp, who, mutate);
          if (await judge(useTyped ? typed : h, token)) allowed++;
        },
      ),
      300,
    );
    expect(allowed).toBeGreaterThan(0);
  });

  it("a good token with one member replaced by an arbitrary value: allowed only if the reference accepts", async () => {
    const good = {
      header: { alg: "ES256", kid: "ec-1", typ: "at+jwt" } as Record<string, unknown>,
      payload: { iss: ISSUER, aud: "api", sub: "alice", iat: NOW_S, exp: NOW_S + 600 } as Record<string, unknown>,
    };
    let allowed = 0;
    await check(
      fc.asyncProperty(
        fc.constantFrom("header", "payload"),
        fc.constantFrom("alg", "kid", "typ", "iss", "aud", "sub", "iat", "exp", "nbf", "jwk", "crit", "b64", "x5c"),
        fc.option(fc.oneof(time, fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
        textMutation,
        compactMutation,
        fc.boolean(),
        async (part, member, value, mutateText, mutate, useTyped) => {
          const header = { ...good.header };
          const payload = { ...good.payload };
          const target = part === "header" ? header : payload;
          if (value === undefined) delete target[member];
          else target[member] = value;
          const token = await build(
            header,
            payload,
            part === "header" ? mutateText : (t) => t,
            part === "payload" ? mutateText : (t) => t,
            "ec",
            mutate,
          );
          const harnessUsed = useTyped ? typed : h;
          harnessUsed.logs.length = 0;
          const decision = await harnessUsed.authorizer.authorize(bearer(token));
          if (decision.ok) allowed++;
          expectSaneDecision(decision);
          expectNoUnexpected(harnessUsed);
          await expectReferenceAgrees(harnessUsed, decision, token);
        },
      ),
      300,
    );
    // The generator is not vacuous: some tokens pass.
    expect(allowed).toBeGreaterThan(0);
  });

  it("raw garbage, as a bearer token and through verify: refused with a documented code, never an exception", async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_\-=+/. ]{0,60}$/);
    const garbage = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join(".")),
      fc
        .array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 3 })
        .map((vs) => vs.map((v) => b64url(JSON.stringify(v))).join(".")),
      fc.nat({ max: 20_000 }).map((n) => "a".repeat(n)),
    );
    await check(
      fc.asyncProperty(garbage, async (token) => {
        h.logs.length = 0;
        await judge(h, token);
        try {
          await h.authorizer.verify(token);
        } catch (error) {
          expect(error).toBeInstanceOf(AuthError);
        }
        expectNoUnexpected(h);
      }),
      300,
    );
  });
});
