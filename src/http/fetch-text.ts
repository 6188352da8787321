/**
 * One bounded fetch of a small text document (an ALB public key in PEM): a timeout, no redirects, a cap
 * on the body. Every failure is an `Error` whose message is safe to log; `missing` marks a 404/403.
 * @module
 */
import { withTimeout } from "./bounds.js";
import { parseMaxAge, readCapped } from "./fetch.js";

export interface FetchedText {
  text: string;
  maxAge?: number;
}

/** An error for an answer that says the document does not exist (as opposed to an outage). */
export class MissingDocument extends Error {}

/**
 * Fetches `url` as text within `timeoutMs` and `maxBytes`.
 *
 * @example
 * ```ts
 * const { text } = await fetchText(fetch, "https://public-keys.auth.elb.eu-west-1.amazonaws.com/kid", 3000, 4096);
 * ```
 */
export async function fetchText(
  fetcher: typeof fetch,
  url: string,
  timeoutMs: number,
  maxBytes: number,
): Promise<FetchedText> {
  const controller = new AbortController();
  const work = (async (): Promise<FetchedText> => {
    const response = await fetcher(url, { redirect: "manual", signal: controller.signal });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      const Kind = response.status === 404 || response.status === 403 ? MissingDocument : Error;
      throw new Kind(`answered HTTP ${response.status}`);
    }
    if (Number(response.headers.get("content-length")) > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`body exceeds ${maxBytes} bytes`);
    }
    const text = await readCapped(response, maxBytes);
    const maxAge = parseMaxAge(response.headers.get("cache-control"));
    return maxAge === undefined ? { text } : { text, maxAge };
  })();
  return withTimeout(work, timeoutMs, () => {
    controller.abort();
    throw new Error(`timed out after ${timeoutMs} ms`);
  });
}
