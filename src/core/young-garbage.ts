import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A scavenge (V8's minor GC) on demand, for code that turns over many large, short-lived buffers.
 *
 * Why: node:http copies each chunk of a request body into a new ArrayBuffer, and V8 frees those only
 * when a GC runs. A scavenge is triggered by JS objects filling the young generation, not by buffer
 * bytes, so a 38.6 MiB upload piles up ~30 MiB of dead chunks until V8's external-memory limit
 * starts a full GC of the whole heap. Every chunk lands in fresh heap pages, and in a process with
 * DuckDB those pages are fresh again on the next upload: DuckDB's idle worker threads call glibc's
 * malloc_trim, which hands every free page of the process back to the kernel. A scavenge every few
 * MiB frees the dead chunks while they are young, so later chunks reuse the same few MiB: measured
 * in `brickyard up`, receiving 38.6 MiB went from 150–200 ms with ~7,500 page faults to 45–85 ms
 * with ~1,500 (bench/README.md, "Where the upload's extra time goes").
 */

type Gc = (options: { type: 'minor' | 'major' }) => void;

/** undefined until first asked for; null where this Node does not expose its GC. */
let gc: Gc | null | undefined;

/**
 * V8's `gc` function without `--expose-gc` on the command line: the flag is set only while a new
 * context is made (its global `gc` is the one function wanted), then unset, as Jest's leak detector
 * does, so no other context, nor the main one, ever sees a `gc` global.
 */
function exposeGc(): Gc | null {
  try {
    setFlagsFromString('--expose-gc');
    const fn: unknown = runInNewContext('gc');
    return typeof fn === 'function' ? (fn as Gc) : null;
  } catch {
    return null;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

/** Runs a scavenge now (about a millisecond): dead young objects, and the buffers they hold, are freed. */
export function collectYoungGarbage(): void {
  if (gc === undefined) gc = exposeGc();
  gc?.({ type: 'minor' });
}
