import { defineConfig } from "vitest/config";

// Two kinds of test project: plain Node (unit, security, AWS handler, Vercel in edge-runtime, e2e),
// and the Worker inside workerd (test/cloudflare/vitest.config.ts, @cloudflare/vitest-pool-workers).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/cloudflare/**", "node_modules/**"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      "test/cloudflare/vitest.config.ts",
    ],
  },
});
