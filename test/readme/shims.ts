/**
 * The commands a shell snippet may call, as bash finds them on PATH in the snippet tests: `edge-jwt`
 * is the built CLI (dist/cli.js); `npm` and `npx` run the CLI (`npm run cli --`, `npx edge-jwt`) and
 * check everything else by name (npm scripts of package.json, wrangler subcommands and bindings, CDK
 * context keys, whose JWT_* values must pass `configFromEnv`); `curl` checks that a call goes to the
 * local stack of `npm start` (ports 8787, 8788, 8789) and plays the development issuer's `POST /token`
 * with the CLI. Nothing is deployed and nothing leaves the machine.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ShimSettings {
  cli: string;
  core: string;
  pkg: string;
  scripts: string[];
  cdkContext: Record<string, string>;
  cdkExtraKeys: string[];
  wranglerCommands: string[];
  bindings: string[];
}

const SHIM = String.raw`
import { appendFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
const [name, ...args] = process.argv.slice(2);
const S = JSON.parse(process.env.SHIM_SETTINGS);
const log = (entry = {}) => appendFileSync(process.env.SHIM_LOG, JSON.stringify({ name, args, ...entry }) + "\n");
const fail = (message) => {
  process.stderr.write(name + ": " + message + "\n");
  process.exit(97);
};
const cli = (a, options = { stdio: "inherit" }) => spawnSync(process.execPath, [S.cli, ...a], options);
const run = (a) => {
  log();
  process.exit(cli(a).status ?? 1);
};
const jwt = /^[\w-]+\.[\w-]+\.[\w-]+$/;

if (name === "edge-jwt") run(args);
if (name === "npm") {
  const [command, ...rest] = args;
  if (command === "ci") (log(), process.exit(0));
  if (command === "install" || command === "i") {
    if (rest[0] !== S.pkg) fail("installs " + rest[0] + ", not " + S.pkg);
    (log(), process.exit(0));
  }
  if (command === "start" || command === "test") {
    if (!S.scripts.includes(command)) fail("no script " + command);
    (log(), process.exit(0));
  }
  if (command === "run") {
    const words = rest.filter((w) => w !== "-s" && w !== "--silent");
    const script = words[0];
    if (!S.scripts.includes(script)) fail("no script " + script + " in package.json");
    if (script === "cli") run(words.slice(words.indexOf("--") + 1));
    (log(), process.exit(0));
  }
  fail("unknown npm command " + command);
}
if (name === "npx") {
  const [tool, ...rest] = args;
  if (tool === "edge-jwt") run(rest);
  if (tool === "wrangler") {
    const words = rest.filter((w) => !w.startsWith("-")).join(" ");
    if (!S.wranglerCommands.some((c) => words === c || words.startsWith(c + " "))) fail("unknown wrangler command " + words);
    const binding = rest[rest.indexOf("--binding") + 1];
    if (rest.includes("--binding") && !S.bindings.includes(binding)) fail("the Worker reads no binding " + binding);
    (log(), process.exit(0));
  }
  if (tool === "cdk") {
    if (!["deploy", "synth", "diff", "destroy"].includes(rest[0])) fail("unknown cdk command " + rest[0]);
    const env = {};
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] !== "-c" && rest[i] !== "--context") continue;
      const [key, ...value] = rest[++i].split("=");
      if (S.cdkContext[key]) env[S.cdkContext[key]] = value.join("=");
      else if (!S.cdkExtraKeys.includes(key)) fail("the CDK app reads no context key " + key);
    }
    const { configFromEnv } = await import(S.core);
    try {
      configFromEnv(env);
    } catch (e) {
      fail(String(e));
    }
    (log({ env }), process.exit(0));
  }
  fail("unknown npx tool " + tool);
}
if (name === "curl") {
  let method = "GET";
  let body;
  const headers = {};
  let url;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-X") method = args[++i];
    else if (a === "-H") {
      const [h, ...v] = args[++i].split(":");
      headers[h.toLowerCase()] = v.join(":").trim();
    } else if (a === "-d") ((body = args[++i]), (method = method === "GET" ? "POST" : method));
    else if (/^https?:/.test(a)) url = new URL(a);
    else if (!["-s", "-i", "-sS", "-f"].includes(a)) fail("unknown option " + a);
  }
  if (!url || url.hostname !== "127.0.0.1") fail("calls " + url + ", not the local stack of npm start");
  if (url.port === "8788") {
    if (method !== "POST" || url.pathname !== "/token") fail("the development issuer has no " + method + " " + url.pathname);
    const request = JSON.parse(body ?? "{}");
    const keyFile = "infra/local/.keys/private.jwk.json";
    if (!existsSync(keyFile)) cli(["keygen", "--alg", "ES256", "--out", "infra/local/.keys"], { stdio: "ignore" });
    const a = ["token", "--key", keyFile, "--iss", "http://127.0.0.1:8788", "--aud", request.aud ?? "api"];
    a.push("--sub", request.sub ?? "dev-user");
    if (request.scope) a.push("--scope", request.scope);
    if (request.roles) a.push("--roles", request.roles.join(","));
    if (request.expires_in !== undefined) a.push("--exp=" + request.expires_in);
    if (request.dpop_jkt) a.push("--claim", "cnf=" + JSON.stringify({ jkt: request.dpop_jkt }));
    const minted = cli(a, { encoding: "utf8" });
    if (minted.status !== 0) fail(minted.stderr);
    const token_type = request.dpop_jkt ? "DPoP" : "Bearer";
    log();
    process.stdout.write(JSON.stringify({ access_token: minted.stdout.trim(), token_type }) + "\n");
    process.exit(0);
  }
  if (url.port === "8787" || url.port === "8789") {
    const auth = headers.authorization;
    if (auth !== undefined && !/^(Bearer|DPoP) [\w-]+\.[\w-]+\.[\w-]+$/.test(auth)) fail("Authorization is not a token");
    if (headers.dpop !== undefined && !jwt.test(headers.dpop)) fail("DPoP is not a proof");
    (log({ headers }), process.exit(0));
  }
  fail("no local service on port " + url.port);
}
if (name === "jq") {
  // Only where the machine has no jq: "jq -r .member" of one JSON object on stdin.
  const { readFileSync } = await import("node:fs");
  const member = args.find((a) => a.startsWith("."))?.slice(1);
  if (!args.includes("-r") || !member) fail("this jq stand-in knows -r .member only");
  process.stdout.write(String(JSON.parse(readFileSync(0, "utf8"))[member]) + "\n");
  process.exit(0);
}
fail("no shim for " + name);
`;

/**
 * A folder of executables for PATH: `edge-jwt`, `npm`, `npx`, `curl` (and `jq` where the machine has
 * none), all running the shim with node.
 */
export function installShims(withJq: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), "readme-shims-"));
  writeFileSync(join(dir, "shim.mjs"), SHIM);
  for (const name of ["edge-jwt", "npm", "npx", "curl", ...(withJq ? ["jq"] : [])]) {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${join(dir, "shim.mjs")}" ${name} "$@"\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}
