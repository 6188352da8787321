/**
 * What every fuzz test asserts about a decision: `authorize` resolved (never threw), the status is one
 * the README documents, nothing was logged as unexpected, and every forwarded header value is safe
 * (no CR, LF, NUL or other control character, no raw non-ASCII).
 */
import { expect } from "vitest";
import type { Decision } from "../../src/index.js";
import { referenceRefusal, type ReferenceSettings } from "./reference.js";
import type { Harness } from "../security/harness.js";
import { AUDIENCE, ISSUER, TOLERANCE_S } from "../security/tokens.js";

/** Header-safe: printable ASCII and tab only. */
export const SAFE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** The statuses a refusal may carry (503 only when keys are unavailable). */
export function expectSaneDecision(decision: Decision, statuses: number[] = [400, 401, 403]): void {
  if (decision.ok) {
    for (const [name, value] of Object.entries(decision.headers)) {
      expect(name).toMatch(/^[a-z0-9-]+$/);
      expect(value, `forwarded header ${name}`).toMatch(SAFE_HEADER_VALUE);
    }
    return;
  }
  expect(statuses).toContain(decision.status);
  if (decision.wwwAuthenticate) expect(decision.wwwAuthenticate).toMatch(SAFE_HEADER_VALUE);
}

/** No log line says something unexpected happened (an exception the pipeline did not plan for). */
export function expectNoUnexpected(h: Pick<Harness, "logs">): void {
  const unexpected = h.logs.filter((l) => l.message.includes("unexpected"));
  expect(unexpected, "unexpected error logged").toEqual([]);
}

/** The reference settings matching a security-suite harness. */
export function referenceFor(h: Harness): ReferenceSettings {
  const issuer = h.config.issuers[0]!;
  return {
    keys: h.jwks.keys,
    algorithms: issuer.algorithms,
    issuer: ISSUER,
    audience: AUDIENCE,
    clockTolerance: TOLERANCE_S,
    now: h.clock.ms,
    ...(issuer.typ ? { typ: issuer.typ } : {}),
  };
}

/**
 * When the authorizer allowed `token`, the reference verifier must accept it too. (Header values lose
 * their surrounding whitespace in the Fetch API, and `Bearer` may be followed by more than one space:
 * the token is the trimmed rest.)
 */
export async function expectReferenceAgrees(h: Harness, decision: Decision, token: string): Promise<void> {
  if (!decision.ok || decision.reason !== "token") return;
  expect(await referenceRefusal(token.trim(), referenceFor(h)), "authorize allowed a token the reference refuses").toBe(
    null,
  );
}

/** A Request, or undefined when the platform refuses to build it (invalid header bytes). */
export function tryRequest(url: string, init?: RequestInit): Request | undefined {
  try {
    return new Request(url, init);
  } catch {
    return undefined;
  }
}
