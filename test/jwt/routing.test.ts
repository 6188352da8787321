/**
 * Which configured entry judges a token: with 100 issuers (plain ones and tenant templates, the
 * placeholder in the path or in the host) the router picks exactly the entry a scan in configuration
 * order would pick (the exact `iss` first, else the first template that admits it), for every `iss`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IssuerConfig } from "../../src/index.js";
import { EntryRouter } from "../../src/jwt/routing.js";
import { templateAdmits } from "../../src/providers/tenants.js";

const entry = (issuer: string, tenants?: string[] | "*"): IssuerConfig =>
  ({ issuer, audience: ["api"], algorithms: ["RS256"], ...(tenants ? { tenants } : {}) }) as IssuerConfig;

/** The routing rule, as a plain scan in configuration order. */
function scan(issuers: IssuerConfig[], iss: string): string | undefined {
  return (
    issuers.find((i) => !i.tenants && !i.alb && i.issuer === iss)?.issuer ??
    issuers.find((i) => i.tenants && templateAdmits(i, iss))?.issuer
  );
}

function route(router: EntryRouter, iss: string): string | undefined {
  try {
    return router.route({ alg: "RS256" }, iss, false);
  } catch (e) {
    expect(e).toMatchObject({ code: "issuer_unknown" });
    return undefined;
  }
}

/** 89 plain issuers and 11 templates (path and host placeholders, overlapping prefixes). */
function hundred(): IssuerConfig[] {
  const out = Array.from({ length: 89 }, (_, i) => entry(`https://idp-${i}.example/`));
  out.push(entry("https://login.example/{tenant}/v2.0", ["t1", "t2", "a.b"]));
  out.push(entry("https://login.example/{tenant}", "*"));
  out.push(entry("https://login.example/x/{tenant}/v2.0", "*"));
  out.push(entry("https://{tenant}.auth.example/", ["acme", "beta"]));
  out.push(entry("https://{tenant}.example/", "*"));
  out.push(entry("https://b2c.example/t-{tenant}", "*"));
  out.push(entry("https://b2c.example/{tenant}-x", "*"));
  out.push(entry("https://idp-7.example/{tenant}/", ["t1"]));
  out.push(entry("http://login.example/{tenant}/v2.0", "*"));
  out.push(entry("https://login.example:8443/{tenant}/v2.0", "*"));
  out.push(entry("https://{tenant}/v2.0", "*"));
  return out;
}

describe("issuer routing with 100 issuers", () => {
  const issuers = hundred();
  const router = new EntryRouter(issuers);

  it("routes every plain issuer to itself and each template's tenants to their template", () => {
    for (let i = 0; i < 89; i++) expect(route(router, `https://idp-${i}.example/`)).toBe(`https://idp-${i}.example/`);
    expect(route(router, "https://login.example/t2/v2.0")).toBe("https://login.example/{tenant}/v2.0");
    expect(route(router, "https://login.example/t3/v2.0")).toBeUndefined();
    expect(route(router, "https://acme.auth.example/")).toBe("https://{tenant}.auth.example/");
    expect(route(router, "https://other.example/")).toBe("https://{tenant}.example/");
    expect(route(router, "https://idp-7.example/t1/")).toBe("https://idp-7.example/{tenant}/");
    expect(route(router, "https://login.example:8443/z/v2.0")).toBe("https://login.example:8443/{tenant}/v2.0");
    expect(route(router, "https://nobody.test/")).toBeUndefined();
  });

  it("picks the first template in configuration order when two admit the same iss", () => {
    expect(route(router, "https://b2c.example/t-a-x")).toBe("https://b2c.example/t-{tenant}");
    const swapped = new EntryRouter([...issuers].reverse());
    expect(route(swapped, "https://b2c.example/t-a-x")).toBe("https://b2c.example/{tenant}-x");
    // A template with the placeholder in the host against one under the same origin.
    expect(route(router, "https://login.example/v2.0")).toBe("https://login.example/{tenant}");
    expect(route(swapped, "https://login.example/v2.0")).toBe("https://{tenant}/v2.0");
  });

  it("agrees with a scan in configuration order for any iss", () => {
    const pieces = [
      "https://",
      "http://",
      "login.example",
      "login.example:8443",
      "acme.auth.example",
      "b2c.example",
      "idp-7.example",
      "/",
      "t1",
      "a.b",
      "t-",
      "-x",
      "/v2.0",
      "x/",
      ".",
      "?",
      "",
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), fc.boolean(), (parts, reverse) => {
        const iss = parts.join("");
        const order = reverse ? [...issuers].reverse() : issuers;
        expect(route(reverse ? new EntryRouter(order) : router, iss)).toBe(scan(order, iss));
      }),
      { numRuns: 2000 },
    );
  });
});
