/**
 * The configuration page documents the whole schema: every key the configuration reader accepts, at
 * every level, is named on docs/configuration.md. The reader's own lists are read from its errors (an
 * unknown key is refused with the list of known ones), so a key added to the reader and not to the page
 * fails here.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/index.js";

const page = readFileSync(fileURLToPath(new URL("../../docs/configuration.md", import.meta.url)), "utf8");
/** Inline code and code blocks of the page: a key is named when one of them holds it as a word. */
const code = [...page.matchAll(/```[^]*?```|`[^`\n]+`/g)].map((m) => m[0]);
const named = (key: string) => code.some((c) => new RegExp(`(^|[^A-Za-z0-9_])${key}([^A-Za-z0-9_]|$)`).test(c));
const BASE = { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" };
const issuer = { issuer: "https://x.example/", audience: "api" };

/** Where each level of the schema lives, with an unknown key put there. */
const LEVELS: Record<string, Record<string, unknown>> = {
  JWT_CONFIG: { JWT_CONFIG: { zzz: 1 } },
  "JWT_CONFIG.issuers[0]": { JWT_CONFIG: { issuers: [{ ...issuer, zzz: 1 }] } },
  "JWT_CONFIG.issuers[0].introspection": {
    JWT_CONFIG: { issuers: [{ ...issuer, introspection: { clientId: "c", zzz: 1 } }] },
  },
  "JWT_CONFIG.routes[0]": { ...BASE, JWT_CONFIG: { routes: [{ path: "/", zzz: 1 }] } },
  "JWT_CONFIG.tokenSources": { ...BASE, JWT_CONFIG: { tokenSources: { zzz: 1 } } },
  "JWT_CONFIG.identity": { ...BASE, JWT_CONFIG: { identity: { zzz: 1 } } },
  "JWT_CONFIG.identity.assertion": { ...BASE, JWT_CONFIG: { identity: { assertion: { zzz: 1 } } } },
  "JWT_CONFIG.cache": { ...BASE, JWT_CONFIG: { cache: { zzz: 1 } } },
  "JWT_CONFIG.cache.jwks": { ...BASE, JWT_CONFIG: { cache: { jwks: { zzz: 1 } } } },
  "JWT_CONFIG.resource": { ...BASE, JWT_CONFIG: { resource: { id: "https://api.example/", zzz: 1 } } },
  "JWT_CONFIG.revocation": { ...BASE, JWT_CONFIG: { revocation: { zzz: 1 } } },
};

/** The keys the reader knows at one level, from the error an unknown key gets. */
function knownKeys(env: Record<string, unknown>): { variable: string; keys: string[] } {
  try {
    configFromEnv(env);
  } catch (e) {
    const { variable, message } = e as { variable: string; message: string };
    const known = /\(known: ([^)]*)\)/.exec(message)?.[1];
    if (known) return { variable, keys: known.split(", ") };
    throw new Error(`no list of known keys in: ${message}`, { cause: e });
  }
  throw new Error("an unknown key was accepted");
}

describe("docs/configuration.md names every key the reader accepts", () => {
  it.each(Object.entries(LEVELS))("%s", (level, env) => {
    const { variable, keys } = knownKeys(env);
    expect(variable).toBe(level);
    expect(keys.length).toBeGreaterThan(0);
    const missing = keys.filter((k) => !named(k));
    expect(missing, `keys of ${level} the page does not name`).toEqual([]);
  });
});
