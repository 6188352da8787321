/**
 * Which rule a request falls under: exact paths beat `:params`, which beat `/*` wildcards; more literal
 * segments and longer prefixes win; a rule naming methods beats one that does not; the earlier rule
 * wins a tie. And how request paths are normalised before matching (see the doc comment of
 * src/routes/path-reading.ts).
 *
 * Every rule here requires a scope named after itself, and the token holds none, so the refusal's
 * `requiredScope` says which rule matched; `public` rules answer "public", and "default" means no rule.
 */
import { describe, expect, it } from "vitest";
import type { Fixture } from "./fixture.js";
import { fixture, mint } from "./fixture.js";

type Rule = { name: string; path: string; methods?: string[]; access?: "public" };

async function setup(rules: Rule[]): Promise<{ f: Fixture; which: (method: string, path: string) => Promise<string> }> {
  const f = await fixture({
    routes: rules.map(({ name, path, methods, access }) => ({
      path,
      ...(methods ? { methods } : {}),
      ...(access ? { access } : { scopes: [name] }),
    })),
  });
  const token = await mint({ scope: "nothing" });
  const which = async (method: string, path: string) => {
    const d = await f.call(method, path, token);
    if (d.ok) return d.reason === "public" ? "public" : "default";
    return d.requiredScope ?? `${d.status} ${d.code}`;
  };
  return { f, which };
}

describe("rule precedence", () => {
  const rules: Rule[] = [
    { name: "wild", path: "/orders/*" },
    { name: "param", path: "/orders/:id" },
    { name: "delete-param", path: "/orders/:id", methods: ["DELETE"] },
    { name: "export", path: "/orders/export", access: "public" },
    { name: "items", path: "/orders/:id/items" },
    { name: "api", path: "/api/*" },
    { name: "api-admin", path: "/api/admin/*" },
    { name: "deep-literal", path: "/a/:x/c" },
    { name: "deep-param", path: "/a/:x/:y" },
    { name: "get-only", path: "/m", methods: ["GET"] },
  ];

  it.each([
    {
      name: "an exact path beats a :param and a wildcard listed before it",
      method: "GET",
      path: "/orders/export",
      expected: "public",
    },
    {
      name: "the exact path also wins for methods the :param rule names",
      method: "DELETE",
      path: "/orders/export",
      expected: "public",
    },
    { name: "a :param beats a wildcard listed before it", method: "GET", path: "/orders/7", expected: "param" },
    {
      name: "a rule naming the method beats the same path without methods",
      method: "DELETE",
      path: "/orders/7",
      expected: "delete-param",
    },
    {
      name: "a :param pattern with more segments matches deeper paths",
      method: "GET",
      path: "/orders/7/items",
      expected: "items",
    },
    {
      name: "the wildcard takes what no more specific rule matches",
      method: "GET",
      path: "/orders/7/notes/1",
      expected: "wild",
    },
    { name: "/orders/* also covers /orders itself", method: "GET", path: "/orders", expected: "wild" },
    {
      name: "a longer wildcard prefix beats a shorter one",
      method: "GET",
      path: "/api/admin/users",
      expected: "api-admin",
    },
    { name: "the shorter wildcard takes the rest", method: "GET", path: "/api/users", expected: "api" },
    {
      name: "/api/admin/* does not cover /api/administrator",
      method: "GET",
      path: "/api/administrator",
      expected: "api",
    },
    { name: "more literal segments beat more parameters", method: "GET", path: "/a/1/c", expected: "deep-literal" },
    { name: "the parameter rule takes other values", method: "GET", path: "/a/1/d", expected: "deep-param" },
    {
      name: "repeated slashes are merged, so /a//c is the two-segment /a/c",
      method: "GET",
      path: "/a//c",
      expected: "default",
    },
    {
      name: "repeated slashes are merged, so //orders//7 is /orders/7",
      method: "GET",
      path: "//orders//7",
      expected: "param",
    },
    { name: "a method rule does not match other methods", method: "POST", path: "/m", expected: "default" },
    { name: "a method rule matches its method", method: "GET", path: "/m", expected: "get-only" },
    { name: "an unmatched path falls to the default access", method: "GET", path: "/nowhere", expected: "default" },
  ])("$name", async ({ method, path, expected }) => {
    const { which } = await setup(rules);
    expect(await which(method, path)).toBe(expected);
  });

  it("on a tie (same path, same methods) the first rule wins", async () => {
    expect(
      await (
        await setup([
          { name: "first", path: "/x" },
          { name: "second", path: "/x" },
        ])
      ).which("GET", "/x"),
    ).toBe("first");
    expect(
      await (
        await setup([
          { name: "second", path: "/x" },
          { name: "first", path: "/x" },
        ])
      ).which("GET", "/x"),
    ).toBe("second");
    expect(
      await (
        await setup([
          { name: "pub", path: "/x", access: "public" },
          { name: "prot", path: "/x" },
        ])
      ).which("GET", "/x"),
    ).toBe("public");
  });

  it("two :param rules of the same shape tie, and the first wins", async () => {
    const { which } = await setup([
      { name: "by-id", path: "/u/:id" },
      { name: "by-name", path: "/u/:name" },
    ]);
    expect(await which("GET", "/u/1")).toBe("by-id");
  });

  it("a method rule beats an earlier rule for the same path without methods, either order", async () => {
    expect(
      await (
        await setup([
          { name: "all", path: "/x" },
          { name: "post", path: "/x", methods: ["POST"] },
        ])
      ).which("POST", "/x"),
    ).toBe("post");
    expect(
      await (
        await setup([
          { name: "post", path: "/x", methods: ["POST"] },
          { name: "all", path: "/x" },
        ])
      ).which("POST", "/x"),
    ).toBe("post");
  });

  it("/* catches every path no other rule matches, including /", async () => {
    const { which } = await setup([
      { name: "everything", path: "/*" },
      { name: "health", path: "/health", access: "public" },
    ]);
    expect(await which("GET", "/")).toBe("everything");
    expect(await which("GET", "/deep/path")).toBe("everything");
    expect(await which("GET", "/health")).toBe("public");
  });
});

