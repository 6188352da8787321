/**
 * The client certificate of an API Gateway event, for certificate-bound tokens (RFC 8705): with mutual
 * TLS on a custom domain, REST events carry it in `requestContext.identity.clientCert` and HTTP API
 * events in `requestContext.authentication.clientCert`, both with `clientCertPem`.
 */
import { pemThumbprint, type RequestContext } from "../../src/index.js";
import { isObj } from "./event-fields.js";

/** Largest PEM read (characters): a certificate chain member is a few KiB. */
const MAX_PEM_CHARS = 16_384;

/**
 * The request context of an event: the base64url SHA-256 thumbprint of the client certificate's DER,
 * when the event carries one PEM certificate; otherwise empty (a bound token is then refused).
 *
 * @example
 * ```ts
 * await authorizer.authorize(request, await eventRequestContext(event));
 * ```
 */
export async function eventRequestContext(event: unknown): Promise<RequestContext> {
  const ctx = isObj(event) ? event.requestContext : undefined;
  if (!isObj(ctx)) return {};
  const holder = isObj(ctx.authentication) ? ctx.authentication : isObj(ctx.identity) ? ctx.identity : undefined;
  const cert = holder?.clientCert;
  const pem = isObj(cert) ? cert.clientCertPem : undefined;
  if (typeof pem !== "string" || pem.length > MAX_PEM_CHARS) return {};
  const thumbprint = await pemThumbprint(pem);
  return thumbprint ? { clientCertThumbprint: thumbprint } : {};
}
