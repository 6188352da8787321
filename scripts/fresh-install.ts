/**
 * `npm run check:install`: installs the package as a stranger would, from its own tarball, into an empty
 * project, and checks what a user meets first. It needs the npm registry, so it is a script for the
 * release checklist, not part of `npm test` (tests never leave 127.0.0.1).
 *
 * 1. `npm pack`, then `npm install <tarball> hono@4.6.20 typescript` in a fresh directory: at most 12
 *    packages beyond those asked for, and hono installed once;
 * 2. a strict TypeScript file puts the Hono middleware on the app's own `new Hono()` and compiles;
 * 3. `npm install express` and an Express app behind `edge-jwt-authorizer/node` answers 200, 401 and 403;
 * 4. `npx edge-jwt --version` prints the version.
 *
 * Exits 1 with the first failure; prints each figure it measured.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "edge-jwt-install-"));
const run = (cmd: string, args: string[], cwd = dir) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const step = (text: string) => process.stdout.write(`check:install: ${text}\n`);
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
  step(`ok: ${what}`);
}

try {
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const tarball = join(
    dir,
    run("npm", ["pack", "--silent", "--pack-destination", dir], root).trim().split("\n").pop()!,
  );
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }));
  const asked = ["hono@4.6.20", "typescript"];
  run("npm", ["install", "--no-audit", "--no-fund", tarball, ...asked]);
  const installed = Object.keys(
    (JSON.parse(run("npm", ["ls", "--all", "--json"])) as { dependencies: Record<string, unknown> }).dependencies,
  );
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
    packages: Record<string, unknown>;
  };
  // The lock also lists optional packages for other platforms (TypeScript's native builds): count what is on disk.
  const packages = Object.keys(lock.packages).filter((p) => p !== "" && existsSync(join(dir, p)));
  const beyond = packages.length - (asked.length + 1);
  step(`installed ${packages.length} packages (${installed.join(", ")} at the top)`);
  check(beyond <= 12, `at most 12 packages beyond those asked for (${beyond})`);
  const honos = packages.filter((p) => p.endsWith("node_modules/hono"));
  check(honos.length === 1, `hono installed once (${honos.join(", ")})`);

  writeFileSync(
    join(dir, "app.ts"),
    `import { Hono } from "hono";
import { jwtAuthorizer } from "edge-jwt-authorizer/hono";
const app = new Hono();
app.use("/api/*", jwtAuthorizer({ env: { JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api" } }));
app.get("/api/me", (c) => c.json({ sub: c.get("jwtPayload")?.sub ?? null, reason: c.get("auth").reason }));
export default app;
`,
  );
  const tsconfig = {
    compilerOptions: {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom"],
      types: [],
    },
    files: ["app.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  run("npx", ["tsc", "-p", "tsconfig.json"]);
  check(true, "a strict tsc compiles the Hono middleware on the app's own new Hono()");

  run("npm", ["install", "--no-audit", "--no-fund", "express@5"]);
  writeFileSync(
    join(dir, "express.mjs"),
    `import express from "express";
import { createAuthorizer, configFromEnv } from "edge-jwt-authorizer";
import { nodeAuthorizer } from "edge-jwt-authorizer/node";
const secret = "a-secret-of-at-least-thirty-two-bytes!";
const config = configFromEnv({
  JWT_ISSUER: "https://idp.example/", JWT_AUDIENCE: "api", JWT_SECRET: secret,
  JWT_CONFIG: { routes: [{ path: "/admin/*", access: "protected", roles: ["admin"] }] },
});
const app = express();
app.use(nodeAuthorizer({ authorizer: createAuthorizer(config) }));
app.get("/*rest", (req, res) => res.json({ sub: req.auth?.subject ?? null }));
const server = app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = "http://127.0.0.1:" + server.address().port;
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const b64 = (b) => Buffer.from(b).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const input = b64(JSON.stringify({ alg: "HS256", typ: "JWT" })) + "." +
  b64(JSON.stringify({ iss: "https://idp.example/", aud: "api", sub: "alice", iat: now, exp: now + 60 }));
const token = input + "." + b64(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)));
const auth = { authorization: "Bearer " + token };
const statuses = [
  (await fetch(base + "/me", { headers: auth })).status,
  (await fetch(base + "/me")).status,
  (await fetch(base + "/admin/x", { headers: auth })).status,
];
server.close();
console.log(JSON.stringify(statuses));
`,
  );
  const statuses = run("node", ["express.mjs"]).trim();
  check(statuses === "[200,401,403]", `an Express app answers 200, 401 and 403 through the Node adapter (${statuses})`);

  const printed = run("npx", ["edge-jwt", "--version"]).trim();
  check(printed === `edge-jwt ${version}`, `npx edge-jwt --version prints "${printed}"`);
  step("all checks passed");
} catch (e) {
  const err = e as Error & { stderr?: string };
  process.stderr.write(`check:install: FAILED: ${err.message}\n${err.stderr ?? ""}\n`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
