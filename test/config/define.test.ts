/** `defineConfig`: the JWT_CONFIG schema as a typed object, with the same defaults, validation and errors. */
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv, createAuthorizer, defineConfig, limits } from "../../src/index.js";

describe("defineConfig", () => {
  it("gives the same configuration as JWT_CONFIG with the same object", () => {
    const input = {
      issuers: [{ issuer: "https://idp.example/", audience: "api" }],
      routes: [{ path: "/admin/*", roles: ["admin"] }],
    };
    expect(defineConfig(input)).toEqual(configFromEnv({ JWT_CONFIG: input }));
    expect(defineConfig(input).cache.tokens).toBe(limits.TOKEN_CACHE_ENTRIES);
  });

  it("names the field at fault as config.<path>, and says what is wrong", () => {
    const bad = () =>
      defineConfig({ issuers: [{ issuer: "https://idp.example/", audience: "api" }], routes: [{ path: "admin" }] });
    expect(bad).toThrowError(ConfigError);
    expect(bad).toThrowError(
      expect.objectContaining({
        variable: "config.routes[0].path",
        message: expect.stringMatching(/^config\.routes\[0\]\.path: must be a path starting with \//),
      }),
    );
  });

  it("takes secrets that are environment variables elsewhere", () => {
    const secret = "s".repeat(32);
    const config = defineConfig(
      { issuers: [{ issuer: "https://idp.example/", audience: "api" }] },
      { JWT_SECRET: secret },
    );
    expect(config.issuers[0]!.secret).toBe(secret);
    expect(createAuthorizer(config).config.issuers[0]!.algorithms).toEqual(["HS256"]);
  });
});

describe("configFromEnv and generated Env types", () => {
  it("accepts an interface without an index signature, as `wrangler types` generates", () => {
    interface Env {
      JWT_ISSUER: string;
      JWT_AUDIENCE: string;
      ORIGIN_URL: string;
      JWKS_KV: { get(key: string): Promise<string | null> };
    }
    const env: Env = {
      JWT_ISSUER: "https://idp.example/",
      JWT_AUDIENCE: "api",
      ORIGIN_URL: "https://o.example",
      JWKS_KV: { get: async () => null },
    };
    expect(configFromEnv(env).issuers[0]!.issuer).toBe("https://idp.example/");
  });
});
