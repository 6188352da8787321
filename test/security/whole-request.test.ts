/**
 * Whole-request attacks on the core: path readings that dodge a rule after our own normalisation,
 * `%2F` inside a `:param`, method and URL override headers, identity-header spellings, array claims
 * with commas, and credentials forwarded onward. Each asserts the exact status and reason code.
 */
import { describe, expect, it } from "vitest";
import { forwardHeaders, forwardUrl, isIdentityHeader } from "../../src/index.js";
import { pathReadings } from "../../src/routes/path-reading.js";
import { expectAllowed, fixture, mint, outcome } from "../routes/fixture.js";

/** A public area next to a protected admin area, a DELETE rule on a :param, and a public default. */
const ROUTES = {
  defaultAccess: "public",
  routes: [
    { path: "/public/*", access: "public" },
    { path: "/docs/*", access: "optional" },
    { path: "/admin/*", roles: ["admin"] },
    { path: "/orders/:id", methods: ["DELETE"], scopes: ["orders:delete"] },
  ],
};

/** Spellings of `/admin/users` that some origin reads as that path, each starting in `/public/`. */
export const DODGES = [
  "/public/..;/admin/users",
  "/public/..;jsessionid=x/admin/users",
  "/public/..%2Fadmin/users",
  "/public/..%2fadmin/users",
  "/public/..%5Cadmin/users",
  "/public/..%5cadmin/users",
  "/public/%2e%2e%2fadmin/users",
  "/public/%2E%2E%2Fadmin/users",
  "/public/%2e%2e%5cadmin/users",
  "/public/.%2e%2fadmin/users",
  "/public/..%252fadmin/users",
  "/public/%252e%252e%252fadmin/users",
  "/public/..%3B/admin/users",
  "/public/x/..%2F..%2Fadmin/users",
  "/public/%2e%2e/%2e%2e/admin/users",
  "/PUBLIC/..%2FADMIN/Users",
  "/public//..%2f/admin/users",
  "/public/..%2f%2fadmin/users",
  "/public;x/..;/admin/users",
  "/public/..\\admin/users",
];

describe("dot-segments that appear after our own normalisation", () => {
  it.each(DODGES)("an anonymous %s is refused as token_missing, as for /admin/users", async (path) => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", path))).toBe("401 token_missing");
  });

  it.each(DODGES)("a token without the admin role on %s gets 403 forbidden_claims", async (path) => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", path, await mint({ roles: ["user"] })))).toBe("403 forbidden_claims");
  });

  it("an admin still reaches a path that some origin reads as /admin/users", async () => {
    const f = await fixture(ROUTES);
    expectAllowed(await f.call("GET", "/public/..;/admin/users", await mint({ roles: ["admin"] })), "token");
  });

  it("an optional area dodge still needs the admin role: /docs/..%2Fadmin with a plain token is 403", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", "/docs/..%2Fadmin/x"))).toBe("401 token_missing");
    expect(outcome(await f.call("GET", "/docs/..%2Fadmin/x", await mint()))).toBe("403 forbidden_claims");
  });

  it("paths that stay inside the public area under every reading stay public", async () => {
    const f = await fixture(ROUTES);
    for (const path of [
      "/public/a%2Fb",
      "/public/a;b/c",
      "/public/a/../b",
      "/public/%41dmin",
      "/public/..%2Fpublic/x",
    ]) {
      expect(outcome(await f.call("GET", path)), path).toBe("pass:public");
    }
  });

  it("with a protected default, a dodge out of the public area needs a token", async () => {
    const f = await fixture({ routes: [{ path: "/public/*", access: "public" }] });
    expect(outcome(await f.call("GET", "/public/..%2Fsecret"))).toBe("401 token_missing");
  });
});

describe("%2F inside a :param", () => {
  it("DELETE /orders/42%2Fx falls under /orders/:id: without orders:delete it is 403 insufficient_scope", async () => {
    const f = await fixture(ROUTES);
    const d = await f.call("DELETE", "/orders/42%2Fx", await mint({ scope: "orders:read" }));
    expect(outcome(d)).toBe("403 insufficient_scope");
    expect(d.ok ? null : d.requiredScope).toBe("orders:delete");
  });

  it("DELETE /orders/42%2Fx anonymously is 401 token_missing, and with orders:delete it passes", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("DELETE", "/orders/42%2Fx"))).toBe("401 token_missing");
    expect(outcome(await f.call("DELETE", "/orders/42%2fx%5Cy", await mint({ scope: "orders:delete" })))).toBe(
      "pass:token",
    );
  });

  it("an encoded backslash, a ;param or a double-encoded slash in the id cannot dodge it either", async () => {
    const f = await fixture(ROUTES);
    for (const path of [
      "/orders/42%5Cx",
      "/orders/42;v=1",
      "/orders/42%252Fx",
      "/orders/x/..%2F42",
      "/orders/x;/..;/42",
    ]) {
      expect(outcome(await f.call("DELETE", path)), path).toBe("401 token_missing");
    }
  });
});

