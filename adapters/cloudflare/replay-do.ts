/**
 * The Worker's shared DPoP replay store: a Durable Object. A proof sent to two locations at once must
 * be refused at one of them, which needs one place that records and answers in one step: KV is
 * eventually consistent (a replay within about a minute can pass) and the isolate's memory is per
 * location, while a Durable Object is a single instance whose storage operations are serialized.
 * One object per proof key (the thumbprint before `|`), so clients spread over objects.
 */
import type { ReplayStore } from "../../src/index.js";

/** The parts of a Durable Object namespace binding used here. */
export interface ReplayNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

interface DurableStorage {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(keys: string[]): Promise<number>;
  list<T>(options?: { limit?: number }): Promise<Map<string, T>>;
  getAlarm(): Promise<number | null>;
  setAlarm(time: number): Promise<void>;
}

/**
 * A `ReplayStore` on the `JWT_DPOP_REPLAY` Durable Object namespace.
 *
 * @example
 * ```ts
 * createAuthorizer(config, { replayStore: durableObjectReplayStore(env.JWT_DPOP_REPLAY) });
 * ```
 */
export function durableObjectReplayStore(namespace: ReplayNamespace): ReplayStore {
  return {
    async seen(id, expiresAt) {
      const stub = namespace.get(namespace.idFromName(id.slice(0, id.indexOf("|"))));
      const res = await stub.fetch("https://replay.invalid/seen", {
        method: "POST",
        body: JSON.stringify({ id, expiresAt }),
      });
      if (!res.ok) throw new Error(`replay store answered ${res.status}`);
      return (await res.text()) === "seen";
    },
  };
}

/**
 * The Durable Object class (export it from the Worker and bind it as `JWT_DPOP_REPLAY`). Records each
 * identifier until it expires; an alarm deletes expired ones.
 */
export class DpopReplayStore {
  constructor(private readonly state: { storage: DurableStorage }) {}

  async fetch(request: Request): Promise<Response> {
    const body = (await request.json()) as { id?: unknown; expiresAt?: unknown };
    if (typeof body.id !== "string" || typeof body.expiresAt !== "number") return new Response(null, { status: 400 });
    const { storage } = this.state;
    const until = await storage.get<number>(body.id);
    if (until !== undefined && until > Date.now()) return new Response("seen");
    await storage.put(body.id, body.expiresAt);
    if ((await storage.getAlarm()) === null) await storage.setAlarm(body.expiresAt);
    return new Response("new");
  }

  async alarm(): Promise<void> {
    const { storage } = this.state;
    const now = Date.now();
    const entries = await storage.list<number>({ limit: 1000 });
    const expired = [...entries].filter(([, until]) => until <= now).map(([id]) => id);
    for (let i = 0; i < expired.length; i += 128) await storage.delete(expired.slice(i, i + 128));
    const next = Math.min(...[...entries].filter(([, until]) => until > now).map(([, until]) => until));
    if (entries.size > expired.length) await storage.setAlarm(Number.isFinite(next) ? next : now + 60_000);
  }
}
