/**
 * The two bounds on everything the core fetches: a time limit (a call that never answers costs at most
 * its timeout) and where it may fetch from (https, or plain http on loopback for local development).
 * @module
 */

/**
 * `work`, or `onTimeout()` once `ms` have passed, whichever comes first; the timer never outlives the
 * race. `onTimeout` may throw (the race rejects) or return a fallback.
 *
 * @example
 * ```ts
 * await withTimeout(store.get(id), 3000, () => { throw new Error("key store timed out"); });
 * ```
 */
export function withTimeout<T, U = never>(work: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (e) {
        reject(e);
      }
    }, ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/** Whether the core may fetch from `url`: https, or plain http on a loopback host. */
export const isFetchable = (url: URL): boolean =>
  url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.includes(url.hostname));
