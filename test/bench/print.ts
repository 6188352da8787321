/**
 * Renders a run as plain-text tables: operations per second per algorithm with the ratio to each
 * section's baseline, the fetch counts and artifacts, then the targets with PASS/MISS.
 */
import { pairedRatio, type Measured } from "./measure.js";
import { ALGS } from "./setup.js";
import type { Results } from "./results.js";
import { ROW } from "./rows/fresh.js";
import { REPEAT_ROW } from "./rows/repeat.js";
import { HONO_ROW } from "./rows/hono.js";
import { WORKERD_ROW } from "./runtimes/workerd.js";
import { USER_ROW, type UserRows } from "./rows/users.js";
import { WORKER_ROW, type WorkerRps } from "./runtimes/worker-rps.js";
import { FEW_RULES, MANY_RULES, type RouteRows } from "./rows/routes.js";

type Table = Record<string, Record<string, Measured | string>>;

const k = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : `${Math.round(n)}`;

function cell(row: Measured | string | undefined, base: Measured | string | undefined): string {
  if (row === undefined) return "-";
  if (typeof row === "string") return row;
  const rel = base && typeof base !== "string" ? ` (${pairedRatio(row, base).toFixed(2)}x)` : "";
  return `${k(row.opsPerSec)}/s${rel}`;
}

