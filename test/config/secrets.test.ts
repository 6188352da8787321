/**
 * Configuration errors never echo a secret: a malformed `JWT_CONFIG` is described by position and
 * problem only (the parser's own message can quote an excerpt of the input), and no reader quotes a
 * value found under a field named like a secret. Checked on every 6-character window of the secret.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, configFromEnv } from "../../src/index.js";
import { bool, int, oneOf, url } from "../../src/config/readers.js";

const SECRET = "Zq9-hM4cK3y_7f3a1c9e5b2d8f60a4c7e1b3d5f7a9c2";
const windows = (secret: string) => Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6));

function configError(env: Record<string, unknown>): ConfigError {
  let caught: unknown;
  try {
    configFromEnv(env);
  } catch (error) {
    caught = error;
  }
  expect(caught, "configFromEnv should throw").toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}

function expectNoSecret(error: Error & { variable?: string }, secret = SECRET): void {
  const text = `${error.message}\n${error.variable ?? ""}\n${String(error.stack)}`;
  for (const w of windows(secret))
    expect(text.includes(w), `error quotes ${JSON.stringify(w)}: ${error.message}`).toBe(false);
}

const issuer = (extra: string) =>
  `{"issuers":[{"issuer":"https://idp.example/","audience":"api","secret":"${SECRET}"${extra}}]}`;

describe("a JWT_CONFIG error never quotes the secret", () => {
  it.each([
    {
      name: "a missing comma after the secret",
      json: issuer(` "algorithms":["HS256"]`),
      where: /expected ',' or '}' after a member at line 1, column 1\d\d \(offset 1\d\d\)/,
    },
    { name: "a bad literal after the secret", json: issuer(`,"x":tru`), where: /expected a value .* at line 1/ },
    {
      name: "a secret string left open",
      json: `{"issuers":[{"issuer":"https://idp.example/","secret":"${SECRET}`,
      where: /unterminated string \(it starts here\) at line 1, column 55 \(offset 54\)/,
    },
    {
      name: "a raw line break inside the secret",
      json: `{\n  "issuers": [{\n    "secret": "${SECRET.slice(0, 20)}\n${SECRET.slice(20)}"\n  }]\n}`,
      where: /control character inside a string \(escape it\) at line 3, column 36 \(offset 53\)/,
    },
    {
      name: "a bad escape inside the secret",
      json: issuer("").replace("hM4c", "hM\\4c"),
      where: /bad escape inside a string at line 1/,
    },
    {
      name: "text after the closing brace",
      json: `${issuer("")} ${SECRET}`,
      where: /unexpected text after the JSON value/,
    },
    {
      name: "single quotes around the secret",
      json: `{'secret':'${SECRET}'}`,
      where: /expected a member name in double quotes or '}' at line 1, column 2 \(offset 1\)/,
    },
  ])("a JWT_CONFIG with a secret and $name says where and what, with no excerpt", ({ json, where }) => {
    expect(() => JSON.parse(json)).toThrow();
    const error = configError({ JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_CONFIG: json });
    expect(error.variable).toBe("JWT_CONFIG");
    expect(error.message).toMatch(/^JWT_CONFIG: is not valid JSON: /);
    expect(error.message).toMatch(where);
    expectNoSecret(error);
  });

  it("a secret of the wrong length or type in JWT_CONFIG or JWT_SECRET is named, never quoted", () => {
    const short = SECRET.slice(0, 20);
    for (const env of [
      { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_SECRET: short },
      { JWT_AUDIENCE: "api", JWT_CONFIG: { issuers: [{ issuer: "https://idp.example/", secret: short }] } },
      { JWT_AUDIENCE: "api", JWT_CONFIG: { issuers: [{ issuer: "https://idp.example/", secret: [SECRET] }] } },
      { JWT_AUDIENCE: "api", JWT_CONFIG: { issuers: [{ issuer: "https://idp.example/", secret: { value: SECRET } }] } },
      {
        JWT_AUDIENCE: "api",
        JWT_CONFIG: { issuers: [{ issuer: "https://idp.example/", secret: SECRET, algorithms: ["HS256", "RS256"] }] },
      },
    ]) {
      const error = configError(env);
      expect(error.variable).toMatch(/secret|JWT_SECRET|algorithms/i);
      expectNoSecret(error, short);
    }
  });

  it("no config reader quotes a value found under a field named like a secret", () => {
    const readers = [
      () => int(SECRET, "JWT_CONFIG.issuers[0].secret", 0, 1),
      () => bool(SECRET, "JWT_SECRET"),
      () => oneOf(SECRET, "JWT_CONFIG.clientSecret", ["a"]),
      () => url(SECRET, "JWT_CONFIG.issuers[0].secret"),
      () => url(`http://${SECRET}.example/`, "JWT_SECRET"),
    ];
    for (const read of readers) {
      let caught: unknown;
      try {
        read();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toMatch(/not shown/);
      expectNoSecret(caught as ConfigError);
    }
    // Other fields still quote what they got, which is what makes an error useful.
    expect(() => int("abc", "JWT_CLOCK_TOLERANCE", 0, 60)).toThrow(/got "abc"/);
  });
});
