/**
 * What `authorize(request)` costs beyond `verify(token)`: URL parsing, token extraction, the route
 * rule, the scope check and the identity headers; and what an `onDecision` hook adds (the decision event
 * and its clock reads, with a hook that only counts). Measured with the same token (a cache hit, so the
 * difference is nothing but authorize's own work) and with fresh tokens. Requests are built before
 * timing: building a `Request` is the platform's cost, not ours.
 */
import type { SignatureVerifier } from "../../../src/index.js";
import { compare, round, sequential, type Measured, type Plan } from "../measure.js";
import type { Fixtures } from "../setup.js";
import { benchAuthorizer } from "./fresh.js";
import { revocationRows, type RevocationRows } from "./revocation.js";
import { assertionRows, type AssertionRows } from "./assertion.js";
import { dpopRows, type DpopRows } from "./dpop.js";

/** A realistic configuration: a public health route, a scoped route, one mapped claim header. */
export const AUTHORIZE_CONFIG = {
  routes: [
    { path: "/health", access: "public" },
    { path: "/orders/*", access: "protected", scopes: ["read"] },
  ],
  identity: { claimHeaders: { email: "x-auth-email" } },
};

export interface Overhead {
  sameToken: { verify: Measured; authorize: Measured; beyondVerifyUs: number; withHook: Measured; hookUs: number };
  freshTokens: { verify: Measured; authorize: Measured; beyondVerifyUs: number; primitive: string };
  /** `authorize` again, with a revocation list on. */
  revocation: RevocationRows;
  /** Minting the signed identity assertion for an allowed request, per key type. */
  assertion: AssertionRows;
  /** `authorize` with a DPoP proof checked, against plain Bearer. */
  dpop: DpopRows;
}

/** The request every `authorize()` row sends: a scoped route, a query, the headers a client sends. */
export const request = (token: string) =>
  new Request("https://api.example.com/orders/42?expand=items", {
    headers: { authorization: `Bearer ${token}`, "user-agent": "bench", accept: "application/json" },
  });

/** `authorize()` end to end against bare `verify()`, ES256 tokens. */
export async function authorizeOverhead(fx: Fixtures, plan: Plan, nodeVerifier?: SignatureVerifier): Promise<Overhead> {
  const tokens = fx.tokens.ES256;
  const one = tokens[0]!.token;
  const cached = await benchAuthorizer(fx, 10_000, undefined, AUTHORIZE_CONFIG);
  let events = 0;
  const hooked = await benchAuthorizer(fx, 10_000, undefined, AUTHORIZE_CONFIG, { onDecision: () => void events++ });
  const oneRequest = request(one);
  const decision = await cached.authorize(oneRequest);
  if (!decision.ok || decision.headers["x-auth-email"] !== "user0@example.com")
    throw new Error("authorize() refused the bench token");
  const same = await compare(
    [
      { name: "verify", batch: sequential(() => cached.verify(one)) },
      { name: "authorize", batch: sequential(() => cached.authorize(oneRequest)) },
      { name: "withHook", batch: sequential(() => hooked.authorize(oneRequest)) },
    ],
    plan,
  );
  if (events === 0) throw new Error("the onDecision hook was never called");

  // One authorizer per contender: a shared token cache would let one answer the other's next token.
  const half = Math.max(1, Math.floor(tokens.length / 2));
  const freshVerify = await benchAuthorizer(fx, half, nodeVerifier, AUTHORIZE_CONFIG);
  const freshAuthorize = await benchAuthorizer(fx, half, nodeVerifier, AUTHORIZE_CONFIG);
  const requests = tokens.map((t) => request(t.token));
  const at = (i: number) => i % tokens.length;
  const freshRows = await compare(
    [
      { name: "verify", batch: sequential((i) => freshVerify.verify(tokens[at(i)]!.token)) },
      { name: "authorize", batch: sequential((i) => freshAuthorize.authorize(requests[at(i)]!)) },
    ],
    plan,
  );
  const revocation = await revocationRows(fx, plan, request, AUTHORIZE_CONFIG, nodeVerifier);
  const assertion = await assertionRows(fx, plan, request, AUTHORIZE_CONFIG);
  const dpop = await dpopRows(plan, nodeVerifier);
  const beyond = (r: Record<string, Measured>) => round(r.authorize!.usPerOp - r.verify!.usPerOp, 2);
  return {
    sameToken: {
      verify: same.verify!,
      authorize: same.authorize!,
      beyondVerifyUs: beyond(same),
      withHook: same.withHook!,
      hookUs: round(same.withHook!.usPerOp - same.authorize!.usPerOp, 2),
    },
    freshTokens: {
      verify: freshRows.verify!,
      authorize: freshRows.authorize!,
      beyondVerifyUs: beyond(freshRows),
      primitive: nodeVerifier ? "node:crypto" : "Web Crypto",
    },
    revocation,
    assertion,
    dpop,
  };
}
