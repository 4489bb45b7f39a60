import type { Kysely, Transaction } from 'kysely';
import type { DataMap } from '../datamap/datamap.schema.ts';
import type { Clock } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt, hmacHex } from '../lib/crypto.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { AnalyticsIdTable, Database } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** What the shop reports with an event: the visitor's `_ga` client id, the user id it sends Analytics. */
export interface ReportedAnalyticsIds {
  clientId?: string;
  userId?: string;
}

/** The ids known for a person, as the Google Analytics connector reads them (`AnalyticsSubject.analytics`). */
export interface KnownAnalyticsIds {
  clientIds: string[];
  userIds: string[];
}

/** Ids kept per person; a shop that reports a new client id per device and visit does not grow the table without end. */
export const MAX_ANALYTICS_IDS = 50;

const CHUNK = 500;

/**
 * Google Analytics ids per person, so that an erasure can ask Analytics to delete what it holds (its
 * data is kept under a cookie id, not an e-mail address). The person is known by `subjectRef` only;
 * each id is encrypted, bound to the person and itself, and de-duplicated by a keyed HMAC.
 */
export class AnalyticsIds {
  readonly db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #sealKey: Buffer;
  readonly #hashKey: Buffer;

  constructor(deps: { db: Kysely<Database>; secret: string; clock: Clock }) {
    this.db = deps.db;
    this.#clock = deps.clock;
    this.#sealKey = deriveKey(deps.secret, 'analytics-ids');
    this.#hashKey = deriveKey(deps.secret, 'analytics-ids/hash');
  }

  /** Stores the reported ids for the person; an id known already is only marked as seen again. */
  async remember(db: Db, ref: string, ids: ReportedAnalyticsIds): Promise<void> {
    const now = this.#clock.now().toISOString();
    let added = false;
    for (const [kind, value] of reported(ids)) {
      const idHash = hmacHex(this.#hashKey, `${kind}:${value}`);
      const inserted = await db
        .insertInto('analytics_ids')
        .values({
          subject_ref: ref,
          id_hash: idHash,
          kind,
          ciphertext: encrypt(this.#sealKey, Buffer.from(value), aad(ref, idHash)),
          first_seen_at: now,
          last_seen_at: now,
        })
        .onConflict((oc) => oc.columns(['subject_ref', 'id_hash']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        added = true;
        continue;
      }
      await db
        .updateTable('analytics_ids')
        .set({ last_seen_at: now })
        .where('subject_ref', '=', ref)
        .where('id_hash', '=', idHash)
        .execute();
    }
    if (added) await this.#dropOldest(db, ref);
  }

  /** The person's ids, oldest first; empty lists when the shop reported none. */
  async idsFor(ref: string, db: Db = this.db): Promise<KnownAnalyticsIds> {
    const rows = await db
      .selectFrom('analytics_ids')
      .select(['id_hash', 'kind', 'ciphertext'])
      .where('subject_ref', '=', ref)
      .orderBy('first_seen_at')
      .orderBy('id_hash')
      .execute();
    const known: KnownAnalyticsIds = { clientIds: [], userIds: [] };
    for (const row of rows) {
      const value = decrypt(this.#sealKey, row.ciphertext, aad(ref, row.id_hash)).toString('utf8');
      (row.kind === 'clientId' ? known.clientIds : known.userIds).push(value);
    }
    return known;
  }

  forget(db: Db, refs: ReadonlyArray<string>): Promise<number> {
    return forgetAnalyticsIds(db, refs);
  }

  /** Keeps the MAX_ANALYTICS_IDS most recently reported; at most a few rows per person, so read and cut. */
  async #dropOldest(db: Db, ref: string): Promise<void> {
    const rows = await db
      .selectFrom('analytics_ids')
      .select('id_hash')
      .where('subject_ref', '=', ref)
      .orderBy('last_seen_at', 'desc')
      .orderBy('first_seen_at', 'desc')
      .orderBy('id_hash')
      .execute();
    const drop = rows.slice(MAX_ANALYTICS_IDS).map((r) => r.id_hash);
    if (drop.length === 0) return;
    await db.deleteFrom('analytics_ids').where('subject_ref', '=', ref).where('id_hash', 'in', drop).execute();
  }
}

/**
 * Deletes the Analytics ids of the given people (an erasure, a retention run), inside the caller's
 * transaction. Needs no key: rows are found by subjectRef.
 */
export async function forgetAnalyticsIds(db: Db, refs: ReadonlyArray<string>): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < refs.length; i += CHUNK) {
    const r = await db
      .deleteFrom('analytics_ids')
      .where('subject_ref', 'in', refs.slice(i, i + CHUNK))
      .executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

/** The data map's systems that erase by these ids: api systems with the google-analytics connector. */
export function analyticsSystemsIn(dataMap: DataMap | undefined): string[] {
  return Object.entries(dataMap?.systems ?? {}).flatMap(([id, s]) =>
    s.type === 'api' && s.connector === 'google-analytics' ? [id] : [],
  );
}

/** The policy categories the hub's Analytics ids serve: those of its analytics systems (their own, or their processor's). */
export function analyticsCategoriesIn(dataMap: DataMap | undefined, policy: Policy): string[] {
  return analyticsSystemsIn(dataMap).flatMap((id) => {
    const system = dataMap!.systems[id]!;
    if (system.type !== 'api') return [];
    return system.categories ?? policy.processors.find((p) => p.id === system.processor)?.categories ?? [];
  });
}

/** The aad binds a ciphertext to its person and its own id: a row copied to someone else does not decrypt. */
const aad = (ref: string, idHash: string) => `analytics-ids:${ref}:${idHash}`;

function reported(ids: ReportedAnalyticsIds): Array<[AnalyticsIdTable['kind'], string]> {
  const out: Array<[AnalyticsIdTable['kind'], string]> = [];
  if (ids.clientId) out.push(['clientId', ids.clientId]);
  if (ids.userId) out.push(['userId', ids.userId]);
  return out;
}
