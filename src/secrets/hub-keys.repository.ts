import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface HubKeyRow {
  purpose: string;
  wrapped: string;
}

/** The hub's kept keys (migration 0095-hub-keys): SQL for the keyring and for a rotation. */
export class HubKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  all(): Promise<HubKeyRow[]> {
    return this.db.selectFrom('hub_keys').select(['purpose', 'wrapped']).orderBy('purpose').execute();
  }

  /** Stores the key unless one is there already (two processes starting at once store one). */
  async addIfAbsent(row: HubKeyRow, at: Date): Promise<void> {
    await this.db
      .insertInto('hub_keys')
      .values({ ...row, created_at: at.toISOString() })
      .onConflict((oc) => oc.column('purpose').doNothing())
      .execute();
  }

  async rewrap(purpose: string, wrapped: string): Promise<void> {
    await this.db.updateTable('hub_keys').set({ wrapped }).where('purpose', '=', purpose).execute();
  }

  async remove(purpose: string): Promise<void> {
    await this.db.deleteFrom('hub_keys').where('purpose', '=', purpose).execute();
  }

  /** One archive key, to tell whether a secret is the one the archive was sealed with. */
  anyArchiveKey(): Promise<{ id: string; wrapped_key: string } | undefined> {
    return this.db.selectFrom('archive_keys').select(['id', 'wrapped_key']).limit(1).executeTakeFirst();
  }
}
