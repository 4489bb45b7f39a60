/**
 * The hand-written baseline: the same finds and erasures as the engine, written as plain SQL
 * against the bare driver (better-sqlite3, pg, mysql2), sealing held rows with the same cipher.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { deriveKey, encrypt, hmacHex, randomKey } from '../src/lib/crypto.ts';

export interface Baseline {
  pickPeople(n: number, customers: number): Promise<string[]>;
  /** Returns the number of rows found. */
  find(email: string): Promise<number>;
  /** The least an erasure does: seal the held rows, erase, commit. */
  erase(email: string): Promise<void>;
  /**
   * The erasure with the work the engine does besides: it reads the keys of the rows it erases (the
   * record of what was erased, which the engine reports per collection) and, once committed, counts the
   * rows that still carry the address (the engine's check that nothing was missed). Returns the keys read.
   */
  eraseSameWork(email: string): Promise<number>;
  close(): Promise<void> | void;
}

const SEVEN_YEARS_MS = 7 * 365.25 * 24 * 3600 * 1000;

// `$e` is the normalised e-mail. `member(column, subquery)` is written the way each dialect runs it well:
// SQLite plans `column in (subquery)` with its indexes; PostgreSQL cannot combine `a = $1 or b in
// (subquery)` into one index plan and scans the table, so there the subquery becomes an array, once.
function statements(member: (column: string, subquery: string) => string) {
  const C = 'select id from customers where lower(trim(email)) = $e';
  const O = `select id from orders where lower(trim(email)) = $e or ${member('customer_id', C)}`;
  return {
    finds: [
      'select * from customers where lower(trim(email)) = $e',
      `select * from orders where lower(trim(email)) = $e or ${member('customer_id', C)}`,
      `select * from order_lines where ${member('order_id', O)}`,
      `select * from invoices where ${member('order_id', O)}`,
      `select * from payments where ${member('order_id', O)}`,
      `select * from shipments where ${member('order_id', O)}`,
      `select * from reviews where lower(trim(author_email)) = $e or ${member('order_id', O)}`,
      `select * from contact_moments where lower(trim(email)) = $e or ${member('customer_id', C)}`,
    ],
    // The keys of what an erasure touches, per table (the record of what was erased).
    keys: [
      'select id from customers where lower(trim(email)) = $e',
      `select id from orders where lower(trim(email)) = $e or ${member('customer_id', C)}`,
      `select id from order_lines where ${member('order_id', O)}`,
      `select id from invoices where ${member('order_id', O)}`,
      `select id from payments where ${member('order_id', O)}`,
      `select id from shipments where ${member('order_id', O)}`,
      `select id from reviews where lower(trim(author_email)) = $e or ${member('order_id', O)}`,
      `select id from contact_moments where lower(trim(email)) = $e or ${member('customer_id', C)}`,
    ],
    // After the commit: rows that still carry the address, in one statement.
    left: `select (select count(*) from customers where lower(trim(email)) = $e)
      + (select count(*) from orders where lower(trim(email)) = $e)
      + (select count(*) from reviews where lower(trim(author_email)) = $e)
      + (select count(*) from contact_moments where lower(trim(email)) = $e) as n`,
    held: [
      ['invoices', `select * from invoices where ${member('order_id', O)} and issued_at > $cutoff`],
      ['payments', `select * from payments where ${member('order_id', O)} and (paid_at is null or paid_at > $cutoff)`],
    ] as Array<[string, string]>,
    // Children first, so that the subqueries still see the parents' identities.
    erases: [
      `delete from reviews where lower(trim(author_email)) = $e or ${member('order_id', O)}`,
      `update shipments set tracking_code = null, recipient_name = '[verwijderd]', street = null, house_number = null,
         postal_code = null, city = null where ${member('order_id', O)}`,
      `update payments set consumer_name = null, consumer_account = null where ${member('order_id', O)}`,
      `update invoices set billing_name = '[verwijderd]', billing_address = '[verwijderd]' where ${member('order_id', O)}`,
      `delete from contact_moments where lower(trim(email)) = $e or ${member('customer_id', C)}`,
      `update orders set customer_id = null, email = '[verwijderd]', billing_name = '[verwijderd]', billing_street = null,
         billing_house_number = null, billing_postal_code = null, billing_city = null, shipping_name = null,
         shipping_street = null, shipping_house_number = null, shipping_postal_code = null, shipping_city = null,
         phone = null, ip_address = null where lower(trim(email)) = $e or ${member('customer_id', C)}`,
      'delete from customers where lower(trim(email)) = $e',
    ],
  };
}

