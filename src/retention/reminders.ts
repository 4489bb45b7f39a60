import type { Executor } from '../executor/executor.ts';
import { type Clock, DAY } from '../lib/clock.ts';
import type { OutgoingMail } from '../notify/outbox.ts';
import type { Policy, RetentionRule } from '../policy/policy.schema.ts';
import { subtractTerm } from '../policy/term.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import { chunksByRef, SubjectChecks } from './subject-checks.ts';

type Db = RequestRepository['db'];

export interface ReminderDeps {
  executor: Executor;
  requests: RequestRepository;
  policy: () => Policy;
  clock: Clock;
  secret: string;
  mail?: { enqueue(mail: OutgoingMail<'retention-reminder'>, db?: Db): Promise<string | undefined> };
  /**
   * Whether the person consented to be contacted later (the shop's contact consent). The reminder invites
   * them to log in or order: a commercial e-mail, which Telecommunicatiewet art. 11.7(1) allows only with
   * prior consent. Without this check nobody is reminded.
   */
  contactAllowed?: (email: string) => Promise<boolean>;
}

export interface ReminderSummary {
  at: string;
  /** People whose term ends within the reminder window. */
  due: number;
  reminded: number;
  /** Told already in this stretch of inactivity, restricted, active by the shop's report, or without contact consent. */
  skipped: number;
  /** Of the skipped: people who did not consent to be contacted (no reminder without consent). */
  withoutConsent: number;
}

/** A reminder counts for one stretch of inactivity: after a renewed term the next one is years away. */
const REMINDED_WITHIN = 365 * DAY;

/**
 * The policy's optional reminder (`reminderDaysBefore`): people whose term ends within that many days
 * get one e-mail inviting them to log in or order — only those who consented to later contact. Nobody is
 * told twice for the same stretch of inactivity; restricted people are not mailed at all.
 */
export async function sendReminders(
  deps: ReminderDeps,
  rule: RetentionRule,
  at: Date,
  options: { dryRun?: boolean } = {},
): Promise<ReminderSummary> {
  const summary: ReminderSummary = { at: at.toISOString(), due: 0, reminded: 0, skipped: 0, withoutConsent: 0 };
  const days = rule.reminderDaysBefore;
  if (!days || !deps.mail || !deps.contactAllowed) return summary;
  const cutoff = subtractTerm(at, rule.term!);
  const soon = new Date(cutoff.getTime() + days * DAY);
  const past = new Set((await deps.executor.pastTerm(cutoff)).emails);
  const due = (await deps.executor.pastTerm(soon)).emails.filter((e) => !past.has(e)).sort();
  summary.due = due.length;
  const db = deps.requests.db;
  const checks = new SubjectChecks(db);
  const shopUrl = deps.policy().controller.website;
  for (const refs of chunksByRef(deps.secret, due)) {
    const chunk = [...refs.keys()];
    const remindedSince = new Date(at.getTime() - REMINDED_WITHIN).toISOString();
    const skip = new Set([
      ...(await checks.activeSince(chunk, soon)),
      ...(await checks.restricted(chunk)),
      ...(await checks.remindedSince(chunk, remindedSince)),
    ]);
    for (const [ref, email] of refs) {
      if (skip.has(ref)) {
        summary.skipped++;
        continue;
      }
      // Telecommunicatiewet art. 11.7(1): an e-mail that invites to order needs the person's prior consent.
      if (!(await deps.contactAllowed(email))) {
        summary.skipped++;
        summary.withoutConsent++;
        continue;
      }
      summary.reminded++;
      if (options.dryRun) continue;
      await db.transaction().execute(async (trx) => {
        await checks.markReminded(trx, ref, at);
        await deps.mail!.enqueue(
          {
            to: email,
            template: 'retention-reminder',
            lang: 'nl',
            data: { withinDays: days, term: rule.term!, shopUrl },
            dedupeKey: `retention-reminder:${ref}:${at.toISOString().slice(0, 10)}`,
          },
          trx,
        );
      });
    }
  }
  return summary;
}
