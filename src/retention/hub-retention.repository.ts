import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Statuses after which a request is handled: the register keeps it for the policy's term, then it goes. */
const HANDLED = ['completed', 'rejected', 'expired'] as const;

/**
 * SQL for what the hub itself keeps past a term: the register of requests, proof of consent, Analytics
 * ids, and its own housekeeping (links, finished jobs, mail bodies, export packages). Each method counts
 * what is past its cutoff and, unless `dryRun`, deletes it; the count is what it deleted.
 */
export class HubRetentionRepository {
  constructor(readonly db: Kysely<Database>) {}

  /** Handled requests completed before `cutoff`, with everything that hangs off them. */
  async requestsHandledBefore(cutoff: Date, dryRun: boolean): Promise<number> {
    const at = cutoff.toISOString();
    const old = this.db
      .selectFrom('requests')
      .select('id')
      .where('status', 'in', HANDLED)
      .where((eb) => eb(eb.fn.coalesce('completed_at', 'updated_at'), '<', at));
    const n = await this.#count(old.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')));
    if (dryRun || n === 0) return n;
    await this.db.transaction().execute(async (trx) => {
      for (const table of [
        'request_events',
        'request_tokens',
        'request_exports',
        'tasks',
        'processor_notices',
      ] as const)
        await trx.deleteFrom(table).where('request_id', 'in', old).execute();
      await trx.deleteFrom('mail_outbox').where('request_id', 'in', old).where('status', '!=', 'queued').execute();
      await trx.deleteFrom('requests').where('id', 'in', old).execute();
    });
    return n;
  }

  /**
   * Contact-consent proof of purposes the person withdrew before `cutoff`: every row of that person and
   * purpose goes once the newest is a withdrawal that old. A grant at the same moment keeps them.
   */
  async consentsWithdrawnBefore(cutoff: Date, dryRun: boolean): Promise<number> {
    const at = cutoff.toISOString();
    const withdrawn = sql<{ subject_ref: string; purpose: string }>`
      select subject_ref, purpose from contact_consents
       group by subject_ref, purpose
      having max(at) < ${at}
         and coalesce(max(case when granted = 0 then at end), '') > coalesce(max(case when granted = 1 then at end), '')`;
    const rows = await sql<{ n: number | string }>`
      select count(*) as n from contact_consents c
       where exists (select 1 from (${withdrawn}) w where w.subject_ref = c.subject_ref and w.purpose = c.purpose)`.execute(
      this.db,
    );
    const n = Number(rows.rows[0]?.n ?? 0);
    if (dryRun || n === 0) return n;
    await sql`
      delete from contact_consents
       where exists (select 1 from (${withdrawn}) w
                      where w.subject_ref = contact_consents.subject_ref and w.purpose = contact_consents.purpose)`.execute(
      this.db,
    );
    return n;
  }

  /**
   * The banner's proof of cookie choices that lapsed before `cutoff`: replaced by the visitor's next
   * choice before it, or given before `expiredBefore` (the choice's own validity ended by the cutoff).
   */
  async cookieChoicesLapsedBefore(cutoff: Date, expiredBefore: Date, dryRun: boolean): Promise<number> {
    const lapsed = sql<boolean>`(c.created_at < ${expiredBefore.toISOString()} or exists (
        select 1 from cookie_consents n
         where n.consent_id = c.consent_id and n.created_at < ${cutoff.toISOString()}
           and (n.created_at > c.created_at or (n.created_at = c.created_at and n.id > c.id))))`;
    const rows = await sql<{ n: number | string }>`select count(*) as n from cookie_consents c where ${lapsed}`.execute(
      this.db,
    );
    const n = Number(rows.rows[0]?.n ?? 0);
    if (dryRun || n === 0) return n;
    await sql`delete from cookie_consents where id in (select c.id from cookie_consents c where ${lapsed})`.execute(
      this.db,
    );
    return n;
  }

  /** Google Analytics ids the shop last reported before `cutoff`. */
  async analyticsIdsNotSeenSince(cutoff: Date, dryRun: boolean): Promise<number> {
    const at = cutoff.toISOString();
    const n = await this.#count(
      this.db
        .selectFrom('analytics_ids')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('last_seen_at', '<', at),
    );
    if (!dryRun && n > 0) await this.db.deleteFrom('analytics_ids').where('last_seen_at', '<', at).execute();
    return n;
  }

  /** Links (request, consent, account setup) and back-office sessions that ran out before `cutoff`. */
  async linksExpiredBefore(cutoff: Date, dryRun: boolean): Promise<number> {
    const at = cutoff.toISOString();
    let n = 0;
    for (const table of ['request_tokens', 'consent_tokens', 'admin_setup_tokens', 'admin_sessions'] as const) {
      const count = await this.#count(
        this.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('expires_at', '<', at),
      );
      if (!dryRun && count > 0) await this.db.deleteFrom(table).where('expires_at', '<', at).execute();
      n += count;
    }
    return n;
  }

  /** Jobs that finished (done) before `doneBefore`, or failed for good before `failedBefore`. */
  async jobsFinishedBefore(doneBefore: Date, failedBefore: Date, dryRun: boolean): Promise<number> {
    const finished = (eb: ExpressionBuilder<Database, 'jobs'>) =>
      eb.or([
        eb.and([eb('status', '=', 'done'), eb('updated_at', '<', doneBefore.toISOString())]),
        eb.and([eb('status', '=', 'failed'), eb('updated_at', '<', failedBefore.toISOString())]),
      ]);
    const n = await this.#count(
      this.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(finished),
    );
    if (!dryRun && n > 0) await this.db.deleteFrom('jobs').where(finished).execute();
    return n;
  }

  /** The bodies of messages sent or failed before `cutoff` (the dev mailbox keeps them until then). */
  async mailBodiesBefore(cutoff: Date, dryRun: boolean): Promise<number> {
    const at = cutoff.toISOString();
    const n = await this.#count(
      this.db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'queued')
        .where('envelope', '!=', '')
        .where((eb) => eb(eb.fn.coalesce('sent_at', 'created_at'), '<', at)),
    );
    if (!dryRun && n > 0) {
      await this.db
        .updateTable('mail_outbox')
        .set({ envelope: '' })
        .where('status', '!=', 'queued')
        .where('envelope', '!=', '')
        .where((eb) => eb(eb.fn.coalesce('sent_at', 'created_at'), '<', at))
        .execute();
    }
    return n;
  }

  /** Export packages (their parts' ids) still stored past their end (normally destroyed within the hour). */
  async exportsPastTheirEnd(now: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('request_exports')
      .select('id')
      .where('ciphertext', 'is not', null)
      .where('expires_at', '<=', now.toISOString())
      .execute();
    return rows.map((r) => r.id);
  }

  async #count(q: { executeTakeFirst(): Promise<{ n: number | string } | undefined> }): Promise<number> {
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }
}
