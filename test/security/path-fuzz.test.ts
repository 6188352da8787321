/**
 * Property tests for path reading: paths built from the pieces path-confusion attacks are made of are
 * read by small, independent models of common origins (written here with the platform's own
 * decodeURIComponent, not with the authorizer's code). Whenever any model serves `/admin/...`, the
 * authorizer must refuse the anonymous request exactly as it refuses `/admin/...` itself. A fixed seed
 * keeps `npm test` repeatable.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathReadings } from "../../src/routes/path-reading.js";
import { fixture, outcome } from "../routes/fixture.js";

const RUNS = { numRuns: 400, seed: 20261202 };

const PIECES = [
  "public",
  "admin",
  "ADMIN",
  "users",
  "x",
  "..",
  ".",
  "",
  ";",
  ";v=1",
  "%2F",
  "%2f",
  "%5C",
  "%5c",
  "%2e",
  "%2E",
  "%25",
  "%3B",
  "%252F",
  "%252e",
  "%41",
  "%00",
  "%C3%A9",
  "\\",
];
const path = fc
  .array(
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }).map((p) => p.join("")),
    { minLength: 1, maxLength: 6 },
  )
  .map((segs) => `/${segs.join("/")}`);

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** RFC 3986 dot-segment removal over segments, dropping empty ones. */
function dots(segments: string[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (s === "" || s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s.toLowerCase());
  }
  return out;
}

/** How some common origins read a path (the pathname the authorizer forwards). */
const ORIGINS: Record<string, (p: string) => string[]> = {
  express: (p) => dots(p.split("/").map(safeDecode)),
  nginx: (p) => dots(safeDecode(p).split("/")),
  tomcat: (p) =>
    dots(
      safeDecode(
        p
          .split("/")
          .map((s) => s.split(";")[0]!)
          .join("/"),
      ).split("/"),
    ),
  spring: (p) => dots(p.split("/").map((s) => safeDecode(s.split(";")[0]!))),
  iis: (p) => dots(safeDecode(safeDecode(p)).split(/[/\\]/)),
};

describe("path reading under random confusion paths", () => {
  it("whenever some origin serves /admin/..., an anonymous request is refused as for /admin itself", async () => {
    const f = await fixture({
      defaultAccess: "public",
      routes: [
        { path: "/public/*", access: "public" },
        { path: "/admin/*", roles: ["admin"] },
      ],
    });
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const pathname = new URL(`https://api.example${p}`).pathname;
        const served = Object.entries(ORIGINS)
          .filter(([, read]) => read(pathname)[0] === "admin")
          .map(([name]) => name);
        const decision = outcome(await f.call("GET", p));
        if (served.length > 0)
          expect(decision, `${p} is /admin/... for ${served.join(", ")}`).toBe("401 token_missing");
        else expect(["pass:public", "401 token_missing"]).toContain(decision);
      }),
      RUNS,
    );
  });

  it("never throws, and gives at most four readings of plain-text segments, for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (s) => {
        const readings = pathReadings(new URL(`https://api.example/${encodeURI(s)}`).pathname);
        expect(readings.length).toBeGreaterThanOrEqual(1);
        expect(readings.length).toBeLessThanOrEqual(4);
        for (const r of readings) for (const seg of r) expect(seg === "" || seg === "." || seg === "..").toBe(false);
      }),
      RUNS,
    );
  });

  it("an anonymous request on any path is answered with a decision, never a throw", async () => {
    const f = await fixture({
      routes: [
        { path: "/public/*", access: "public" },
        { path: "/orders/:id", methods: ["DELETE"], scopes: ["w"] },
      ],
    });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom("GET", "DELETE", "POST"), async (s, method) => {
        const decision = await f.call(method, `/${encodeURI(s)}`);
        expect(["pass:public", "401 token_missing"]).toContain(outcome(decision));
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});
