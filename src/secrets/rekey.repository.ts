import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * A column encrypted under a key derived from the secret: where it is, how its rows are ordered (the
 * primary key) and what each value's additional authenticated data is. The list is the rotation's map of
 * everything the secret encrypts at rest; a new encrypted column belongs here (rotate.test.ts checks
 * every one round-trips).
 */
export interface SealedColumn {
  table: keyof Database;
  column: string;
  /** The primary key, in order. */
  keys: readonly string[];
  purpose: string;
  aad(row: Record<string, unknown>): string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    table: 'archive_keys',
    column: 'wrapped_key',
    keys: ['id'],
    purpose: 'sealed-archive/key-encryption',
    aad: (r) => `archive-key:${r.id}`,
  },
  { table: 'admin_users', column: 'totp_secret', keys: ['id'], purpose: 'admin-totp', aad: (r) => String(r.id) },
  { table: 'mail_outbox', column: 'envelope', keys: ['id'], purpose: 'mail-outbox', aad: (r) => String(r.id) },
  {
    table: 'analytics_ids',
    column: 'ciphertext',
    keys: ['subject_ref', 'id_hash'],
    purpose: 'analytics-ids',
    aad: (r) => `analytics-ids:${r.subject_ref}:${r.id_hash}`,
  },
  {
    table: 'request_exports',
    column: 'ciphertext',
    keys: ['id'],
    purpose: 'requests/export',
    aad: (r) => (Number(r.part) === 1 ? `export:${r.request_id}` : `export:${r.request_id}:${r.part}`),
  },
  {
    table: 'consent_tokens',
    column: 'email',
    keys: ['hash'],
    purpose: 'consent-token',
    aad: (r) => `consent-token:${r.hash}`,
  },
  {
    table: 'shopify_webhooks',
    column: 'payload',
    keys: ['webhook_id'],
    purpose: 'shopify/webhooks',
    aad: (r) => `shopify-webhook:${r.webhook_id}`,
  },
];

const BATCH = 500;

/** The SQL of a rotation: encrypted columns page by page, and what ends with the old secret. */
export class RekeyRepository {
  // Table and column names come from SEALED_COLUMNS, one list for several tables, not from the schema's types.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  readonly #db: Kysely<any>;
  constructor(db: Kysely<Database>) {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    this.#db = db as unknown as Kysely<any>;
  }