function grid(title: string, rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((v, c) => v.padEnd(widths[c]!)).join(" | ")} |`;
  const sep = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [`\n${title}`, line(rows[0]!), sep, ...rows.slice(1).map(line)].join("\n");
}

/** One ops/s table per algorithm column; ratios against `base`. */
function opsTable(title: string, data: Table | { error: string }, names: string[], base: string): string {
  if ("error" in data && typeof data.error === "string") return `\n${title}\n  FAILED: ${data.error}`;
  const t = data as Table;
  return grid(`${title} (ops/s, median of rounds; ratio vs ${base}, median of per-round ratios)`, [
    ["", ...ALGS],
    ...names.map((n) => [n, ...ALGS.map((a) => cell(t[a]?.[n], t[a]?.[base]))]),
  ]);
}

const failed = (v: unknown): string | undefined =>
  v && typeof v === "object" && "error" in v ? String((v as { error: unknown }).error) : undefined;

/** The whole report. */
export function render(r: Results): string {
  const out: string[] = [
    `edge-jwt-authorizer bench (${r.meta.quick ? "QUICK, figures meaningless" : "full"}) — ${r.meta.node}, ${r.meta.cpus} cores, load ${String(r.meta.loadavgAtStart)} -> ${String(r.meta.loadavgAtEnd)}, ${String(r.meta.seconds)} s`,
  ];
  out.push(opsTable("Fresh tokens, keys cached, Node", r.fresh, Object.values(ROW), ROW.rawNode));
  out.push(opsTable("Same token repeated, Node", r.sameToken, Object.values(REPEAT_ROW), REPEAT_ROW.fastJwt));
  out.push(opsTable("Hono app.request()", r.hono, Object.values(HONO_ROW), HONO_ROW.jwkFresh));
  const w = failed(r.workerd) ?? (r.workerd as { runtime: string }).runtime;
  out.push(
    opsTable(
      `Inside workerd (${w})`,
      failed(r.workerd) ? (r.workerd as { error: string }) : (r.workerd as { rows: Table }).rows,
      Object.values(WORKERD_ROW),
      WORKERD_ROW.subtle,
    ),
  );
  const a = r.authorize;
  out.push(
    failed(a)
      ? `\nauthorize(): FAILED ${failed(a)}`
      : (() => {
          const o = a as Exclude<Results["authorize"], { error: string }>;
          return grid("authorize() end to end vs bare verify() (ES256)", [
            ["", "verify", "authorize", "beyond verify"],
            [
              "same token (cache hit)",
              `${o.sameToken.verify.usPerOp} us`,
              `${o.sameToken.authorize.usPerOp} us`,
              `${o.sameToken.beyondVerifyUs} us`,
            ],
            [
              `fresh tokens (${o.freshTokens.primitive})`,
              `${o.freshTokens.verify.usPerOp} us`,
              `${o.freshTokens.authorize.usPerOp} us`,
              `${o.freshTokens.beyondVerifyUs} us`,
            ],
            [
              "same token, with onDecision",
              "",
              `${o.sameToken.withHook.usPerOp} us`,
              `hook adds ${o.sameToken.hookUs} us`,
            ],
            [
              `same token, revocation list on (${o.revocation.listEntries} entries)`,
              "",
              `${o.revocation.sameToken.usPerOp} us`,
              `${o.revocation.sameTokenAddedUs} us over off`,
            ],
            [
              "fresh tokens, revocation list on",
              "",
              `${o.revocation.freshTokens.usPerOp} us`,
              `${o.revocation.freshTokensAddedUs} us over off`,
            ],
            ["mint x-auth-assertion, ES256", "", `${o.assertion.ES256.usPerOp} us`, "one signature per request"],
            ["mint x-auth-assertion, EdDSA", "", `${o.assertion.EdDSA.usPerOp} us`, "one signature per request"],
            [
              "same token, DPoP proof checked (ES256)",
              "",
              `${o.dpop.dpop.usPerOp} us`,
              `${o.dpop.addedUs} us over Bearer`,
            ],
          ]);
        })(),
  );
  const users = r.users;
  if (failed(users)) out.push(`\nauthorize() as users call it: FAILED ${failed(users)}`);
  else {
    const u = users as UserRows;
    out.push(
      opsTable(
        `authorize() as users call it (${u.entry}, Request built before timing)`,
        u.rows,
        Object.values(USER_ROW),
        USER_ROW.raw,
      ),
      grid("authorize() as users call it: the figures the targets judge", [
        ["", ...ALGS],
        ["authorize() fresh / raw node:crypto", ...ALGS.map((a) => `${u.ratios[a].freshVsRaw}x`)],
        ["beyond verify(), fresh tokens", ...ALGS.map((a) => `${u.ratios[a].beyondFreshUs} us`)],
        ["beyond verify(), same token", ...ALGS.map((a) => `${u.ratios[a].beyondSameUs} us`)],
        ["authorize() same token / fast-jwt cache", ...ALGS.map((a) => `${u.ratios[a].sameVsFastJwt}x`)],
      ]),
    );
  }
  const rps = r.workerRps;
  if (failed(rps)) out.push(`\nthe Worker with and without auth: FAILED ${failed(rps)}`);
  else {
    const w = rps as WorkerRps;
    out.push(
      grid(`The Worker in workerd (wrangler.toml), HTTP, ${w.inFlight} requests in flight, one repeated ES256 token`, [
        ["", "requests/s", "vs without auth"],
        [WORKER_ROW.withoutAuth, `${Math.round(w.rows[WORKER_ROW.withoutAuth]!.opsPerSec)}`, "1.00x"],
        [WORKER_ROW.withAuth, `${Math.round(w.rows[WORKER_ROW.withAuth]!.opsPerSec)}`, `${w.withOverWithout}x`],
      ]),
    );
  }
  const routes = r.routes;
  out.push(
    failed(routes)
      ? `\nauthorize() and route rules: FAILED ${failed(routes)}`
      : (() => {
          const o = routes as RouteRows;
          return grid("authorize() and the number of route rules (ES256, same token)", [
            ["rules", "authorize", "over few rules"],
            [FEW_RULES.toLocaleString("en"), `${o.few.usPerOp} us`, ""],
            [MANY_RULES.toLocaleString("en"), `${o.many.usPerOp} us`, `${o.manyOverFew}x`],
          ]);
        })(),
  );
  out.push(scaleTable(r.keysScale));
  out.push(
    grid("Ratios", [
      ["", ...ALGS],
      ...Object.keys(r.ratios[ALGS[0]] ?? {}).map((name) => [
        name,
        ...ALGS.map((alg) => {
          const v = r.ratios[alg]?.[name];
          return v === null || v === undefined ? "n/a" : `${v}x`;
        }),
      ]),
    ]),
  );
  const details: string[][] = [["figure", "value"]];
  const f = r.fetchCounts;
  if (!failed(f)) {
    const fc = f as Exclude<Results["fetchCounts"], { error: string }>;
    details.push([
      "cold burst",
      `${fc.coldBurst.requests} concurrent, ${fc.coldBurst.allowed} allowed, ${fc.coldBurst.jwksFetches} JWKS fetch(es)`,
    ]);
    details.push([
      "random-kid flood",
      `${fc.kidFlood.requests} requests, ${fc.kidFlood.refusedKidUnknown} kid_unknown, ${fc.kidFlood.refusalsPerSec}/s; ${fc.kidFlood.jwksFetchesOneInstant} fetch at one instant; ${fc.kidFlood.jwksFetchesSpread} over ${fc.kidFlood.spanSeconds} s`,
    ]);
  }
  const b = r.bundle;
  if (!failed(b)) {
    const bs = b as Exclude<Results["bundle"], { error: string }>;
    details.push(["Worker bundle", bs.files.map((x) => `${x.file} ${x.bytes} B, ${x.gzipBytes} B gzip`).join("; ")]);
    for (const f of bs.features)
      details.push([`  ${f.feature}`, `${f.minifiedBytes} B minified, ~${f.gzipKiB} KiB of the gzip size`]);
  }
  const ci = r.coldImport;
  if (!failed(ci))
    details.push([
      "Lambda cold import runs (ms)",
      `${(ci as ColdRuns).runsMs.join(", ")}; node:crypto alone: ${(ci as ColdRuns).nodeCryptoAloneMs} ms`,
    ]);
  out.push(grid("Counts and artifacts", details));
  out.push(
    grid("Targets (issue 9)", [
      ["status", "figure", "target"],
      ...r.targets.map((t) => [t.status, t.measured, t.target]),
    ]),
  );
  for (const [name, v] of Object.entries(r)) if (failed(v)) out.push(`\nsection ${name} FAILED: ${failed(v)}`);
  return out.join("\n");
}

type ColdRuns = { runsMs: number[]; nodeCryptoAloneMs: number };

/** authorize() with many issuers or keys against one: time per request and the cost ratio. */
function scaleTable(s: Results["keysScale"]): string {
  const title = "Many issuers, many keys: authorize() (ES256), time per request with one vs many";
  if (failed(s)) return `\n${title}\n  FAILED: ${failed(s)}`;
  const k = s as Exclude<Results["keysScale"], { error: string }>;
  const row = (name: string, p: (typeof k.issuers)["sameToken"]) => [
    name,
    `${p.one.usPerOp} us`,
    `${p.many.usPerOp} us`,
    `${p.cost}x`,
  ];
  return grid(title, [
    ["", "one", "many", "cost (many / one)"],
    row(`${k.issuers.count} issuers, same token`, k.issuers.sameToken),
    row(`${k.issuers.count} issuers, fresh tokens`, k.issuers.freshTokens),
    row(`${k.keys.count} keys in the JWKS, same token`, k.keys.sameToken),
    row(`${k.keys.count} keys in the JWKS, fresh tokens`, k.keys.freshTokens),
  ]);
}
