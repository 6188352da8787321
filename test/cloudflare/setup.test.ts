/** Where the Worker forwards: plain functions, run in Node. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/index.js";
import { originUrl } from "../../adapters/cloudflare/create.js";

describe("the Worker's forwarding target", () => {
  it("is the request's own URL when ORIGIN_URL is unset (a Worker on a route in front of its origin)", () => {
    expect(originUrl({}, "https://api.example/a?b=1")).toBe("https://api.example/a?b=1");
  });

  it("is ORIGIN_URL with the request's path and query, keeping ORIGIN_URL's path prefix", () => {
    expect(originUrl({ ORIGIN_URL: "https://origin.example" }, "https://api.example/a/b?c=1&d=2")).toBe(
      "https://origin.example/a/b?c=1&d=2",
    );
    expect(originUrl({ ORIGIN_URL: "https://origin.example/v1/" }, "https://api.example/a")).toBe(
      "https://origin.example/v1/a",
    );
  });

  it("refuses an ORIGIN_URL that is not an absolute http(s) URL, naming the variable", () => {
    for (const bad of ["origin.example", "ftp://origin.example/"]) {
      let error: unknown;
      try {
        originUrl({ ORIGIN_URL: bad }, "https://api.example/");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe("ORIGIN_URL");
    }
  });
});
