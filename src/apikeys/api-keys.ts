import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { hashToken, newId, newToken } from '../lib/ids.ts';
import type { Database } from '../store/schema.ts';

/** API keys for the shop: shown once, stored as a hash, revocable. */
export class ApiKeys {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(name: string): Promise<{ id: string; key: string }> {
    const id = newId();
    const key = `inz_${newToken()}`;
    await this.db
      .insertInto('api_keys')
      .values({
        id,
        name,
        hash: hashToken(key),
        created_at: this.clock.now().toISOString(),
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { id, key };
  }

  /** The key's id and name when it is valid; undefined otherwise. */
  async check(key: string): Promise<{ id: string; name: string } | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'last_used_at'])
      .where('hash', '=', hashToken(key))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now().toISOString();
    // Written at most once a minute: a busy shop must not turn every read into a write.
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
      await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return { id: row.id, name: row.name };
  }

  async revoke(id: string): Promise<boolean> {
    const r = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: this.clock.now().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async list() {
    return this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .orderBy('created_at')
      .execute();
  }
}
