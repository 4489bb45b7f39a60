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

  /**
   * Stores the keys that are not there yet, in one transaction: two processes starting at once with
   * different secrets cannot leave a keyring half one's and half the other's.
   */
  async addAllIfAbsent(rows: HubKeyRow[], at: Date): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const row of rows)
        await tx
          .insertInto('hub_keys')
          .values({ ...row, created_at: at.toISOString() })
          .onConflict((oc) => oc.column('purpose').doNothing())
          .execute();
    });
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
}
