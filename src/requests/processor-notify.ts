import type { SystemErasure, SystemRectification, SystemRestriction } from '../connectors/connector.ts';
import type { AccessResult, ProcessorSystem } from '../executor/executor.ts';
import { HOUR, MINUTE } from '../lib/clock.ts';
import type { NoticeInput } from './processor-notices.ts';

/**
 * GDPR Art. 19 and processors that are down: what each processor answered becomes a notice, and a
 * processor that cannot be reached delays only its own part of the request.
 *
 * The choices:
 * - A request whose processor is down stays `in_progress`; a `processor_unavailable` event names the
 *   systems and when the next try is, and a `failed` notice records the attempt. The next try is a new
 *   `request.process` job (its own dedupe key per attempt), so the schedule does not depend on the
 *   job's attempt count: after 1, 3, 9, 27 and 81 minutes, then every 4 hours.
 * - Processors already told in an earlier run (or handed to the officer) are skipped: each is told once.
 *   What a run learnt before it stops for a retry (notices, manual parts of answers) is recorded then.
 * - Erasure, rectification and restriction keep trying for 24 hours, counted per processor from its own
 *   first failure; then a processor still down becomes a manual task for the officer (the request waits
 *   on it) instead of silence. A processor that refuses (a rejected key, a 400, an unreadable answer)
 *   is not an outage: its part goes to the officer at once, with the reason.
 * - One of the shop's own databases that cannot be reached follows the same schedule but is never
 *   done without; after 24 hours the officer gets a task that says so (processor-outage.ts).
 * - Access keeps trying for 2 hours (an answer is due within the month, and the rest of the export is
 *   ready); then the export goes out without that processor, the e-mail and the package say so, and a
 *   manual access task asks the officer to get that part by hand.
 */

export type NoticeAction = NoticeInput['action'];

export const ACCESS_GIVE_UP_MS = 2 * HOUR;
export const CHANGE_GIVE_UP_MS = 24 * HOUR;

/** 1, 3, 9, 27, 81 minutes, then 4 hours; up to 10% later, so that requests waiting on one processor spread out. */
export function outageRetryDelay(attempt: number, random = Math.random): number {
  const base = Math.min(4 * HOUR, MINUTE * 3 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + random() * 0.1));
}

type Kinds = ReadonlyMap<string, ProcessorSystem>;
export const processorIndex = (systems: ReadonlyArray<ProcessorSystem>): Kinds =>
  new Map(systems.map((s) => [s.system, s]));

const MANUAL_ANSWER = 'no API connected: handed to the officer as a manual task';

export function accessNotices(result: AccessResult, systems: Kinds): NoticeInput[] {
  const notices: NoticeInput[] = [];
  const failed = new Map((result.failed ?? []).map((f) => [f.system, f.error]));
  const answers = new Map((result.answers ?? []).map((a) => [a.system, a]));
  for (const s of systems.values()) {
    const base = { system: s.system, processor: s.processor, action: 'access' as const };
    const error = failed.get(s.system);
    const answer = answers.get(s.system);
    if (error !== undefined) notices.push({ ...base, status: 'failed', answer: error, requests: 0 });
    else if (answer)
      notices.push({
        ...base,
        status: result.collections.some((c) => c.system === s.system) ? 'done' : 'nothing-found',
        answer: answer.answer,
        requests: answer.queries,
      });
    else
      notices.push({
        ...base,
        status: 'manual',
        answer: 'no API for access: the export lists this processor and the categories it receives',
        requests: 0,
      });
  }
  return notices;
}

export function erasureNotices(systems: ReadonlyArray<SystemErasure>, kinds: Kinds): NoticeInput[] {
  return systems.flatMap((s) => {
    const p = kinds.get(s.system);
    if (!p || s.status === 'dry-run') return [];
    const retained = s.collections.some((c) => (c.retained ?? 0) > 0 || c.sealed > 0);
    const status =
      s.status === 'erased' ? (retained ? 'retained' : 'done') : s.status === 'manual' ? 'manual' : s.status;
    return [
      {
        system: s.system,
        processor: p.processor,
        action: 'erase' as const,
        status,
        answer: s.error ?? s.answer ?? (s.status === 'manual' ? MANUAL_ANSWER : describeErasure(s)),
        requests: s.queries,
      },
    ];
  });
}

export function rectificationNotices(systems: ReadonlyArray<SystemRectification>, kinds: Kinds): NoticeInput[] {
  return systems.flatMap((s) => {
    const p = kinds.get(s.system);
    if (!p) return [];
    return [
      {
        system: s.system,
        processor: p.processor,
        action: 'rectify' as const,
        status: s.status === 'rectified' ? 'done' : s.status,
        answer: s.error ?? s.answer ?? (s.status === 'manual' ? MANUAL_ANSWER : s.status),
        requests: s.queries ?? 0,
      },
    ];
  });
}

export function restrictionNotices(systems: ReadonlyArray<SystemRestriction>, kinds: Kinds): NoticeInput[] {
  return systems.flatMap((s) => {
    const p = kinds.get(s.system);
    if (!p) return [];
    return [
      {
        system: s.system,
        processor: p.processor,
        action: 'restrict' as const,
        status: s.status === 'restricted' ? 'done' : s.status,
        answer: s.error ?? s.answer ?? (s.status === 'manual' ? MANUAL_ANSWER : s.status),
        requests: s.queries,
      },
    ];
  });
}

/** The notice that replaces silence when a processor stayed down past the give-up time. */
export const gaveUpNotice = (p: ProcessorSystem, action: NoticeAction, hours: number): NoticeInput => ({
  system: p.system,
  processor: p.processor,
  action,
  status: 'manual',
  answer: `unreachable for ${hours} hours: handed to the officer as a manual task`,
  requests: 0,
});

/** The notice for a processor that refused the request: no retry, the officer does it by hand. */
export const refusedNotice = (p: ProcessorSystem, action: NoticeAction, error = 'no reason given'): NoticeInput => ({
  system: p.system,
  processor: p.processor,
  action,
  status: 'manual',
  answer: `refused (${error}): handed to the officer as a manual task`,
  requests: 0,
});

function describeErasure(s: SystemErasure): string {
  if (s.status === 'nothing-found') return 'nothing found';
  const parts = s.collections.map((c) => {
    const done = [
      c.deleted ? `${c.deleted} deleted` : '',
      c.anonymised ? `${c.anonymised} anonymised` : '',
      c.retained ? `${c.retained} retained` : '',
    ].filter(Boolean);
    return `${c.collection}: ${done.join(', ') || `${c.found} found`}`;
  });
  return parts.join('; ') || s.status;
}
