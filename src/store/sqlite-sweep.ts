import type SqliteDatabase from 'better-sqlite3';

/**
 * During a sweep the log is copied back into the database when it holds this many pages (256 MB of
 * 4 KiB pages) instead of SQLite's 1,000: batches that touch the same index pages rewrite them far
 * less often, and the log stays bounded (without a bound it grew to 15 GB on a shop of 2.3 GB).
 */
const SWEEP_CHECKPOINT_PAGES = 65_536;

/**
 * Runs many transactions (a retention run's batches) as one sweep: the write-ahead log is copied back
 * into the database rarely during it and once, emptied, at the end. Every commit in it is synced to disk
 * (`synchronous = FULL`): a batch's sealed copies must be on disk before the shop's rows are erased, and
 * a register entry before the next batch, or a power loss could lose a record whose original is gone.
 * `settled` resolves when no transaction of the caller's is open, so that the final copy is not held up.
 */
export async function sqliteSweep<T>(
  raw: SqliteDatabase.Database,
  fn: () => Promise<T>,
  settled: () => Promise<void> = async () => {},
  exclusive: Exclusive = async (change) => change(),
): Promise<T> {
  const every = raw.pragma('wal_autocheckpoint', { simple: true }) as number;
  raw.pragma(`wal_autocheckpoint = ${SWEEP_CHECKPOINT_PAGES}`);
  try {
    return await sqliteDurably(raw, exclusive)(fn);
  } finally {
    raw.pragma(`wal_autocheckpoint = ${every}`);
    await settled();
    // Leaves the log empty (and its file small) when no reader holds it; otherwise as much as it can.
    raw.pragma('wal_checkpoint(TRUNCATE)');
  }
}

type Durably = <T>(fn: () => Promise<T>) => Promise<T>;
/**
 * Runs a change of the connection's settings when no transaction is open on it: SQLite refuses to change
 * `synchronous` inside one ("Safety level may not be changed inside a transaction"), and the connection is
 * shared by every request and job of the process. For a Kysely store, its connection lock; for the shop's
 * connection, its transaction lock.
 */
export type Exclusive = (change: () => void) => Promise<void>;
const durablyOf = new WeakMap<SqliteDatabase.Database, Durably>();

/**
 * `synchronous = FULL` while any caller's `fn` runs, then what it was: each commit meanwhile is on disk when
 * it returns. One counter per connection, shared by sweeps and single seals, so that overlapping callers
 * never switch it back under each other; the switch waits for the connection to be between transactions.
 */
export function sqliteDurably(
  raw: SqliteDatabase.Database,
  exclusive: Exclusive = async (change) => change(),
): Durably {
  const known = durablyOf.get(raw);
  if (known) return known;
  let depth = 0;
  let before = 1;
  let ready: Promise<void> = Promise.resolve();
  const durably: Durably = async (fn) => {
    if (depth++ === 0)
      ready = exclusive(() => {
        before = raw.pragma('synchronous', { simple: true }) as number;
        raw.pragma('synchronous = FULL');
      });
    try {
      await ready;
    } catch (err) {
      // Not switched: this caller is not counted, and the next first caller tries again.
      depth--;
      throw err;
    }
    try {
      return await fn();
    } finally {
      if (--depth === 0) await exclusive(() => raw.pragma(`synchronous = ${before}`));
    }
  };
  durablyOf.set(raw, durably);
  return durably;
}

/**
 * `fn` as one transaction on this connection with its commit synced (`synchronous = FULL`), then the setting
 * as it was; for a caller that holds the connection between transactions (a durably in progress has it at
 * FULL already, and nothing else runs on it while this does: it is synchronous from start to end).
 */
export function syncedTransaction<T>(raw: SqliteDatabase.Database, fn: (connection: SqliteDatabase.Database) => T): T {
  // A transaction left open (a rollback that failed) would make this one a savepoint, reported done but not
  // committed: refused, as Kysely's `begin` would refuse it.
  if (raw.inTransaction) throw new Error('cannot start a transaction within a transaction');
  const s = syncedStatements(raw);
  const before = s.level.get() as number;
  if (before < 2) s.full.run();
  try {
    return s.transaction(fn) as T;
  } finally {
    // Only between transactions (SQLite refuses otherwise, and that error would hide the one that ended it).
    if (before < 2 && !raw.inTransaction) s.back(before).run();
  }
}

/**
 * What a synced transaction runs, made once per connection: an erasure's seal runs one, and `pragma()` and
 * `transaction()` prepare their statements and build their wrapper anew at every call.
 */
function syncedStatements(raw: SqliteDatabase.Database) {
  let s = syncedOf.get(raw);
  if (!s) {
    const backTo = new Map<number, SqliteDatabase.Statement>();
    s = {
      level: raw.prepare('pragma synchronous').pluck(),
      full: raw.prepare('pragma synchronous = FULL'),
      back: (level: number) => {
        let stmt = backTo.get(level);
        if (!stmt) {
          stmt = raw.prepare(`pragma synchronous = ${Math.trunc(level)}`);
          backTo.set(level, stmt);
        }
        return stmt;
      },
      transaction: raw.transaction((fn: (connection: SqliteDatabase.Database) => unknown) => fn(raw)),
    };
    syncedOf.set(raw, s);
  }
  return s;
}
const syncedOf = new WeakMap<
  SqliteDatabase.Database,
  {
    level: SqliteDatabase.Statement;
    full: SqliteDatabase.Statement;
    back: (level: number) => SqliteDatabase.Statement;
    transaction: SqliteDatabase.Transaction<(fn: (connection: SqliteDatabase.Database) => unknown) => unknown>;
  }
>();