describe("HEAD requests", () => {
  // Origins (Hono, Express, most servers; RFC 9110 9.3.2) answer HEAD with the GET handler, so a GET
  // rule must cover HEAD, or a public default would let HEAD through a GET-protected route.
  it("a rule for GET also protects HEAD on the same path", async () => {
    const f = await fixture({
      defaultAccess: "public",
      routes: [{ path: "/reports/*", methods: ["GET"], scopes: ["reports"] }],
    });
    const d = await f.call("HEAD", "/reports/1");
    expect(d.ok ? d.reason : d.code).toBe("token_missing");
  });

  it("a HEAD request under a GET rule gets that rule's 403, and a GET-only rule does not cover POST", async () => {
    const { which } = await setup([{ name: "reports", path: "/reports/*", methods: ["GET"] }]);
    expect(await which("HEAD", "/reports/1")).toBe("reports");
    expect(await which("POST", "/reports/1")).toBe("default");
  });

  it("a rule naming HEAD matches HEAD", async () => {
    const { which } = await setup([{ name: "head", path: "/r", methods: ["HEAD"] }]);
    expect(await which("HEAD", "/r")).toBe("head");
  });
});

describe("path normalisation before matching", () => {
  const rules: Rule[] = [
    { name: "admin", path: "/admin/*" },
    { name: "export", path: "/orders/export" },
    { name: "one-segment", path: "/files/:name" },
    { name: "two-segments", path: "/files/:dir/:name" },
    { name: "mixed-case-rule", path: "/Reports/Daily" },
    { name: "public", path: "/public/*", access: "public" },
  ];

  it.each([
    { name: "paths match case-insensitively", path: "/ORDERS/Export", expected: "export" },
    {
      name: "a rule written in mixed case matches lower-case requests",
      path: "/reports/daily",
      expected: "mixed-case-rule",
    },
    { name: "a trailing slash is ignored", path: "/orders/export/", expected: "export" },
    { name: "percent-encoded letters are decoded", path: "/%6Frders/%65xport", expected: "export" },
    { name: "percent-encoded upper-case letters are decoded and folded", path: "/%41DMIN/users", expected: "admin" },
    {
      name: "an encoded slash (%2F) counts as a separator, as origins that decode it read it",
      path: "/files/a%2Fb",
      expected: "two-segments",
    },
    { name: "a lower-case %2f counts as a separator too", path: "/files/a%2fb", expected: "two-segments" },
    { name: "a real slash does split", path: "/files/a/b", expected: "two-segments" },
    {
      name: "an encoded slash cannot dodge a wildcard: /admin%2Fusers falls under /admin/*",
      path: "/admin%2Fusers",
      expected: "admin",
    },
    { name: "an encoded backslash cannot dodge a wildcard either", path: "/admin%5Cusers", expected: "admin" },
    {
      name: "path parameters are dropped: /admin;jsessionid=x/users falls under /admin/*",
      path: "/admin;jsessionid=x/users",
      expected: "admin",
    },
    {
      name: "dot segments are resolved by the URL parser, so /public/../admin is /admin",
      path: "/public/../admin/users",
      expected: "admin",
    },
    { name: "encoded dot segments are resolved too", path: "/public/%2e%2e/admin/users", expected: "admin" },
    { name: "a backslash is a slash in an http URL", path: "/public\\..\\admin\\users", expected: "admin" },
    { name: "the query string plays no part in matching", path: "/orders/export?x=/admin/1", expected: "export" },
  ])("$name ($path)", async ({ path, expected }) => {
    const { which } = await setup(rules);
    expect(await which("GET", path)).toBe(expected);
  });

  // Many origins (nginx merge_slashes, Spring) serve //admin/users as /admin/users, so the rule for
  // /admin/* must see it that way too.
  it("repeated slashes cannot slip past a protected wildcard when the default is public", async () => {
    const f = await fixture({ defaultAccess: "public", routes: [{ path: "/admin/*", access: "protected" }] });
    const d = await f.call("GET", "//admin/users");
    expect(d.ok ? d.reason : d.code).toBe("token_missing");
  });
});