  /** The column's encrypted values with what their additional data needs. */
  #valued(sealed: SealedColumn) {
    return (
      this.#db
        .selectFrom(sealed.table)
        .select([...sealed.keys, sealed.column, ...extraColumns(sealed)])
        .where(sealed.column, 'is not', null)
        // A sent mail's envelope is emptied (''), not encrypted: nothing to read or rewrite.
        .where(sealed.column, '<>', '')
    );
  }

  /** Every row with a value in the column, a page at a time in primary-key order. */
  async eachPage(sealed: SealedColumn, visit: (rows: Record<string, unknown>[]) => Promise<void> | void) {
    let after: Record<string, unknown> | undefined;
    for (;;) {
      let q = this.#valued(sealed);
      if (after) {
        const [a, b] = sealed.keys as [string, string | undefined];
        const cursor = after;
        q = b
          ? q.where((eb) => eb.or([eb(a, '>', cursor[a]), eb.and([eb(a, '=', cursor[a]), eb(b, '>', cursor[b])])]))
          : q.where(a, '>', cursor[a]);
      }
      for (const k of sealed.keys) q = q.orderBy(k);
      const page = (await q.limit(BATCH).execute()) as Record<string, unknown>[];
      if (page.length === 0) return;
      await visit(page);
      after = page[page.length - 1];
    }
  }

  /** Every row with a value, page by page; `rewrite` gives a page's new values, written in one transaction. */
  async rewriteColumn(
    sealed: SealedColumn,
    rewrite: (rows: Record<string, unknown>[]) => Array<{ row: Record<string, unknown>; value: string }>,
  ): Promise<{ rows: number; rewritten: number }> {
    let rows = 0;
    let rewritten = 0;
    await this.eachPage(sealed, async (page) => {
      rows += page.length;
      const changes = rewrite(page);
      if (changes.length)
        await this.#db.transaction().execute(async (tx) => {
          for (const { row, value } of changes) {
            let u = tx.updateTable(sealed.table).set({ [sealed.column]: value });
            for (const k of sealed.keys) u = u.where(k, '=', row[k]);
            await u.execute();
          }
        });
      rewritten += changes.length;
    });
    return { rows, rewritten };
  }

  /** The newest values of a column (by primary key), to tell which secret a hub's data is under. */
  async newest(sealed: SealedColumn, n: number): Promise<Record<string, unknown>[]> {
    let q = this.#valued(sealed);
    for (const k of sealed.keys) q = q.orderBy(k, 'desc');
    return (await q.limit(n).execute()) as Record<string, unknown>[];
  }

  /** Back-office sessions and unused setup links: signed or encrypted under the old secret, they end. */
  async endSessions(): Promise<{ sessions: number; setupLinks: number }> {
    return this.#db.transaction().execute(async (tx) => {
      const sessions = await tx.deleteFrom('admin_sessions').executeTakeFirst();
      const setupLinks = await tx.deleteFrom('admin_setup_tokens').executeTakeFirst();
      // Lockout counters are keyed HMACs under the old secret: they would never match again.
      await tx.deleteFrom('admin_login_throttle').execute();
      return { sessions: Number(sessions.numDeletedRows), setupLinks: Number(setupLinks.numDeletedRows) };
    });
  }

  /**
   * After the secret is lost for good: what only it could open is let go, so that nothing fails on it
   * later. TOTP enrolments (officers enrol again), queued mails (failed, not sent), download packages
   * (destroyed), withdrawal links, analytics ids and unfinished retention runs' journals. The sealed
   * archive stays as it is: unreadable, destroyed when its holds end, and readable again if the old secret
   * turns up. One transaction: all of it or nothing.
   */
  async forgetUnreadable(now: Date): Promise<Record<string, number>> {
    return this.#db.transaction().execute(async (tx) => {
      const n = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
        Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0);
      const at = now.toISOString();
      const counts: Record<string, number> = {};
      counts.totpEnrolments = n(
        await tx
          .updateTable('admin_users')
          .set({ totp_secret: null })
          .where('totp_secret', 'is not', null)
          .executeTakeFirst(),
      );
      counts.queuedMails = n(
        await tx
          .updateTable('mail_outbox')
          .set({ status: 'failed', last_error: 'the secret it was encrypted with is lost' })
          .where('status', '=', 'queued')
          .executeTakeFirst(),
      );
      counts.downloadPackages = n(
        await tx
          .updateTable('request_exports')
          .set({ ciphertext: null, destroyed_at: at })
          .where('ciphertext', 'is not', null)
          .executeTakeFirst(),
      );
      counts.withdrawalLinks = n(await tx.deleteFrom('consent_tokens').executeTakeFirst());
      counts.analyticsIds = n(await tx.deleteFrom('analytics_ids').executeTakeFirst());
      await tx.deleteFrom('retention_journal_batches').execute();
      counts.unfinishedRetentionRuns = n(await tx.deleteFrom('retention_journal').executeTakeFirst());
      await tx.deleteFrom('hub_keys').execute();
      return counts;
    });
  }

  /** A retention run not yet recorded keeps people encrypted in its journal, under the old secret. */
  async unfinishedRetentionRuns(): Promise<number> {
    const row = await this.#db
      .selectFrom('retention_journal')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Workers whose heartbeat is recent: a running process would go on writing under the old secret. */
  async workersAliveSince(since: Date): Promise<number> {
    const row = await this.#db
      .selectFrom('workers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('heartbeat_at', '>', since.toISOString())
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** Columns the additional data needs besides the key columns. */
function extraColumns(sealed: SealedColumn): string[] {
  return sealed.table === 'request_exports' ? ['request_id', 'part'] : [];
}
