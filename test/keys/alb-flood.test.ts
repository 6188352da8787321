/**
 * AWS ALB keys under a flood of made-up kids, with an injected clock and fetch: what the flood costs in
 * fetches, and how soon a real key rotation gets through it. ALB publishes one PEM per kid at
 * `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>` ("Authenticate users using an Application
 * Load Balancer", "User claims encoding and signature verification", docs.aws.amazon.com/elasticloadbalancing/
 * latest/application/listener-authenticate-users.html), so every new kid is a fetch of its own.
 */
import { describe, expect, it } from "vitest";
import { exportSPKI, generateKeyPair } from "jose";
import { configFromEnv, createAuthorizer, type Decision } from "../../src/index.js";
import { silentLogger } from "../../src/deps.js";
import { ALB_FREE_KID_FETCHES, ALB_KID_WINDOW } from "../../src/limits.js";

const REGION = "eu-west-1";
const ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188";
const START = 1_800_000_000_000; // ms, on a window boundary
const OLD = "e7a6b2c1-1234-4a5b-8c9d-0123456789ab";
const NEW = "0f3a9c2d-5678-4b6c-9d0e-abcdefabcdef";
const keyUrl = (kid: string) => `https://public-keys.auth.elb.${REGION}.amazonaws.com/${kid}`;
const madeUp = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
/** Fetches a flood may cause in `ms` milliseconds from a window boundary: the free ones plus the ranked one. */
const bound = (ms: number) => (ALB_FREE_KID_FETCHES + 1) * Math.ceil(ms / (ALB_KID_WINDOW * 1000));

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64url");

async function albSetup() {
  let now = START;
  const pems: Record<string, string> = {};
  const urls: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    urls.push(url);
    return url in pems ? new Response(pems[url]) : new Response("not found", { status: 404 });
  }) as typeof globalThis.fetch;
  const config = { issuers: [{ preset: "aws-alb", region: REGION, albArn: ARN }] };
  const authorizer = createAuthorizer(configFromEnv({ JWT_CONFIG: JSON.stringify(config) }), {
    fetch,
    now: () => now,
    logger: silentLogger,
  });
  const header = (kid: string) => b64(JSON.stringify({ alg: "ES256", kid, signer: ARN, typ: "JWT" }));
  const payload = () =>
    b64(JSON.stringify({ sub: "alice", iss: "https://idp.example.com", exp: Math.floor(now / 1000) + 120 }));
  /** A key published at its kid's URL, and a token it signs. */
  const publish = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    pems[keyUrl(kid)] = await exportSPKI(publicKey);
    return async () => {
      const input = `${header(kid)}.${payload()}`;
      const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, Buffer.from(input));
      return `${input}.${b64(new Uint8Array(sig))}`;
    };
  };
  /** A made-up kid's token: the signature does not matter, the key lookup comes first. */
  const forged = (kid: string) => `${header(kid)}.${payload()}.${b64(new Uint8Array(64).fill(7))}`;
  const call = (token: string): Promise<Decision> =>
    authorizer.authorize(new Request("https://app.example.com/", { headers: { "x-amzn-oidc-data": token } }));
  const outcome = (d: Decision) => (d.ok ? "ok" : `${d.status} ${d.code}`);
  return { urls, publish, forged, call, outcome, at: (ms: number) => (now = START + ms) };
}

