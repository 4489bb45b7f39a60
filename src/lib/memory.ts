import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;
let gcReturningMemory: (() => void) | undefined;
let liveAfterLast = 0;

/** Garbage allowed to pile up between collections: enough that a collection is rare, small enough to matter. */
const SLACK = 48 * 1024 * 1024;

/**
 * A full garbage collection, now. The retention sweep makes its garbage in bursts (a batch's rows,
 * its JSON parameters, its ciphertexts) and V8 grows the heap lazily rather than collect: on the
 * 1,000,000-customer shop that doubled the process's peak memory. Collecting after each batch keeps
 * the peak near what is alive, at no measurable cost to speed (a few ms per 2,000 people).
 * Node exposes `gc` only behind a flag; the flag can be set at run time for a fresh context.
 */
export function collectGarbage(): void {
  exposeGc();
  gc ??= runInNewContext('gc') as () => void;
  gc();
  liveAfterLast = getHeapStatistics().used_heap_size;
}

/**
 * A full collection that gives what it frees back to the system, as V8's memory reducer does once a process
 * has idled for several seconds (a plain collection keeps the freed pages for reuse: the resident size
 * stays). For a moment after which the process idles: a server just started.
 */
export function returnMemory(): void {
  exposeGc();
  // V8's `last-resort` collection (the one it makes before giving up on memory): several passes, in the
  // mode that shrinks the heap. Its options are read in the context `gc` lives in, so they are made there.
  // Node 20's V8 (11.3) takes any argument as "minor": a young-generation collection, which changes little;
  // there V8's own memory reducer gives the pages back after about 15 s of idling.
  gcReturningMemory ??= runInNewContext(
    "() => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })",
  ) as () => void;
  gcReturningMemory();
  liveAfterLast = getHeapStatistics().used_heap_size;
}

let exposed = false;
/** Node exposes `gc` only behind a flag; set at run time, it holds for contexts made after. */
function exposeGc(): void {
  if (exposed) return;
  setFlagsFromString('--expose-gc');
  exposed = true;
}

/** Collects when the heap holds more than SLACK of garbage since the last collection (cheap to call often). */
export function collectGarbageIfGrown(): void {
  if (getHeapStatistics().used_heap_size > liveAfterLast + SLACK) collectGarbage();
}
