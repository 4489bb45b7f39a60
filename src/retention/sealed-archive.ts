import type SqliteDatabase from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Value } from '../connectors/connector.ts';
import { normalizeEmail } from '../connectors/connector.ts';
import type { Clock } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt, hmacHex, randomKey } from '../lib/crypto.ts';
import { newOrderedId } from '../lib/ids.ts';
import type { Store } from '../store/database.ts';
import { insertJsonRows } from '../store/json-insert.ts';
import type { Database } from '../store/schema.ts';

export interface SealInput {
  system: string;
  collection: string;
  recordKey: string;
  hold: string;
  holdUntil: string;
  data: Record<string, Value>;
}

export interface SealedRecord extends SealInput {
  sealedAt: string;
}

/**
 * Records kept under a legal hold after the person's erasure: encrypted with AES-256-GCM under
 * a data key of their own, which is wrapped with a key derived from INZAGE_SECRET. Destroying
 * the data key destroys every copy; staff see counts, never contents.
 */
export class SealedArchive {
  readonly #kek: Buffer;
  readonly #refKey: Buffer;

  constructor(
    private readonly db: Kysely<Database>,
    secret: string,
    private readonly clock: Clock,
    /** Runs a seal with its commit synced to disk (the store's `durably`); as it is, without one. */
    private readonly durably: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
    /** A SQLite hub's `syncedTransaction`: the seal then goes straight to the connection (see sealMany). */
    private readonly direct?: Store['syncedTransaction'],
  ) {
    this.#kek = deriveKey(secret, 'sealed-archive/key-encryption');
    this.#refKey = deriveKey(secret, 'sealed-archive/subject-ref');
  }

