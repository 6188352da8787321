/**
 * Sender-constrained tokens through the built Lambda bundle: a certificate-bound token passes only with
 * the matching client certificate (REST and HTTP API fields), and a DPoP-bound token needs a fresh proof.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { ensureBuilt, importHandler, lambdaContext, type Handler } from "./harness.js";
import { httpApiEvent, methodArn, restRequestEvent, API_ID, REGION } from "./events.js";
import { iamAllows } from "./iam.js";
import { accessToken, clientKey, ISSUER, proof, SECRET } from "../binding/proof.js";

/** A certificate as API Gateway hands it over: PEM. The thumbprint is of the DER bytes, whatever they hold. */
const der = randomBytes(600);
const pem = (bytes: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${bytes.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;
const x5t = createHash("sha256").update(der).digest("base64url");

let handler: Handler;
const ctx = lambdaContext();

beforeAll(async () => {
  ensureBuilt();
  handler = await importHandler({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: "api", JWT_SECRET: SECRET });
});

const withCert = <E extends { requestContext: Record<string, unknown> }>(event: E, where: string, cert?: Buffer) => {
  const clientCert = cert ? { clientCertPem: pem(cert), subjectDN: "CN=client", validity: {} } : null;
  const rc = event.requestContext;
  rc[where] = { ...(rc[where] as object), clientCert };
  return event;
};

describe("certificate-bound tokens on API Gateway", () => {
  it("REST REQUEST: passes only with the matching client certificate", async () => {
    const token = await accessToken({ "x5t#S256": x5t });
    const event = (cert?: Buffer) =>
      withCert(restRequestEvent("GET", "/orders", { Authorization: `Bearer ${token}` }), "identity", cert);
    const { policyDocument } = await handler(event(der), ctx);
    // Allowed for this request's ARN only: an answer cached for the token alone must not open other routes.
    expect(iamAllows(policyDocument, methodArn("GET", "/orders"))).toBe(true);
    expect(iamAllows(policyDocument, methodArn("DELETE", "/orders"))).toBe(false);
    await expect(handler(event(randomBytes(600)), ctx)).rejects.toThrow("Unauthorized");
    await expect(handler(event(), ctx)).rejects.toThrow("Unauthorized");
  });

  it("HTTP API: reads requestContext.authentication.clientCert", async () => {
    const token = await accessToken({ "x5t#S256": x5t });
    const event = (cert: Buffer) =>
      withCert(httpApiEvent("GET", "/orders", { authorization: `Bearer ${token}` }), "authentication", cert);
    expect((await handler(event(der), ctx)).isAuthorized).toBe(true);
    expect((await handler(event(randomBytes(600)), ctx)).isAuthorized).toBe(false);
  });
});

describe("DPoP on API Gateway", () => {
  it("HTTP API: a bound token with a proof passes once; the replayed proof is refused", async () => {
    const key = await clientKey();
    const token = await accessToken({ jkt: key.jkt });
    const url = `https://${API_ID}.execute-api.${REGION}.amazonaws.com/orders`;
    const p = await proof(key, token, { url });
    const event = () => httpApiEvent("GET", "/orders", { authorization: `DPoP ${token}`, dpop: p });
    expect((await handler(event(), ctx)).isAuthorized).toBe(true);
    expect((await handler(event(), ctx)).isAuthorized).toBe(false);
  });
});
