/**
 * Which configured entry judges a token, before any key is fetched: an AWS ALB entry by the header's
 * `signer` (a token naming a signer must name a configured ALB); otherwise the exact `iss`, else the
 * issuer template that admits it. Also where each entry's keys come from: a remote JWKS (shared between
 * entries naming the same URL), inline keys, or an ALB region's per-kid keys.
 * @module
 */
import type { AuthorizerConfig, IssuerConfig } from "../config/schema.js";
import type { JwsHeader } from "./compact.js";
import { fail } from "../errors.js";
import { IssuerKeys, type KeyDeps } from "../keys/jwks.js";
import { InlineKeys, type KeySource } from "../keys/inline.js";
import { AlbKeys } from "../keys/alb.js";
import { TENANT, templateAdmits } from "../providers/tenants.js";

/**
 * The key source for each entry that does not use a secret, keyed by the entry's `issuer`.
 *
 * @example
 * ```ts
 * const sources = keySources(config, deps);
 * ```
 */
export function keySources(config: AuthorizerConfig, deps: KeyDeps): Map<string, KeySource> {
  const out = new Map<string, KeySource>();
  // Issuers that name the same JWKS URL (Google's two issuer spellings, Entra's templates) share one cache.
  const shared = new Map<string, KeySource>();
  for (const issuer of config.issuers) {
    if (issuer.secret) continue;
    const id = issuer.jwks ? undefined : issuer.alb ? `alb:${issuer.alb.region}` : issuer.jwksUri;
    let keys = id === undefined ? undefined : shared.get(id);
    if (!keys) {
      if (issuer.jwks) keys = new InlineKeys(issuer.jwks);
      else if (issuer.alb) keys = new AlbKeys(issuer.alb.region, config.cache.jwks, deps);
      else keys = new IssuerKeys(issuer, config.cache.jwks, deps);
    }
    if (id !== undefined) shared.set(id, keys);
    out.set(issuer.issuer, keys);
  }
  return out;
}

/** `scheme://host[:port]` of a URL-like string, when a path follows it; else undefined. */
function originOf(s: string): string | undefined {
  const scheme = s.indexOf("://");
  const path = scheme < 0 ? -1 : s.indexOf("/", scheme + 3);
  return path < 0 ? undefined : s.slice(0, path);
}

/** A template entry and its place in the configuration (the first that admits an `iss` wins). */
type Ranked = { at: number; entry: IssuerConfig };

/**
 * Picks the entry for a token from its header and unverified `iss`; throws `issuer_unknown`.
 * `padded` says the token used padded base64url, which only an ALB entry accepts. Every step is a
 * map lookup: exact issuers by `iss`, ALB entries by signer, and templates by the origin of `iss`
 * (only templates with the placeholder in the host are tried one by one).
 */
export class EntryRouter {
  private readonly exact = new Map<string, string>();
  private readonly byOrigin = new Map<string, Ranked[]>();
  private readonly hostTemplates: Ranked[] = [];
  private readonly albs = new Map<string, string>();

  constructor(issuers: IssuerConfig[]) {
    issuers.forEach((i, at) => {
      if (i.alb) this.albs.set(i.alb.arn, i.issuer);
      else if (!i.tenants) this.exact.set(i.issuer, i.issuer);
      else {
        // Every `iss` a template admits starts with the text before its placeholder, so shares its origin.
        const origin = originOf(i.issuer.slice(0, i.issuer.indexOf(TENANT)));
        if (origin === undefined) this.hostTemplates.push({ at, entry: i });
        else this.byOrigin.set(origin, [...(this.byOrigin.get(origin) ?? []), { at, entry: i }]);
      }
    });
  }

  /** The first template in configuration order that admits `iss`. */
  private template(iss: string): IssuerConfig | undefined {
    const origin = originOf(iss);
    const candidates = origin === undefined ? undefined : this.byOrigin.get(origin);
    const first = candidates?.find((t) => templateAdmits(t.entry, iss));
    const host = this.hostTemplates.find(
      (t) => (first === undefined || t.at < first.at) && templateAdmits(t.entry, iss),
    );
    return (host ?? first)?.entry;
  }

  /** The `issuer` of the entry that judges the token (the key of the verifier's entries). */
  route(header: JwsHeader, iss: string, padded: boolean): string {
    if (header.signer !== undefined) {
      const key = typeof header.signer === "string" ? this.albs.get(header.signer) : undefined;
      if (key === undefined) throw fail("issuer_unknown", "signer");
      return key;
    }
    if (padded) throw fail("token_malformed");
    const key = this.exact.get(iss) ?? this.template(iss)?.issuer;
    if (key === undefined) throw fail("issuer_unknown");
    return key;
  }
}
