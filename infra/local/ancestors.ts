/**
 * Noticing that whoever started us is gone. `npm` does not pass a SIGTERM it receives on to the script
 * it runs, so `kill <npm pid>` would leave the stack running; watching the parent and grandparent
 * (tsx and npm) closes that gap. Linux reads /proc; elsewhere only the parent is watched.
 * @module
 */
import { readFileSync } from "node:fs";

/** How often the ancestors are checked (ms). */
export const ANCESTOR_POLL_MS = 1000;

function parentOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Calls `onGone` once when the parent or grandparent process exits (or we are re-parented).
 * Returns a function that stops watching. The timer never keeps the process alive.
 */
export function watchAncestors(onGone: () => void): () => void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  const watched = [parent, ...(grandparent !== undefined && grandparent > 1 ? [grandparent] : [])];
  const timer = setInterval(() => {
    if (process.ppid !== parent || !watched.every(alive)) {
      clearInterval(timer);
      onGone();
    }
  }, ANCESTOR_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
