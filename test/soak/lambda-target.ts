/** The built Lambda handler (dist/aws/handler.mjs) as a soak target: TOKEN events, statuses as API Gateway answers. */
import { ensureBuilt, importHandler, lambdaContext } from "../aws/harness.js";
import { tokenEvent } from "../aws/events.js";
import type { SoakIssuer } from "./issuer.js";
import type { soakConfig, Target } from "./driver.js";

export async function lambdaTarget(issuer: SoakIssuer, config: ReturnType<typeof soakConfig>): Promise<Target> {
  ensureBuilt();
  const handler = await importHandler({
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: "api",
    JWT_JWKS_URI: issuer.jwksUri("lambda"),
    JWT_CONFIG: JSON.stringify(config),
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  const ctx = lambdaContext();
  return {
    name: "lambda",
    async send(token) {
      try {
        const result = await handler(tokenEvent("GET", "/orders/1", `Bearer ${token}`), ctx);
        return result?.policyDocument?.Statement?.[0]?.Effect === "Allow" ? 200 : 403;
      } catch (error) {
        const message = (error as Error).message;
        // The handler's two documented answers: 401, and 500 for keys unavailable (the Lambda's 503).
        return message === "Unauthorized" ? 401 : message === "Authorizer unavailable" ? 503 : 500;
      }
    },
  };
}