function sealer(secret: string) {
  const hashKey = deriveKey(secret, 'erasure/hash');
  const kek = deriveKey(secret, 'sealed-archive/key-encryption');
  // A file with the hub's pragmas, beside the engine's hub (bench/.data, not a temporary folder that may be
  // in memory): no advantage from a faster disk.
  const file = join(import.meta.dirname, '.data', `archive-${process.pid}-${randomUUID()}.db`);
  const archive = new SqliteDatabase(file);
  archive.pragma('journal_mode = WAL');
  // The engine's hub syncs a seal's commit (store.durably): the shop erases the originals right after, so the
  // sealed copy must be on disk. The same here, in one transaction as the engine's seal is.
  archive.pragma('synchronous = FULL');
  // The hub's archive tables, with the same keys and indexes.
  archive.exec(`create table archive_keys (id text primary key, subject_ref text not null unique, wrapped_key text not null,
      created_at text not null);
    create table sealed_records (id text primary key, key_id text not null references archive_keys(id) on delete cascade,
      system text not null, collection text not null, record_key text not null, hold text not null,
      hold_until text not null, sealed_at text not null, ciphertext text not null);
    create unique index sealed_records_place on sealed_records (system, collection, record_key);
    create index sealed_records_hold_until on sealed_records (hold_until);
    create index sealed_records_key on sealed_records (key_id);`);
  const insertKey = archive.prepare(
    'insert into archive_keys (id, subject_ref, wrapped_key, created_at) values (?, ?, ?, ?) on conflict do nothing',
  );
  const insertRecord = archive.prepare(
    `insert into sealed_records (id, key_id, system, collection, record_key, hold, hold_until, sealed_at, ciphertext)
     values (?, ?, 'shop', ?, ?, 'fiscal', ?, ?, ?) on conflict do nothing`,
  );
  const refKey = deriveKey(secret, 'sealed-archive/subject-ref');
  return {
    hash: (email: string) => `hmac:${hmacHex(hashKey, email)}`,
    seal(email: string, rows: Array<[string, Record<string, unknown>]>) {
      if (rows.length) sealAll(email, rows);
    },
    close() {
      archive.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
  function sealAll(email: string, rows: Array<[string, Record<string, unknown>]>) {
    archive.transaction(() => {
      const keyId = randomUUID();
      const key = randomKey();
      const now = new Date().toISOString();
      const holdUntil = new Date(Date.now() + SEVEN_YEARS_MS).toISOString();
      insertKey.run(keyId, hmacHex(refKey, email), encrypt(kek, key, `archive-key:${keyId}`), now);
      for (const [collection, row] of rows) {
        const place = `shop/${collection}/${row.id}`;
        const sealed = encrypt(key, Buffer.from(JSON.stringify(row)), `sealed:${place}`);
        insertRecord.run(randomUUID(), keyId, collection, String(row.id), holdUntil, now, sealed);
      }
    })();
  }
}

/** Picks people with orders, spread evenly over the id range (deterministic). */
function spread(n: number, customers: number): number[] {
  // Earlier runs erased some people; ask for plenty and keep the first n that are still there.
  const step = Math.max(1, Math.floor((customers - 2) / (n * 4)));
  return Array.from({ length: n * 4 }, (_, i) => 2 + i * step + (Date.now() % step)).filter((id) => id <= customers);
}

export function sqliteBaseline(file: string, secret: string): Baseline {
  const db = new SqliteDatabase(file);
  // The engine's pragmas for a shop (sql-database.ts): WAL and `synchronous = FULL`, so that an erasure's
  // commit is on disk before the hub records it. Said outright: a file already in WAL mode opens at NORMAL
  // (better-sqlite3's SQLITE_DEFAULT_WAL_SYNCHRONOUS=1), and until this was seen both sides ran so, without
  // a sync at the shop's commit. (The baseline once ran NORMAL while the engine ran FULL: its erasure looked
  // 2-9× faster on a busy disk.)
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const lite = (q: string) =>
    db.prepare(q.replaceAll('$e', '@e').replaceAll('$hash', '@hash').replaceAll('$cutoff', '@cutoff'));
  const {
    finds: FINDS,
    keys: KEYS,
    left: LEFT,
    held: HELD,
    erases: ERASES,
  } = statements((column, sub) => `${column} in (${sub})`);
  const finds = FINDS.map(lite);
  const keys = KEYS.map(lite);
  const left = lite(LEFT);
  const held = HELD.map(([c, q]) => [c, lite(q)] as const);
  const erases = ERASES.map(lite);
  const s = sealer(secret);
  const eraseAll = db.transaction((e: string, hash: string) => {
    for (const stmt of erases) stmt.run(stmt.source.includes('@hash') ? { e, hash } : { e });
  });
  const baseline: Baseline = {
    async pickPeople(n, customers) {
      const stmt = db.prepare(
        'select lower(trim(email)) as email from customers c where id = ? and exists (select 1 from orders o where o.customer_id = c.id)',
      );
      const emails = new Set<string>();
      for (const id of spread(n, customers)) {
        const row = stmt.get(id) as { email: string } | undefined;
        if (row) emails.add(row.email);
        if (emails.size === n) break;
      }
      return [...emails];
    },
    async find(email) {
      const e = email.trim().toLowerCase();
      return finds.reduce((sum, stmt) => sum + stmt.all({ e }).length, 0);
    },
    async erase(email) {
      const e = email.trim().toLowerCase();
      const cutoff = new Date(Date.now() - SEVEN_YEARS_MS).toISOString();
      s.seal(
        e,
        held.flatMap(([c, stmt]) =>
          (stmt.all({ e, cutoff }) as Record<string, unknown>[]).map(
            (r) => [c, r] as [string, Record<string, unknown>],
          ),
        ),
      );
      eraseAll(e, '');
    },
    async eraseSameWork(email) {
      const e = email.trim().toLowerCase();
      const erased = keys.reduce((sum, stmt) => sum + stmt.all({ e }).length, 0);
      await baseline.erase(email);
      const { n } = left.get({ e }) as { n: number };
      if (n !== 0) throw new Error(`${n} rows left after erasure`);
      return erased;
    },
    close: () => {
      s.close();
      db.close();
    },
  };
  return baseline;
}

export async function postgresBaseline(url: string, schema: string, secret: string): Promise<Baseline> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  const {
    finds: FINDS,
    keys: KEYS,
    left: LEFT,
    held: HELD,
    erases: ERASES,
  } = statements((column, sub) => `${column} = any(array(${sub}))`);
  const pgq = (q: string) => q.replaceAll('$e', '$1').replaceAll('$cutoff', '$2').replaceAll('$hash', '$2');
  const s = sealer(secret);
  const baseline: Baseline = {
    async pickPeople(n, customers) {
      const emails = new Set<string>();
      const ids = spread(n, customers);
      const r = await client.query(
        'select id, lower(trim(email)) as email from customers c where id = any($1) and exists (select 1 from orders o where o.customer_id = c.id) order by id',
        [ids],
      );
      for (const row of r.rows) {
        emails.add(row.email);
        if (emails.size === n) break;
      }
      return [...emails];
    },
    async find(email) {
      const e = email.trim().toLowerCase();
      let n = 0;
      for (const q of FINDS) n += (await client.query(pgq(q), [e])).rowCount ?? 0;
      return n;
    },
    async erase(email) {
      const e = email.trim().toLowerCase();
      const cutoff = new Date(Date.now() - SEVEN_YEARS_MS);
      const rows: Array<[string, Record<string, unknown>]> = [];
      for (const [c, q] of HELD) for (const r of (await client.query(pgq(q), [e, cutoff])).rows) rows.push([c, r]);
      s.seal(e, rows);
      await client.query('begin');
      try {
        for (const q of ERASES) await client.query(pgq(q), q.includes('$hash') ? [e, s.hash(e)] : [e]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw err;
      }
    },
    async eraseSameWork(email) {
      const e = email.trim().toLowerCase();
      let erased = 0;
      for (const q of KEYS) erased += (await client.query(pgq(q), [e])).rowCount ?? 0;
      await baseline.erase(email);
      const n = Number((await client.query(pgq(LEFT), [e])).rows[0].n);
      if (n !== 0) throw new Error(`${n} rows left after erasure`);
      return erased;
    },
    close: async () => {
      s.close();
      await client.end();
    },
  };
  return baseline;
}

/**
 * MySQL/MariaDB. Two things differ from the others, both from how MariaDB 10.11 runs SQL, not from the engine:
 * - The address: `lower(trim(email)) = ?` reads every row (MariaDB has no index on an expression). The
 *   column's own index ignores case and trailing spaces (PAD SPACE), so `email in (?, ?, ?, ?)`, the address and
 *   its forms with one to three leading spaces, finds it however it was typed with up to three leading spaces,
 *   and `email like '    %'` (a range of the same index) the rare rows with more. (`like ' %'` would read every
 *   row that starts with a space, some 2% of the demo shop's orders, for each person.) The collation also
 *   ignores accents (`ë` = `e`, `ß` = `ss`), so the rows the index gives are then compared exactly, in binary,
 *   as the engine compares them (`sql-dialect.ts`): the same rows on any data, not only on ASCII addresses.
 * - `column in (subquery)` under an `or`, or in an UPDATE or DELETE, is not made a semi-join: it is run per row,
 *   over the whole table. So each statement takes the keys the statements before it read (the customers' ids,
 *   then the orders'), as a list, the way the engine does on every dialect.
 */
export async function mysqlBaseline(url: string, secret: string): Promise<Baseline> {
  const connection = await mysql.createConnection({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    charset: 'utf8mb4',
    namedPlaceholders: true,
  });
  const E = (column: string) =>
    `((${column} in (:e, :e1, :e2, :e3) or ${column} like '    %') and convert(lower(trim(${column})) using utf8mb4) collate utf8mb4_bin = :e)`;
  /** The address and its forms with one to three leading spaces. */
  const address = (email: string) => {
    const e = email.trim().toLowerCase();
    return { e, e1: ` ${e}`, e2: `  ${e}`, e3: `   ${e}` };
  };
  type Address = ReturnType<typeof address>;
  type Ids = Array<number | null>;
  // `in ()` is not SQL; `in (null)` matches nothing.
  const list = (ids: number[]): Ids => (ids.length ? ids : [null]);
  type Params = Record<string, string | Ids | number[]>;
  const rows = async (sql: string, params: Params) =>
    (await connection.query(sql, params as never))[0] as Array<Record<string, unknown>>;
  /** One person's rows, whole (`*`, a find) or their keys (`id`, the record of what an erasure touches). */
  const reads = (list: '*' | 'id') => ({
    customers: `select ${list} from customers where ${E('email')}`,
    orders: `select ${list} from orders where ${E('email')} or customer_id in (:c)`,
    children: ['order_lines', 'invoices', 'payments', 'shipments'].map(
      (t) => `select ${list} from ${t} where order_id in (:o)`,
    ),
    reviews: `select ${list} from reviews where ${E('author_email')} or order_id in (:o)`,
    contact_moments: `select ${list} from contact_moments where ${E('email')} or customer_id in (:c)`,
  });
  const FIND = reads('*');
  const KEYS = reads('id');
  const HELD: Array<[string, string]> = [
    ['invoices', 'select * from invoices where order_id in (:o) and issued_at > :cutoff'],
    ['payments', 'select * from payments where order_id in (:o) and (paid_at is null or paid_at > :cutoff)'],
  ];
  // Children first, as on the other dialects.
  const ERASES = [
    `delete from reviews where ${E('author_email')} or order_id in (:o)`,
    `update shipments set tracking_code = null, recipient_name = '[verwijderd]', street = null, house_number = null,
       postal_code = null, city = null where order_id in (:o)`,
    'update payments set consumer_name = null, consumer_account = null where order_id in (:o)',
    `update invoices set billing_name = '[verwijderd]', billing_address = '[verwijderd]' where order_id in (:o)`,
    `delete from contact_moments where ${E('email')} or customer_id in (:c)`,
    `update orders set customer_id = null, email = '[verwijderd]', billing_name = '[verwijderd]', billing_street = null,
       billing_house_number = null, billing_postal_code = null, billing_city = null, shipping_name = null,
       shipping_street = null, shipping_house_number = null, shipping_postal_code = null, shipping_city = null,
       phone = null, ip_address = null where id in (:o)`,
    'delete from customers where id in (:c)',
  ];
  const LEFT = `select (select count(*) from customers where ${E('email')})
      + (select count(*) from orders where ${E('email')})
      + (select count(*) from reviews where ${E('author_email')})
      + (select count(*) from contact_moments where ${E('email')}) as n`;
  const s = sealer(secret);
  const ids = (found: Array<Record<string, unknown>>) => list(found.map((r) => Number(r.id)));

  /** Every collection's rows of one person, parents first: how many, and the customers' and orders' keys. */
  const readPerson = async (statements: ReturnType<typeof reads>, a: Address) => {
    const customers = await rows(statements.customers, a);
    const c = ids(customers);
    const orders = await rows(statements.orders, { ...a, c });
    const o = ids(orders);
    let n = customers.length + orders.length;
    for (const sql of statements.children) n += (await rows(sql, { o })).length;
    n += (await rows(statements.reviews, { ...a, o })).length;
    n += (await rows(statements.contact_moments, { ...a, c })).length;
    return { c, o, n };
  };
  /** The customers' and the orders' keys: what each later statement takes. */
  const parents = async (a: Address) => {
    const c = ids(await rows(KEYS.customers, a));
    const o = ids(await rows(KEYS.orders, { ...a, c }));
    return { c, o };
  };
  const eraseWith = async (a: Address, c: Ids, o: Ids) => {
    const cutoff = new Date(Date.now() - SEVEN_YEARS_MS).toISOString();
    const held: Array<[string, Record<string, unknown>]> = [];
    for (const [collection, sql] of HELD) for (const r of await rows(sql, { o, cutoff })) held.push([collection, r]);
    s.seal(a.e, held);
    await connection.beginTransaction();
    try {
      for (const sql of ERASES) await rows(sql, { ...a, c, o });
      await connection.commit();
    } catch (err) {
      await connection.rollback();
      throw err;
    }
  };
  const baseline: Baseline = {
    async pickPeople(n, customers) {
      const emails = new Set<string>();
      const found = await rows(
        'select id, lower(trim(email)) as email from customers c where id in (:ids) and exists (select 1 from orders o where o.customer_id = c.id) order by id',
        { ids: spread(n, customers) },
      );
      for (const row of found) {
        emails.add(String(row.email));
        if (emails.size === n) break;
      }
      return [...emails];
    },
    async find(email) {
      return (await readPerson(FIND, address(email))).n;
    },
    async erase(email) {
      const a = address(email);
      const { c, o } = await parents(a);
      await eraseWith(a, c, o);
    },
    async eraseSameWork(email) {
      const a = address(email);
      const { c, o, n: erased } = await readPerson(KEYS, a);
      await eraseWith(a, c, o);
      const n = Number((await rows(LEFT, a))[0]!.n);
      if (n !== 0) throw new Error(`${n} rows left after erasure`);
      return erased;
    },
    close: async () => {
      s.close();
      await connection.end();
    },
  };
  return baseline;
}
