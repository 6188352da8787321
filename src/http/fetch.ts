/**
 * One bounded fetch of a JSON document: a timeout, no redirects, a cap on the body, JSON only.
 * Every failure is an `Error` whose message is safe to log. A POST passes `post` (method, body, headers).
 * @module
 */

import { withTimeout } from "./bounds.js";

export interface FetchedJson {
  body: unknown;
  /** `max-age` from `Cache-Control`, in seconds, if any; `0` for `no-store`/`no-cache`. */
  maxAge?: number;
}

export async function fetchJson(
  fetcher: typeof fetch,
  url: string,
  timeoutMs: number,
  maxBytes: number,
  post?: { body: string; headers: Record<string, string> },
): Promise<FetchedJson> {
  const controller = new AbortController();
  return withTimeout(read(fetcher, url, controller.signal, maxBytes, post), timeoutMs, () => {
    controller.abort();
    throw new Error(`timed out after ${timeoutMs} ms`);
  });
}

async function read(
  fetcher: typeof fetch,
  url: string,
  signal: AbortSignal,
  maxBytes: number,
  post?: { body: string; headers: Record<string, string> },
): Promise<FetchedJson> {
  const headers = { accept: "application/json", ...post?.headers };
  const init: RequestInit = { redirect: "manual", signal, headers };
  if (post) Object.assign(init, { method: "POST", body: post.body });
  const response = await fetcher(url, init);
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`body of ${declared} bytes exceeds ${maxBytes}`);
  }
  const text = await readCapped(response, maxBytes);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error("answered something that is not JSON");
  }
  const result: FetchedJson = { body };
  const maxAge = parseMaxAge(response.headers.get("cache-control"));
  if (maxAge !== undefined) result.maxAge = maxAge;
  return result;
}

/** Reads a body as UTF-8 text, refusing more than `maxBytes`. */
export async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** `max-age` (or `s-maxage`) from `Cache-Control`; 0 for `no-store`/`no-cache`. */
export function parseMaxAge(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(header)) return 0;
  const m = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)"?/i.exec(header);
  return m ? Number(m[1]) : undefined;
}
