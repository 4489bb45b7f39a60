import type { Kysely, Transaction } from 'kysely';
import type { ConsentTokenTable, ContactConsentTable, Database } from '../store/schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/**
 * Deletes everything the hub keeps about one person's contact consent: the proof rows and any
 * withdrawal link still open. For the erasure path, inside its transaction, by the request's subject_ref.
 */
export async function forgetContactConsents(db: Db, subjectRef: string): Promise<number> {
  const r = await db.deleteFrom('contact_consents').where('subject_ref', '=', subjectRef).executeTakeFirst();
  await db.deleteFrom('consent_tokens').where('subject_ref', '=', subjectRef).execute();
  return Number(r.numDeletedRows);
}

/** SQL for contact consent: the append-only proof rows and the withdrawal links. */
export class ContactConsentRepository {
  constructor(readonly db: Kysely<Database>) {}

  async insert(db: Db, row: ContactConsentTable): Promise<void> {
    await db.insertInto('contact_consents').values(row).execute();
  }

  /** A person's rows, oldest first: by when they chose, then by when the hub heard of it. */
  async history(subjectRef: string, db: Db = this.db): Promise<ContactConsentTable[]> {
    return db
      .selectFrom('contact_consents')
      .selectAll()
      .where('subject_ref', '=', subjectRef)
      .orderBy('at')
      .orderBy('recorded_at')
      .orderBy('id')
      .execute();
  }

  forget(subjectRef: string, db: Db = this.db): Promise<number> {
    return forgetContactConsents(db, subjectRef);
  }

  async insertToken(db: Db, row: ConsentTokenTable): Promise<void> {
    await db.insertInto('consent_tokens').values(row).execute();
  }

  async findToken(hash: string, db: Db = this.db): Promise<ConsentTokenTable | undefined> {
    return db.selectFrom('consent_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
  }

  /** Deletes a token; false when another click deleted it first (single use). */
  async deleteToken(db: Db, hash: string): Promise<boolean> {
    const r = await db.deleteFrom('consent_tokens').where('hash', '=', hash).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Removes links that ran out unused: their addresses are not kept a moment longer than needed. */
  async deleteExpiredTokens(now: string): Promise<void> {
    await this.db.deleteFrom('consent_tokens').where('expires_at', '<=', now).execute();
  }

  async countTokensSince(subjectRef: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('consent_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subject_ref', '=', subjectRef)
      .where('created_at', '>', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
