/**
 * `cdk deploy` entry (cdk.json runs `npx tsx app.ts`). Settings come from CDK context
 * (`-c jwtIssuer=... -c jwtAudience=...`, or cdk.json / cdk.context.json) and are validated here with
 * the core's `configFromEnv`, so a bad configuration fails at synth, not on the first request.
 */
import { App } from "aws-cdk-lib";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configFromEnv } from "../../src/config/from-env.js";
import { ConfigError } from "../../src/errors.js";
import { AuthorizerStack } from "./stack.js";

/** Context key → environment variable of the function. */
export const CONTEXT_TO_ENV: Record<string, string> = {
  jwtIssuer: "JWT_ISSUER",
  jwtAudience: "JWT_AUDIENCE",
  jwtJwksUri: "JWT_JWKS_URI",
  jwtAlgorithms: "JWT_ALGORITHMS",
  jwtClockTolerance: "JWT_CLOCK_TOLERANCE",
  jwtRequiredScopes: "JWT_REQUIRED_SCOPES",
  jwtConfig: "JWT_CONFIG",
  jwtMaxTokenBytes: "JWT_MAX_TOKEN_BYTES",
  jwtReportOnly: "JWT_REPORT_ONLY",
  jwtAssertionKey: "JWT_ASSERTION_KEY",
};

/** Builds the app from context values (used by `cdk synth` and by the tests). */
export function buildApp(app: App = new App()): { app: App; stack: AuthorizerStack } {
  const jwtEnv: Record<string, string> = {};
  for (const [key, variable] of Object.entries(CONTEXT_TO_ENV)) {
    const value = app.node.tryGetContext(key);
    if (value !== undefined && value !== "")
      jwtEnv[variable] = typeof value === "string" ? value : JSON.stringify(value);
  }
  const config = configFromEnv(jwtEnv); // throws ConfigError naming the variable
  const assetDir = fileURLToPath(new URL("../../dist/aws", import.meta.url));
  if (!existsSync(`${assetDir}/handler.mjs`))
    throw new Error(`${assetDir}/handler.mjs is missing: run "npm run build" first`);
  const httpResponse = app.node.tryGetContext("httpResponse") ?? "simple";
  // A cached Allow outlives a revocation by up to the cache TTL: with revocation on, it defaults to the list's TTL.
  const ttl = Number(app.node.tryGetContext("cacheTtl") ?? Math.min(300, config.revocation?.ttl ?? 300));
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600)
    throw new Error(
      `context cacheTtl must be 0..3600 seconds, got ${JSON.stringify(app.node.tryGetContext("cacheTtl"))}`,
    );
  if (httpResponse !== "simple" && httpResponse !== "iam")
    throw new Error(`context httpResponse must be simple or iam, got ${JSON.stringify(httpResponse)}`);
  const stack = new AuthorizerStack(app, app.node.tryGetContext("stackName") ?? "EdgeJwtAuthorizer", {
    jwtEnv,
    assetDir,
    originUrl: app.node.tryGetContext("originUrl") ?? "https://example.com",
    cacheTtlSeconds: ttl,
    httpResponse,
    routeRules: config.routes.length > 0,
    pathBoundRules: config.routes.some((r) => r.claims?.conditions.some((c) => c.equalsParam ?? c.containsParam)),
    // DPoP proofs are per request: with an issuer that requires DPoP, or when told, answers are not cached.
    senderConstrained:
      [true, "true"].includes(app.node.tryGetContext("senderConstrained")) ||
      config.issuers.some((i) => i.dpop === "required"),
  });
  return { app, stack };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildApp().app.synth();
  } catch (error) {
    // A missing or invalid setting is one readable line, not a stack trace.
    if (!(error instanceof ConfigError)) throw error;
    const key = Object.entries(CONTEXT_TO_ENV).find(([, v]) => v === error.variable.split(".")[0])?.[0];
    const hint = key ? ` (set it with: cdk synth -c ${key}=...)` : "";
    console.error(`edge-jwt-authorizer: ${error.message}${hint}`);
    process.exit(1);
  }
}
