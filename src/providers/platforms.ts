/**
 * Presets for platforms in front of the origin that sign their own tokens: Cloudflare Access and the
 * AWS Application Load Balancer. Their token headers and cookies are read by `request/sources.ts`.
 * @module
 */
import { ConfigError } from "../errors.js";
import { str, type Raw } from "../config/readers.js";

type Preset = (raw: Raw, name: string) => Raw[];

/**
 * Cloudflare Access ("Validate JWTs", developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/
 * validating-json/): RS256 keys at `<team domain>/cdn-cgi/access/certs`, `iss` the team domain, `aud`
 * holding the application's AUD tag, `exp`.
 *
 * @example
 * ```ts
 * const raw = { preset: "cloudflare-access", teamDomain: "acme.cloudflareaccess.com", audience: "4714c1..." };
 * cloudflareAccess(raw, "JWT_CONFIG.issuers[0]");
 * ```
 */
export const cloudflareAccess: Preset = (raw, name) => {
  const domain = str(raw.teamDomain, `${name}.teamDomain`);
  if (!domain) throw new ConfigError(`${name}.teamDomain`, "is required by the cloudflare-access preset");
  const host = domain.replace(/^https:\/\//, "").replace(/\/+$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host))
    throw new ConfigError(`${name}.teamDomain`, "must be the team domain, e.g. https://acme.cloudflareaccess.com");
  if (raw.audience === undefined || raw.audience === null)
    throw new ConfigError(`${name}.audience`, "must be the application's AUD tag (Access, application, Overview)");
  const { teamDomain: _t, ...rest } = raw;
  const issuer = `https://${host}`;
  return [{ algorithms: ["RS256"], jwksUri: `${issuer}/cdn-cgi/access/certs`, ...rest, issuer }];
};

/**
 * AWS ALB ("Authenticate users using an Application Load Balancer", docs.aws.amazon.com/elasticloadbalancing/
 * latest/application/listener-authenticate-users.html, "User claims encoding and signature verification"):
 * ES256, the header's `signer` equal to the ALB's ARN, the key for `kid` from the region's endpoint, `exp`;
 * the token has no audience. `issuer`, when given, is the IdP's and must equal the token's `iss`.
 *
 * @example
 * ```ts
 * awsAlb({ preset: "aws-alb", region: "eu-west-1", albArn: "arn:aws:elasticloadbalancing:eu-west-1:..." }, "x");
 * ```
 */
export const awsAlb: Preset = (raw, name) => {
  const arn = str(raw.albArn, `${name}.albArn`);
  if (!arn) throw new ConfigError(`${name}.albArn`, "is required by the aws-alb preset");
  if (raw.region === undefined) throw new ConfigError(`${name}.region`, "is required by the aws-alb preset");
  if ("audience" in raw) throw new ConfigError(`${name}.audience`, "does not apply: ALB tokens carry no audience");
  const { issuer, ...rest } = raw;
  const albIssuer = issuer === undefined ? {} : { albIssuer: str(issuer, `${name}.issuer`) };
  return [{ algorithms: ["ES256"], ...rest, ...albIssuer, audience: null, issuer: arn, bareIssuer: true }];
};
