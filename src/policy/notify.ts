import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/worker.ts';
import type { Clock } from '../lib/clock.ts';
import type { MailOutbox } from '../notify/outbox.ts';
import type { Lang } from '../notify/templates.ts';
import type { Database } from '../store/schema.ts';
import { POLICY_NOTIFY_JOB, type PolicyVersion, type PolicyVersions } from './versions.ts';

/**
 * Telling exactly the people a material policy change concerns: those with data in the changed
 * categories, found through the data map. Each gets one e-mail per version (the outbox's dedupe key
 * is the version and their keyed reference), in their language, and the messages go out at most
 * `perMinute` a minute: each message's send job is due a little after the one before.
 */

export interface PolicyNotifierDeps {
  db: Kysely<Database>;
  versions: PolicyVersions;
  outbox: MailOutbox;
  clock: Clock;
  /** Everyone with data in these categories (the executor over the data map); absent without a data map. */
  subjectsWithCategories?: (categories: ReadonlyArray<string>) => Promise<string[]>;
  /** The keyed HMAC that requests use for the person (src/requests/intake.service.ts). */
  subjectRef: (email: string) => string;
  /** Messages a minute; INZAGE_NOTIFY_PER_MINUTE, 60 by default. */
  perMinute: number;
  audit?: PolicyVersionsAudit;
}

type PolicyVersionsAudit = NonNullable<ConstructorParameters<typeof PolicyVersions>[0]['audit']>;

export interface NotifyProgress {
  status: PolicyVersion['notify']['status'];
  affected: number;
  queued: number;
  sent: number;
  failed: number;
}

const CHUNK = 500;
const dedupePrefix = (versionId: string) => `policy:${versionId}:`;

export class PolicyChangeNotifier {
  constructor(private readonly deps: PolicyNotifierDeps) {}

  /**
   * Finds the people and queues their messages, spaced by the rate. Safe to run again (a retried
   * job): a person already queued for this version is skipped by the dedupe key.
   */
  async run(versionId: string): Promise<NotifyProgress> {
    const { db, outbox, clock } = this.deps;
    const version = await this.deps.versions.byId(versionId);
    // Only a version still waiting: once everyone is queued ('sending', 'done') a rerun has nothing to add.
    if (version?.notify.status !== 'queued') return this.progress(versionId);
    const categories = version.diff?.affectedCategories ?? [];
    const changes = version.diff?.changes.filter((c) => c.material) ?? [];
    const startedAt = clock.now();
    await db
      .updateTable('policy_versions')
      .set({ notify_started_at: version.notify.startedAt ?? startedAt.toISOString() })
      .where('id', '=', versionId)
      .execute();
    const people = (await this.deps.subjectsWithCategories?.(categories)) ?? [];
    await this.deps.audit?.record({
      actor: 'system',
      action: 'policy.notify.start',
      target: `policy-version:${version.number}`,
      details: { affected: people.length, categories, perMinute: this.deps.perMinute },
    });
    const perMinute = Math.max(1, this.deps.perMinute);
    for (let i = 0; i < people.length; i += CHUNK) {
      const chunk = people.slice(i, i + CHUNK).map((email) => ({ email, ref: this.deps.subjectRef(email) }));
      const langs = await this.#languages(chunk.map((p) => p.ref));
      await db.transaction().execute(async (trx) => {
        for (const [j, person] of chunk.entries()) {
          const position = i + j;
          await outbox.enqueue(
            {
              to: person.email,
              template: 'policy-changed',
              lang: langs.get(person.ref) ?? 'nl',
              data: {
                version: version.number,
                effectiveAt: version.effectiveAt,
                changes,
                names: version.diff?.names ?? {},
              },
              dedupeKey: `${dedupePrefix(versionId)}${person.ref}`,
              sendAt: new Date(startedAt.getTime() + Math.floor(position / perMinute) * 60_000),
            },
            trx,
          );
        }
      });
    }
    const queued = await this.#counts(versionId);
    await db
      .updateTable('policy_versions')
      // 'sending' only now that everyone is queued: progress() may then call it done when all have gone.
      .set({
        notify_affected: people.length,
        notify_queued: queued.total,
        notify_status: queued.total > 0 ? 'sending' : 'done',
        ...(queued.total > 0 ? {} : { notify_finished_at: clock.now().toISOString() }),
      })
      .where('id', '=', versionId)
      .execute();
    return this.progress(versionId);
  }

  /**
   * How far the notification is, from the outbox; the sent count is written to the version, and a
   * version whose messages are all sent (or failed for good) is marked done.
   */
  async progress(versionId: string): Promise<NotifyProgress> {
    const version = await this.deps.versions.byId(versionId);
    if (!version) return { status: 'none', affected: 0, queued: 0, sent: 0, failed: 0 };
    const counts = await this.#counts(versionId);
    let status = version.notify.status;
    // Done once every queued message has gone, one way or the other.
    const finished = status === 'sending' && counts.sent + counts.failed >= version.notify.queued;
    if (counts.sent !== version.notify.sent || finished) {
      if (finished) status = 'done';
      await this.deps.db
        .updateTable('policy_versions')
        .set({
          notify_sent: counts.sent,
          ...(finished
            ? { notify_status: 'done' as const, notify_finished_at: this.deps.clock.now().toISOString() }
            : {}),
        })
        .where('id', '=', versionId)
        .execute();
    }
    return {
      status,
      affected: version.notify.affected,
      queued: counts.total,
      sent: counts.sent,
      failed: counts.failed,
    };
  }

  async #counts(versionId: string): Promise<{ total: number; sent: number; failed: number }> {
    const rows = await this.deps.db
      .selectFrom('mail_outbox')
      .select(['status', sql<number>`count(*)`.as('n')])
      .where('dedupe_key', 'like', `${dedupePrefix(versionId)}%`)
      .groupBy('status')
      .execute();
    const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    return {
      total: rows.reduce((n, r) => n + Number(r.n), 0),
      sent: by.sent ?? 0,
      failed: by.failed ?? 0,
    };
  }

  /** The language of each person's latest request; Dutch for everyone else (the policy's own language). */
  async #languages(refs: string[]): Promise<Map<string, Lang>> {
    const langs = new Map<string, Lang>();
    if (refs.length === 0) return langs;
    const rows = await this.deps.db
      .selectFrom('requests')
      .select(['subject_ref', 'language', 'received_at'])
      .where('subject_ref', 'in', refs)
      .orderBy('received_at', 'asc')
      .execute();
    for (const r of rows)
      if (r.subject_ref && (r.language === 'en' || r.language === 'nl')) langs.set(r.subject_ref, r.language);
    return langs;
  }
}

const Payload = z.object({ versionId: z.string().min(1) });

/** `policy.notify`: queues the messages of one published version. */
export function policyNotifyJob(notifier: PolicyChangeNotifier): JobDefinition<typeof Payload> {
  return defineJob({
    name: POLICY_NOTIFY_JOB,
    payload: Payload,
    maxAttempts: 5,
    perform: async ({ versionId }, ctx) => {
      const progress = await notifier.run(versionId);
      ctx.logger.info(
        { versionId, affected: progress.affected, queued: progress.queued },
        'policy change notification queued',
      );
    },
  });
}
