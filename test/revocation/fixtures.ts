/**
 * A revocation list served next to the fake issuer: a `fetch` that answers the list URL from a
 * mutable state (entries, failure mode, or held until released) and everything else from the issuer.
 */
import { fakeIssuer, makeKey, type Mode, type TestKey } from "../keys/fixtures.js";

export const LIST_URL = "https://idp.example/revoked.json";

/** A deferred answer: `fetch` of the list waits for `release()`. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { opened, release: () => open() };
}

/** The fake issuer plus a list at `LIST_URL`. */
export async function listServer() {
  const key: TestKey = await makeKey("k1");
  const idp = fakeIssuer([key.jwk]);
  const state = {
    revoked: [] as Array<Record<string, unknown>>,
    mode: "ok" as Mode,
    /** A raw body, sent instead of `{revoked}` when set. */
    body: undefined as string | undefined,
    held: undefined as ReturnType<typeof gate> | undefined,
    fetches: 0,
  };
  const issuerFetch = idp.fetch;
  const fetcher = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== LIST_URL) return issuerFetch(input, init);
    state.fetches++;
    if (state.held) await state.held.opened;
    if (state.mode === "500") return new Response("down", { status: 500 });
    if (state.mode === "garbage") return new Response("<html>", { status: 200 });
    const body = state.body ?? JSON.stringify({ revoked: state.revoked });
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  };
  return Object.assign(state, {
    key,
    idp,
    fetch: fetcher as typeof fetch,
    /** Holds every list fetch until the returned `release` is called. */
    hold() {
      state.held = gate();
      return state.held.release;
    },
  });
}