describe("AWS ALB keys under a flood of made-up kids", () => {
  it("10,000 made-up kids over 60 s cost at most 3 fetches per 10-second window, each refused", async () => {
    const { urls, forged, call, outcome, at } = await albSetup();
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      at(i * 6);
      seen.add(outcome(await call(forged(madeUp(i)))));
    }
    // Fetched and not found: 401 kid_unknown; no fetch left: 503, nothing said about the token.
    expect([...seen].sort()).toEqual(["401 kid_unknown", "503 keys_unavailable"]);
    expect(urls.length).toBeLessThanOrEqual(bound(60_000));
    expect(urls.length).toBe(ALB_FREE_KID_FETCHES * 6); // made-up kids asked once never win the ranked fetch
  });

  it("a made-up kid asked for again and again is fetched once per cooldown (30 s)", async () => {
    const { urls, forged, call, outcome, at } = await albSetup();
    for (let i = 0; i < 1000; i++) {
      at(i * 29);
      expect(outcome(await call(forged(madeUp(1))))).toBe("401 kid_unknown");
    }
    expect(urls).toEqual([keyUrl(madeUp(1))]);
    at(30_000);
    await call(forged(madeUp(1)));
    expect(urls.length).toBe(2);
  });

  it("a kid that is not a UUID is refused without any fetch", async () => {
    const { urls, forged, call, outcome } = await albSetup();
    for (const kid of ["../../x", "key-1", "e7a6b2c1123440a58c9d0123456789ab", `${OLD}0`])
      expect(outcome(await call(forged(kid)))).toBe("401 kid_unknown");
    expect(urls).toEqual([]);
  });

  it.each([
    ["100 made-up kids a second, a real request every 90 ms", 30, 3],
    ["1,000 made-up kids a second, a real request every 240 ms", 3, 80],
  ])("a real rotated kid arriving mid-flood verifies within 20 s (%s)", async (_name, tickMs, realEveryTicks) => {
    const { urls, publish, forged, call, outcome, at } = await albSetup();
    const oldToken = await publish(OLD);
    at(0);
    expect(outcome(await call(await oldToken()))).toBe("ok");
    const newToken = await publish(NEW); // ALB rotates: the new kid appears at 15 s, mid-window
    const rotatedAt = 15_000;
    let verifiedAt: number | undefined;
    let flood = 0;
    for (let t = 0; t <= 60_000 && verifiedAt === undefined; t += tickMs) {
      at(t);
      // Three made-up kids before every real request: the flood always takes the free fetches first.
      for (let i = 0; i < 3; i++) expect(outcome(await call(forged(madeUp(flood++))))).not.toBe("ok");
      if (t >= rotatedAt && ((t - rotatedAt) / tickMs) % realEveryTicks === 0) {
        const d = await call(await newToken());
        if (d.ok) verifiedAt = t;
        else expect(outcome(d)).toBe("503 keys_unavailable"); // retry later, never "bad token"
      }
    }
    expect(verifiedAt).toBeDefined();
    expect(verifiedAt! - rotatedAt).toBeLessThanOrEqual(2 * ALB_KID_WINDOW * 1000);
    expect(urls.length).toBeLessThanOrEqual(bound(verifiedAt!));
    expect(urls.filter((u) => u === keyUrl(NEW))).toHaveLength(1);
  });

  it("a flood that asks for one fresh made-up kid more often than the real one delays it one window per kid", async () => {
    const { urls, publish, forged, call, outcome, at } = await albSetup();
    const newToken = await publish(NEW);
    const W = ALB_KID_WINDOW * 1000;
    at(0);
    for (let i = 0; i < 2; i++) await call(forged(madeUp(1000 + i))); // the flood takes the free fetches
    const focused = (w: number) => madeUp(w); // one fresh kid per window, asked for 20 times
    const FOCUSED_WINDOWS = 3; // then the flood gives up focusing
    let verifiedIn: number | undefined;
    for (let w = 0; w < 6 && verifiedIn === undefined; w++) {
      at(w * W + 1);
      for (let i = 0; i < 2; i++) await call(forged(madeUp(2000 + 10 * w + i)));
      // Last window's winner was fetched on its first request in this one, and is no such kid.
      if (w > 0 && w <= FOCUSED_WINDOWS) expect(outcome(await call(forged(focused(w - 1))))).toBe("401 kid_unknown");
      for (let i = 0; i < 20; i++) {
        at(w * W + 100 + i * 100);
        if (w < FOCUSED_WINDOWS) await call(forged(focused(w)));
        if (i % 2 === 0 && (await call(await newToken())).ok) verifiedIn = w;
      }
    }
    // Asked for less often than the focused kids in windows 0-2, most in window 3: fetched in window 4.
    expect(verifiedIn).toBe(FOCUSED_WINDOWS + 1);
    expect(urls.length).toBeLessThanOrEqual(bound(5 * W));
  });

  it("a real new kid with no flood is fetched on its first request", async () => {
    const { urls, publish, call, outcome, at } = await albSetup();
    const token = await publish(NEW);
    at(123);
    expect(outcome(await call(await token()))).toBe("ok");
    expect(urls).toEqual([keyUrl(NEW)]);
  });
});
