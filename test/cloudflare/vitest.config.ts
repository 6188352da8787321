import { defineProject } from "vitest/config";

// The Worker runs in real workerd (wrangler's unstable_startWorker); the tests drive it from Node, where
// the test issuer and echo origin live and count their requests.
export default defineProject({
  test: {
    name: "cloudflare",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/cloudflare/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { WRANGLER_SEND_METRICS: "false" },
  },
});
