/**
 * The client certificate of a Worker request, for certificate-bound tokens (RFC 8705): Cloudflare's
 * mTLS puts it in `request.cf.tlsClientAuth`, with `certFingerprintSHA256` as hex.
 */
import { hexThumbprint, type RequestContext } from "../../src/index.js";

interface TlsClientAuth {
  certPresented?: string;
  certFingerprintSHA256?: string;
}

/**
 * The request context of a Worker request: the base64url thumbprint of the client certificate, when one
 * was presented (verified against a CA or not: the binding is to this very certificate).
 *
 * @example
 * ```ts
 * await authorizer.authorize(request, workerRequestContext(request));
 * ```
 */
export function workerRequestContext(request: Request): RequestContext {
  const auth = (request as { cf?: { tlsClientAuth?: TlsClientAuth } }).cf?.tlsClientAuth;
  if (auth?.certPresented !== "1" || typeof auth.certFingerprintSHA256 !== "string") return {};
  const thumbprint = hexThumbprint(auth.certFingerprintSHA256);
  return thumbprint ? { clientCertThumbprint: thumbprint } : {};
}