  /** A pseudonym for the person: finds their sealed records again without storing who they are. */
  subjectRef(email: string): string {
    return hmacHex(this.#refKey, normalizeEmail(email));
  }

  /** Seals records; a record already sealed (an erasure run again) is left as it is. */
  seal(subjectRef: string, records: ReadonlyArray<SealInput>): Promise<number> {
    return this.sealMany([{ subjectRef, records }]);
  }

  /** Seals several people's records, each under their own key, in a few statements. */
  async sealMany(groups: ReadonlyArray<{ subjectRef: string; records: ReadonlyArray<SealInput> }>): Promise<number> {
    const withRecords = groups.filter((g) => g.records.length > 0);
    if (withRecords.length === 0) return 0;
    // The keys and the records in one transaction: one commit, and never a key without its records; synced
    // to disk, since the shop erases the originals next (its own commit is synced too).
    if (this.direct) return this.direct((connection) => this.#sealOn(connection, withRecords));
    return this.durably(() => this.db.transaction().execute((trx) => this.#sealIn(trx, withRecords)));
  }

  /** The seal on a SQLite hub: the same rows as `#sealIn`, through statements prepared once per connection. */
  #sealOn(
    connection: SqliteDatabase.Database,
    withRecords: ReadonlyArray<{ subjectRef: string; records: ReadonlyArray<SealInput> }>,
  ): number {
    const s = prepared(connection);
    const fresh = this.#freshKeys(withRecords.map((g) => g.subjectRef));
    const keys = new Map<string, { id: string; key: Buffer }>();
    for (const k of fresh) {
      // A person sealed before (or by another erasure at the same moment) keeps the key that is stored.
      if (s.insertKey.run(k.row).changes === 1) keys.set(k.row.subject_ref, k);
      else {
        const stored = s.keyOf.get(k.row.subject_ref) as { id: string; wrapped_key: string };
        keys.set(k.row.subject_ref, { id: stored.id, key: this.#unwrap(stored) });
      }
    }
    let inserted = 0;
    for (const row of this.#recordRows(withRecords, keys)) inserted += s.insertRecord.run(row).changes;
    return inserted;
  }

  async #sealIn(
    db: Kysely<Database>,
    withRecords: ReadonlyArray<{ subjectRef: string; records: ReadonlyArray<SealInput> }>,
  ): Promise<number> {
    const keys = await this.#dataKeys(
      db,
      withRecords.map((g) => g.subjectRef),
    );
    const rows = this.#recordRows(withRecords, keys);
    let inserted = 0;
    for (let i = 0; i < rows.length; i += 5000) {
      const result = await insertJsonRows(
        db,
        'sealed_records',
        RECORD_COLUMNS,
        rows.slice(i, i + 5000),
        sql`on conflict (system, collection, record_key) do nothing`,
      ).execute(db);
      inserted += Number(result.numAffectedRows ?? 0);
    }
    return inserted;
  }

  /** The archive's rows of these records, each encrypted under its person's data key. */
  #recordRows(
    withRecords: ReadonlyArray<{ subjectRef: string; records: ReadonlyArray<SealInput> }>,
    keys: ReadonlyMap<string, { id: string; key: Buffer }>,
  ) {
    const now = this.clock.now().toISOString();
    return withRecords.flatMap((g) => {
      const { id: keyId, key } = keys.get(g.subjectRef)!;
      return g.records.map((r) => ({
        // Time-ordered: a sweep's rows go to the end of the index instead of all over it.
        id: newOrderedId(),
        key_id: keyId,
        system: r.system,
        collection: r.collection,
        record_key: r.recordKey,
        hold: r.hold,
        hold_until: r.holdUntil,
        sealed_at: now,
        ciphertext: encrypt(key, Buffer.from(JSON.stringify(r.data)), aad(r)),
      }));
    });
  }

  /** A new data key for each of these people, wrapped as the archive keeps it. */
  #freshKeys(refs: ReadonlyArray<string>) {
    const now = this.clock.now().toISOString();
    return [...new Set(refs)].map((ref) => {
      // Time-ordered, like the records: new keys go to the end of the index that finds a person's records.
      const id = newOrderedId();
      const key = randomKey();
      return {
        id,
        key,
        row: { id, subject_ref: ref, wrapped_key: encrypt(this.#kek, key, `archive-key:${id}`), created_at: now },
      };
    });
  }

  #unwrap(row: { id: string; wrapped_key: string }): Buffer {
    return decrypt(this.#kek, row.wrapped_key, `archive-key:${row.id}`);
  }

  /**
   * Each person's data key, made where missing. Most seals are a person's first, so new keys are
   * inserted in one statement; where one exists already the unique index keeps it, and it is read back.
   */
  async #dataKeys(
    db: Kysely<Database>,
    refs: ReadonlyArray<string>,
  ): Promise<Map<string, { id: string; key: Buffer }>> {
    const keys = new Map<string, { id: string; key: Buffer }>();
    const fresh = this.#freshKeys(refs);
    let conflicts = false;
    for (let i = 0; i < fresh.length; i += 5000) {
      const chunk = fresh.slice(i, i + 5000);
      const result = await insertJsonRows(
        db,
        'archive_keys',
        KEY_COLUMNS,
        chunk.map((k) => k.row),
        sql`on conflict (subject_ref) do nothing`,
      ).execute(db);
      if (Number(result.numAffectedRows ?? 0) < chunk.length) conflicts = true;
      for (const k of chunk) keys.set(k.row.subject_ref, { id: k.id, key: k.key });
    }
    // A person sealed before (or by another erasure at the same moment) keeps the key that is stored.
    if (conflicts) for (const [ref, k] of await this.#existingKeys(refs, db)) keys.set(ref, k);
    return keys;
  }

  async #existingKeys(
    refs: ReadonlyArray<string>,
    db: Kysely<Database> = this.db,
  ): Promise<Map<string, { id: string; key: Buffer }>> {
    const keys = new Map<string, { id: string; key: Buffer }>();
    const unique = [...new Set(refs)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db
        .selectFrom('archive_keys')
        .select(['id', 'subject_ref', 'wrapped_key'])
        .where('subject_ref', 'in', unique.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        keys.set(row.subject_ref, { id: row.id, key: this.#unwrap(row) });
      }
    }
    return keys;
  }

  /**
   * Whether this secret opens the archive: every wrapped key is unwrapped (nothing is decrypted beyond the
   * keys). `empty` when nothing is sealed; `wrong` names how many keys this secret cannot open.
   */
  async checkSecret(): Promise<{ status: 'ok' | 'empty' | 'wrong'; keys: number; unreadable: number }> {
    const rows = await this.db.selectFrom('archive_keys').select(['id', 'wrapped_key']).execute();
    let unreadable = 0;
    for (const row of rows) {
      try {
        decrypt(this.#kek, row.wrapped_key, `archive-key:${row.id}`);
      } catch {
        unreadable++;
      }
    }
    const status = rows.length === 0 ? 'empty' : unreadable ? 'wrong' : 'ok';
    return { status, keys: rows.length, unreadable };
  }

  /** Decrypts a person's sealed records. Callers audit why (a tax audit, say) before they call this. */
  async open(subjectRef: string): Promise<SealedRecord[]> {
    const found = (await this.#existingKeys([subjectRef])).get(subjectRef);
    if (!found) return [];
    const { id, key } = found;
    const rows = await this.db.selectFrom('sealed_records').selectAll().where('key_id', '=', id).execute();
    return rows.map((row) => {
      const place = { system: row.system, collection: row.collection, recordKey: row.record_key };
      return {
        ...place,
        hold: row.hold,
        holdUntil: row.hold_until,
        sealedAt: row.sealed_at,
        data: JSON.parse(decrypt(key, row.ciphertext, aad(place)).toString('utf8')),
      };
    });
  }

  /**
   * Destroys sealed records whose hold (of these holds, or any) has ended — `hold_until` is the end of the
   * term, for the fiscal hold the end of a financial year's last day in Dutch time — and the keys of
   * people with nothing left sealed.
   */
  async destroyExpired(now: Date, dryRun = false, holds?: ReadonlyArray<string>): Promise<number> {
    const at = now.toISOString();
    let count = this.db
      .selectFrom('sealed_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('hold_until', '<=', at);
    if (holds) count = count.where('hold', 'in', holds.length ? holds : ['']);
    const n = Number((await count.executeTakeFirst())?.n ?? 0);
    if (dryRun || n === 0) return n;
    let destroy = this.db.deleteFrom('sealed_records').where('hold_until', '<=', at);
    if (holds) destroy = destroy.where('hold', 'in', holds.length ? holds : ['']);
    await destroy.execute();
    await this.db
      .deleteFrom('archive_keys')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(selectFrom('sealed_records').select('id').whereRef('sealed_records.key_id', '=', 'archive_keys.id')),
        ),
      )
      .execute();
    return n;
  }

  /**
   * What is sealed for a person, without opening anything: per system, collection and hold, how many
   * records and until when (the latest end). The person is told this in an access answer (Art. 15).
   */
  async summary(
    subjectRef: string,
  ): Promise<Array<{ system: string; collection: string; hold: string; count: number; until: string }>> {
    const rows = await this.db
      .selectFrom('sealed_records')
      .innerJoin('archive_keys', 'archive_keys.id', 'sealed_records.key_id')
      .select((eb) => [
        'sealed_records.system',
        'sealed_records.collection',
        'sealed_records.hold',
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('sealed_records.hold_until').as('until'),
      ])
      .where('archive_keys.subject_ref', '=', subjectRef)
      .groupBy(['sealed_records.system', 'sealed_records.collection', 'sealed_records.hold'])
      .orderBy('sealed_records.system')
      .orderBy('sealed_records.collection')
      .execute();
    return rows.map((r) => ({
      system: r.system,
      collection: r.collection,
      hold: r.hold,
      count: Number(r.n),
      until: String(r.until),
    }));
  }

  async count(subjectRef: string): Promise<number> {
    const row = await this.db
      .selectFrom('sealed_records')
      .innerJoin('archive_keys', 'archive_keys.id', 'sealed_records.key_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('archive_keys.subject_ref', '=', subjectRef)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

const KEY_COLUMNS = ['id', 'subject_ref', 'wrapped_key', 'created_at'] as const;

const RECORD_COLUMNS = [
  'id',
  'key_id',
  'system',
  'collection',
  'record_key',
  'hold',
  'hold_until',
  'sealed_at',
  'ciphertext',
] as const;

/** The seal's statements, prepared once per SQLite connection. */
const statements = new WeakMap<SqliteDatabase.Database, ReturnType<typeof prepare>>();
function prepared(connection: SqliteDatabase.Database) {
  let s = statements.get(connection);
  if (!s) {
    s = prepare(connection);
    statements.set(connection, s);
  }
  return s;
}

function prepare(connection: SqliteDatabase.Database) {
  const named = (columns: ReadonlyArray<string>) => columns.map((c) => `@${c}`).join(', ');
  return {
    insertKey: connection.prepare(
      `insert into archive_keys (${KEY_COLUMNS.join(', ')}) values (${named(KEY_COLUMNS)}) on conflict (subject_ref) do nothing`,
    ),
    keyOf: connection.prepare('select id, wrapped_key from archive_keys where subject_ref = ?'),
    insertRecord: connection.prepare(
      `insert into sealed_records (${RECORD_COLUMNS.join(', ')}) values (${named(RECORD_COLUMNS)}) on conflict (system, collection, record_key) do nothing`,
    ),
  };
}

const aad = (r: { system: string; collection: string; recordKey: string }) =>
  `sealed:${r.system}/${r.collection}/${r.recordKey}`;
