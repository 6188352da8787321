/** The verified-token cache never outlives the key that signed the token. */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALLOWED,
  KID_UNKNOWN,
  authorizerFor,
  fakeIssuer,
  makeClock,
  makeKey,
  mint,
  outcome,
  type TestKey,
} from "./fixtures.js";

let a: TestKey;
let b: TestKey;
beforeAll(async () => {
  a = await makeKey("key-a");
  b = await makeKey("key-b");
});

describe("the token cache and key rotation", () => {
  it("refuses a cached token once the refreshed JWKS no longer has its key", async () => {
    const idp = fakeIssuer([a.jwk, b.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    const token = await mint(a, clock, {}, {});
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    idp.keys = [b.jwk];
    clock.advance(600_000); // the default TTL: the next key lookup refreshes the JWKS
    expect(await outcome(authorizer, await mint(b, clock))).toEqual(ALLOWED);
    expect(await outcome(authorizer, token)).toEqual(KID_UNKNOWN);
  });

  it("keeps answering a cached token from the cache while its key is still published", async () => {
    const idp = fakeIssuer([a.jwk]);
    const clock = makeClock();
    const { authorizer } = authorizerFor(idp, clock);
    const token = await mint(a, clock);
    expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    const fetches = idp.calls.length;
    for (let i = 0; i < 5; i++) expect(await outcome(authorizer, token)).toEqual(ALLOWED);
    expect(idp.calls).toHaveLength(fetches);
  });
});
