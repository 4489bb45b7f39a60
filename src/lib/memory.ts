import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface Collections {
  /** A full collection. */
  full(): void;
  /** V8's `last-resort` collection: several full passes in the mode that shrinks the heap. */
  returningMemory(): void;
}

let collections: Collections | undefined;
let liveAfterLast = 0;

/** Garbage allowed to pile up between collections: enough that a collection is rare, small enough to matter. */
const SLACK = 48 * 1024 * 1024;

/**
 * Node exposes `gc` only behind a flag; set at run time, it holds for contexts made after. The options of
 * a collection are read in the context `gc` lives in, so they are made there too.
 */
function exposed(): Collections {
  if (!collections) {
    setFlagsFromString('--expose-gc');
    collections = runInNewContext(
      "({ full: () => gc(), returningMemory: () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }) })",
    ) as Collections;
  }
  return collections;
}

/**
 * Whether V8 knows the collection that gives memory back: Node 22's V8 (12.4) and later. Node 20's (11.3)
 * reads an options object only for a minor or asynchronous collection, and takes any other argument as
 * "minor": a young-generation collection that gives nothing back. There V8's own memory reducer returns the
 * pages after about 15 s of idling.
 */
export const canReturnMemory = Number(process.versions.v8.split('.')[0]) >= 12;

/**
 * A full garbage collection, now. The retention sweep makes its garbage in bursts (a batch's rows,
 * its JSON parameters, its ciphertexts) and V8 grows the heap lazily rather than collect: on the
 * 1,000,000-customer shop that doubled the process's peak memory. Collecting after each batch keeps
 * the peak near what is alive, at no measurable cost to speed (a few ms per 2,000 people).
 */
export function collectGarbage(): void {
  exposed().full();
  liveAfterLast = getHeapStatistics().used_heap_size;
}

/**
 * A full collection that gives what it frees back to the system, as V8's memory reducer does once a process
 * has idled for several seconds (a plain collection keeps the freed pages for reuse: the resident size
 * stays). It blocks the process, about 90 ms in two passes for a server just started on Node 24: for a
 * moment after which the process is likely to idle, such as that. Does nothing where V8 cannot
 * (`canReturnMemory`).
 */
export function returnMemory(): void {
  if (!canReturnMemory) return;
  exposed().returningMemory();
  liveAfterLast = getHeapStatistics().used_heap_size;
}

/** Collects when the heap holds more than SLACK of garbage since the last collection (cheap to call often). */
export function collectGarbageIfGrown(): void {
  if (getHeapStatistics().used_heap_size > liveAfterLast + SLACK) collectGarbage();
}