describe("origin-interpretation headers", () => {
  it.each(["x-http-method-override", "X-HTTP-Method", "x-method-override"])(
    "%s: DELETE on a POST is judged as DELETE too (401 token_missing)",
    async (name) => {
      const f = await fixture(ROUTES);
      expect(outcome(await f.call("POST", "/orders/42"))).toBe("pass:public");
      expect(outcome(await f.call("POST", "/orders/42", undefined, { [name]: "DELETE" }))).toBe("401 token_missing");
      expect(outcome(await f.call("POST", "/orders/42", await mint(), { [name]: "delete" }))).toBe(
        "403 insufficient_scope",
      );
    },
  );

  it("a _method=DELETE query parameter is judged as DELETE too", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("POST", "/orders/42?_method=DELETE"))).toBe("401 token_missing");
  });

  it.each(["x-original-url", "X-Rewrite-URL"])(
    "%s naming /admin/users on a public path is judged as /admin/users too",
    async (name) => {
      const f = await fixture(ROUTES);
      expect(outcome(await f.call("GET", "/public/x", undefined, { [name]: "/admin/users" }))).toBe(
        "401 token_missing",
      );
      expect(
        outcome(await f.call("GET", "/public/x", undefined, { [name]: "https://api.example/ADMIN/users?x=1" })),
      ).toBe("401 token_missing");
      expect(outcome(await f.call("GET", "/public/x", undefined, { [name]: "/public/..%2Fadmin/users" }))).toBe(
        "401 token_missing",
      );
    },
  );

  it("an unreadable X-Original-URL is refused as header_malformed (400)", async () => {
    const f = await fixture(ROUTES);
    expect(outcome(await f.call("GET", "/public/x", undefined, { "x-original-url": "http://[::1" }))).toBe(
      "400 header_malformed",
    );
  });

  it("more override methods than anyone needs are refused as header_malformed (400)", async () => {
    const f = await fixture(ROUTES);
    const many = ["A", "B", "C", "D", "E", "F", "G", "H", "I"].join(",");
    expect(outcome(await f.call("POST", "/public/x", undefined, { "x-http-method-override": many }))).toBe(
      "400 header_malformed",
    );
  });

  it("a CORS preflight that asks for another method is not passed as a preflight", async () => {
    const f = await fixture({ routes: [{ path: "/orders/:id", scopes: ["orders"] }] });
    const preflight = { origin: "https://app.example", "access-control-request-method": "DELETE" };
    expect(outcome(await f.call("OPTIONS", "/orders/1", undefined, preflight))).toBe("pass:preflight");
    expect(
      outcome(await f.call("OPTIONS", "/orders/1", undefined, { ...preflight, "x-http-method-override": "DELETE" })),
    ).toBe("401 token_missing");
  });

  it("forwardHeaders removes every override header, so the origin acts on the judged method and path", async () => {
    const f = await fixture(ROUTES);
    const decision = expectAllowed(await f.call("GET", "/public/x"), "public");
    const inbound = new Headers({
      "x-http-method-override": "DELETE",
      "x-http-method": "PUT",
      "x-method-override": "PATCH",
      "x-original-url": "/admin",
      "x-rewrite-url": "/admin",
      accept: "*/*",
    });
    expect([...forwardHeaders(inbound, decision).keys()]).toEqual(["accept"]);
  });
});

describe("identity headers in other spellings", () => {
  const spellings = [
    "x_auth_sub",
    "X_AUTH_SUB",
    "x-auth_sub",
    "x_auth-sub",
    "X.Auth.Sub",
    "x_auth_claims",
    "x~auth~role",
  ];

  it.each(spellings)("an inbound %s never reaches the origin", async (name) => {
    const f = await fixture(ROUTES);
    const token = await mint({ roles: ["admin"] });
    const decision = expectAllowed(await f.call("GET", "/admin/x", token), "token");
    const out = forwardHeaders(new Headers({ [name]: "admin", accept: "*/*" }), decision);
    expect(out.get(name)).toBeNull();
    expect(out.get("x-auth-sub")).toBe("alice");
    expect(isIdentityHeader(name)).toBe(true);
  });

  it("headers that only look alike are kept", () => {
    expect(["x-authorization", "xauth-sub", "x-auth", "x_author"].map(isIdentityHeader)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("mapped array claims", () => {
  it('["x,admin"] arrives as one element x%2Cadmin, never as two roles', async () => {
    const f = await fixture({ identity: { claimHeaders: { roles: "x-auth-roles" } } });
    const d = expectAllowed(await f.call("GET", "/api", await mint({ roles: ["x,admin", "user"] })), "token");
    expect(d.headers["x-auth-roles"]).toBe("x%2Cadmin,user");
    expect(d.headers["x-auth-roles"]!.split(",").map(decodeURIComponent)).toEqual(["x,admin", "user"]);
  });
});

describe("credentials onward", () => {
  const strip = { stripAuthorization: true, tokenSources: { query: "access_token", cookie: "session" } };

  it("with stripAuthorization, a query token is removed from the forwarded URL, other parameters kept", () => {
    expect(forwardUrl("https://api.example/x?a=1&access_token=abc.def.ghi&b=2", strip)).toBe(
      "https://api.example/x?a=1&b=2",
    );
    expect(forwardUrl("https://api.example/x?access_token=abc", { ...strip, stripAuthorization: false })).toBe(
      "https://api.example/x?access_token=abc",
    );
  });

  it("with stripAuthorization, the token cookie is removed from the forwarded Cookie header, other cookies kept", async () => {
    const f = await fixture(ROUTES);
    const decision = expectAllowed(await f.call("GET", "/public/x"), "public");
    const out = forwardHeaders(new Headers({ cookie: "theme=dark; session=abc.def.ghi; lang=en" }), decision, strip);
    expect(out.get("cookie")).toBe("theme=dark; lang=en");
    expect(forwardHeaders(new Headers({ cookie: "session=abc" }), decision, strip).get("cookie")).toBeNull();
  });
});

describe("reading a path is linear", () => {
  it("a 16 KB path of dot-segments and escapes gives at most four readings", () => {
    const path = "/public" + "/..%2F..;%252e%5c".repeat(1000);
    const readings = pathReadings(path);
    expect(readings.length).toBeLessThanOrEqual(4);
    expect(readings.every((r) => r.every((s) => !s.includes("\u0000")))).toBe(true);
  });
});
