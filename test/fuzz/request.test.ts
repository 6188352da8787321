/**
 * Fuzzing what a request carries besides the token's bytes: the Authorization header, the cookie and
 * query sources, methods, override headers and paths (route matching), with tokens whose claims hold
 * control characters, non-ASCII and lone surrogates. `authorize` never throws, answers only documented
 * statuses, and every identity header it forwards is printable ASCII.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { harness, jsonToken, testKeys, type Harness } from "../security/harness.js";
import { goodClaims } from "../security/tokens.js";
import { ROUTES } from "../aws/routes.js";
import { check } from "./runs.js";
import { expectNoUnexpected, expectReferenceAgrees, expectSaneDecision, tryRequest } from "./common.js";

const NASTY = [
  "\r\nx-auth-sub: admin",
  "\u0000",
  "é",
  "💥",
  "\ud800",
  "a,b",
  "%2C",
  "=?utf-8?B?x?=",
  " ",
  "\t",
  "\u2028",
  "\u007f",
];

let h: Harness;
let tokens: string[];

beforeAll(async () => {
  const { ec } = await testKeys();
  h = await harness({
    env: {
      JWT_CONFIG: JSON.stringify({
        routes: ROUTES,
        tokenSources: { cookie: "session", query: "access_token" },
        identity: { claimHeaders: { email: "x-auth-email", roles: "x-auth-roles", org: "x-auth-org" } },
      }),
    },
  });
  tokens = await Promise.all(
    NASTY.map((s, i) =>
      jsonToken(
        ec,
        goodClaims({
          sub: `u${s}`,
          email: `${s}@x`,
          roles: [s, "admin"],
          org: { s },
          scope: i % 2 ? "admin orders:read" : "x",
        }),
      ),
    ),
  );
});

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get", "PROPFIND", "CONNECTX"];
const PIECES = [
  "health",
  "admin",
  "ADMIN",
  "orders",
  "42",
  "reports",
  "..",
  ".",
  "",
  ";",
  "%2F",
  "%2e",
  "%25",
  "%00",
  "\\",
  "%C3%A9",
  "é",
];
const path = fc.oneof(
  fc
    .array(
      fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }).map((p) => p.join("")),
      {
        minLength: 1,
        maxLength: 5,
      },
    )
    .map((s) => `/${s.join("/")}`),
  fc.string({ maxLength: 40 }).map((s) => `/${encodeURI(s.replace(/[\ud800-\udfff]/g, ""))}`),
);

describe("fuzz: request sources, methods, paths and identity headers", () => {
  it("any mix of Authorization, cookie, query, method, override headers and path: a documented answer, safe headers", async () => {
    const token = fc.nat({ max: NASTY.length - 1 }).map((i) => tokens[i]!);
    const garbage = fc.string({ maxLength: 30 });
    const authorization = fc.option(
      fc.oneof(
        token.map((t) => `Bearer ${t}`),
        token.map((t) => `bEaReR    ${t}`),
        token.map((t) => t),
        token.map((t) => `Bearer ${t}, Bearer ${t}`),
        token.map((t) => `DPoP ${t}`),
        garbage.map((g) => `Bearer ${g}`),
        garbage,
        fc.constantFrom("Basic YTpi", "Bearer", "Bearer ", "Bearer a.b.c"),
      ),
      { nil: undefined },
    );
    const cookie = fc.option(
      fc.oneof(
        token.map((t) => `session=${t}`),
        token.map((t) => `a=1; session=${t}; session=x`),
        garbage.map((g) => `session=${g}`),
        garbage,
      ),
      { nil: undefined },
    );
    const query = fc.option(
      fc.oneof(
        token.map((t) => `access_token=${t}`),
        token.map((t) => `access_token=${t}&access_token=x`),
        garbage.map((g) => `access_token=${encodeURIComponent(g.replace(/[\ud800-\udfff]/g, ""))}`),
        fc.constantFrom("_method=DELETE", "access_token=", "x=%zz"),
      ),
      { nil: undefined },
    );
    const override = fc.option(
      fc.tuple(
        fc.constantFrom("x-http-method-override", "x-http-method", "x-method-override", "X-HTTP-Method-Override"),
        fc.oneof(fc.constantFrom(...METHODS), garbage, fc.constant("GET, DELETE")),
      ),
      { nil: undefined },
    );
    const method = fc.oneof(fc.constantFrom(...METHODS), fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/));
    let allowed = 0;
    await check(
      fc.asyncProperty(
        fc.record({ authorization, cookie, query, override, method, path, inbound: fc.boolean() }),
        async (r) => {
          const headers = new Headers();
          const url = `https://api.example${r.path}${r.query ? `?${r.query}` : ""}`;
          const init: RequestInit = { method: r.method, headers };
          try {
            if (r.authorization !== undefined) headers.set("authorization", r.authorization);
            if (r.cookie !== undefined) headers.set("cookie", r.cookie);
            if (r.override) headers.set(r.override[0], r.override[1]);
            if (r.inbound) headers.set("x-auth-sub", "admin");
          } catch {
            return; // bytes the platform refuses in a header never reach an authorizer
          }
          const request = tryRequest(url, init);
          if (!request) return;
          h.logs.length = 0;
          const decision = await h.authorizer.authorize(request);
          if (decision.ok) allowed++;
          expectSaneDecision(decision);
          expectNoUnexpected(h);
          const used = [r.authorization, r.cookie, r.query].join(" ");
          if (decision.ok && decision.reason === "token") {
            const t = tokens.find((t) => used.includes(t));
            expect(t, "allowed with a token the request did not carry").toBeDefined();
            await expectReferenceAgrees(h, decision, t!);
          }
        },
      ),
      400,
    );
    expect(allowed).toBeGreaterThan(0);
  });
});
