import type { Kysely } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import type { Database } from '../store/schema.ts';

/** How many hits a key has had in its current window, and when that window ends. */
export interface RateWindow {
  hits: number;
  resetsAt: Date;
}

/**
 * The `rate_limits` table: fixed-window counters in the hub's own database, so that every server on
 * it counts the same hits. A hit is counted in one statement (insert, or add one; a window that has
 * ended starts again at one), so hits arriving at once on several servers are all counted.
 */
export class RateLimitRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Counts one hit on `key`; a new or ended window lasts `windowMs` from now. */
  async hit(key: string, windowMs: number): Promise<RateWindow> {
    const now = this.clock.now();
    const iso = now.toISOString();
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, hits: 1, resets_at: new Date(now.getTime() + windowMs).toISOString() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          hits: eb
            .case()
            .when('rate_limits.resets_at', '<=', iso)
            .then(1)
            .else(eb('rate_limits.hits', '+', 1))
            .end(),
          resets_at: eb
            .case()
            .when('rate_limits.resets_at', '<=', iso)
            .then(eb.ref('excluded.resets_at'))
            .else(eb.ref('rate_limits.resets_at'))
            .end(),
        })),
      )
      .returning(['hits', 'resets_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), resetsAt: new Date(row.resets_at) };
  }

  /** The window as it stands, without counting a hit; no hits when it has ended. */
  async read(key: string): Promise<RateWindow> {
    const now = this.clock.now();
    const row = await this.db
      .selectFrom('rate_limits')
      .select(['hits', 'resets_at'])
      .where('key', '=', key)
      .where('resets_at', '>', now.toISOString())
      .executeTakeFirst();
    return row ? { hits: Number(row.hits), resetsAt: new Date(row.resets_at) } : { hits: 0, resetsAt: now };
  }

  /** Forgets windows that have ended. */
  async sweep(): Promise<number> {
    const r = await this.db
      .deleteFrom('rate_limits')
      .where('resets_at', '<=', this.clock.now().toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
