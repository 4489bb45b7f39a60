/**
 * Hand-written SQL bulk erasure of the same people the engine erases: the list goes into a temporary
 * table, held rows are sealed with the same cipher (a key per person), then one set-based statement per
 * table and strategy, a register row per person, and the rows past their legal hold are deleted. On
 * SQLite (better-sqlite3) and on PostgreSQL (pg), each through the bare driver.
 */
import { randomUUID } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { deriveKey, encrypt, hmacHex, randomKey } from '../src/lib/crypto.ts';
import { subtractTerm } from '../src/policy/term.ts';
import { holdEndedBefore, holdEnds } from '../src/retention/holds.ts';

/** The fiscal hold as the example policy states it: seven years from the end of the financial year. */
const FISCAL = { term: { years: 7 }, until: 'end-of-financial-year', financialYearEnd: '12-31' } as const;

/** The run's moment, the start of the oldest financial year still held, and the IP addresses' cutoff. */
function cutoffs(at: Date): { iso: string; cutoff7: string; cutoff3m: string } {
  return {
    iso: at.toISOString(),
    // Records made before the start of the oldest financial year still held are past their hold.
    cutoff7: holdEndedBefore(at, FISCAL).toISOString(),
    // Technical data (the IP address), three calendar months as the policy's term counts them (31 May − 3
    // months is 28 or 29 February).
    cutoff3m: subtractTerm(at, { months: 3 }).toISOString(),
  };
}

export function handWrittenRetention(
  shopFile: string,
  archiveFile: string,
  emails: ReadonlyArray<string>,
  at: Date,
  secret: string,
): { sealed: number; expired: number } {
  const db = new SqliteDatabase(shopFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const hashKey = deriveKey(secret, 'erasure/hash');
  const kek = deriveKey(secret, 'sealed-archive/key-encryption');
  const refKey = deriveKey(secret, 'sealed-archive/subject-ref');
  db.function('inzage_hash', (v: unknown) =>
    typeof v === 'string' ? `hmac:${hmacHex(hashKey, v.trim().toLowerCase())}` : v,
  );

  const archive = new SqliteDatabase(archiveFile);
  archive.pragma('journal_mode = WAL');
  archive.pragma('synchronous = NORMAL');
  archive.exec(`drop table if exists sealed_records; drop table if exists archive_keys; drop table if exists requests;
    create table archive_keys (id text primary key, subject_ref text not null unique, wrapped_key text not null, created_at text not null);
    create table sealed_records (id text primary key, key_id text not null, system text not null, collection text not null,
      record_key text not null, hold text not null, hold_until text not null, sealed_at text not null, ciphertext text not null);
    create unique index sealed_records_place on sealed_records (system, collection, record_key);
    create index sealed_records_hold_until on sealed_records (hold_until);
    create index sealed_records_key on sealed_records (key_id);
    create table requests (id text primary key, type text, status text, outcome text, completed_at text)`);

  const { iso, cutoff7, cutoff3m } = cutoffs(at);

  db.exec('create temp table gone (e text primary key)');
  const add = db.prepare('insert or ignore into temp.gone values (?)');
  db.transaction(() => {
    for (const e of emails) add.run(e);
  })();
  db.exec(`create temp table gone_customers as select id, lower(trim(email)) e from customers where lower(trim(email)) in (select e from temp.gone);
    create temp table gone_orders as
      select o.id, coalesce(case when lower(trim(o.email)) in (select e from temp.gone) then lower(trim(o.email)) end, gc.e) e
      from orders o left join temp.gone_customers gc on gc.id = o.customer_id
      where lower(trim(o.email)) in (select e from temp.gone) or o.customer_id in (select id from temp.gone_customers);
    create index temp.gone_orders_id on gone_orders (id);`);

  // Seal what is under the fiscal hold, per person.
  const held = [
    ...(db
      .prepare(
        `select 'invoices' c, o.e, i.issued_at from_at, i.* from invoices i join temp.gone_orders o on o.id = i.order_id
         where i.issued_at >= ?`,
      )
      .raw()
      .all(cutoff7) as unknown[][]),
    ...(db
      .prepare(
        `select 'payments' c, o.e, coalesce(p.paid_at, po.created_at) from_at, p.* from payments p
           join temp.gone_orders o on o.id = p.order_id join orders po on po.id = p.order_id
         where coalesce(p.paid_at, po.created_at) >= ?`,
      )
      .raw()
      .all(cutoff7) as unknown[][]),
  ];
  const keys = new Map<string, { id: string; key: Buffer }>();
  const insertKey = archive.prepare('insert into archive_keys values (?, ?, ?, ?)');
  const insertRecord = archive.prepare('insert or ignore into sealed_records values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  archive.transaction(() => {
    for (const row of held) {
      const [collection, email, fromAt, id] = row as [string, string, string, number];
      let k = keys.get(email);
      if (!k) {
        k = { id: randomUUID(), key: randomKey() };
        keys.set(email, k);
        insertKey.run(k.id, hmacHex(refKey, email), encrypt(kek, k.key, `archive-key:${k.id}`), iso);
      }
      const until = holdEnds(new Date(fromAt), FISCAL);
      const place = `shop/${collection}/${id}`;
      insertRecord.run(
        randomUUID(),
        k.id,
        'shop',
        collection,
        String(id),
        'fiscal',
        until.toISOString(),
        iso,
        encrypt(k.key, Buffer.from(JSON.stringify(row)), `sealed:${place}`),
      );
    }
  })();

  db.transaction(() => {
    db.exec(`delete from reviews where lower(trim(author_email)) in (select e from temp.gone) or order_id in (select id from temp.gone_orders);
      update shipments set tracking_code = null, recipient_name = '[verwijderd]', street = null, house_number = null,
        postal_code = null, city = null where order_id in (select id from temp.gone_orders);
      update payments set consumer_name = null, consumer_account = null where order_id in (select id from temp.gone_orders);
      update invoices set billing_name = '[verwijderd]', billing_address = '[verwijderd]' where order_id in (select id from temp.gone_orders);
      delete from contact_moments where lower(trim(email)) in (select e from temp.gone) or customer_id in (select id from temp.gone_customers);
      update orders set customer_id = null, email = '[verwijderd]', billing_name = '[verwijderd]', billing_street = null,
        billing_house_number = null, billing_postal_code = null, billing_city = null, shipping_name = null,
        shipping_street = null, shipping_house_number = null, shipping_postal_code = null, shipping_city = null,
        phone = null, ip_address = null where id in (select id from temp.gone_orders);
      delete from customers where id in (select id from temp.gone_customers);`);
  })();

  const register = archive.prepare("insert into requests values (?, 'erasure', 'completed', 'retention', ?)");
  archive.transaction(() => {
    for (let i = 0; i < emails.length; i++) register.run(randomUUID(), iso);
  })();

  const expired =
    db.prepare('delete from invoices where issued_at < ?').run(cutoff7).changes +
    db
      .prepare(
        'delete from payments where coalesce(paid_at, (select created_at from orders o where o.id = payments.order_id)) < ?',
      )
      .run(cutoff7).changes;
  // Technical data (the IP address) three months after the order.
  db.prepare('update orders set ip_address = null where created_at < ? and ip_address is not null').run(cutoff3m);
  db.close();
  archive.close();
  return { sealed: held.length, expired };
}

/** Rows per multi-row insert (keys, sealed records, register rows); the list goes in ten times as many at once. */
const ROWS_PER_INSERT = 5000;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The same on PostgreSQL through the bare driver (pg), on a shop in `shopSchema`: the list goes into a
 * temporary table (an array parameter unnested), the held rows are sealed into the archive's tables (as
 * above, in `archiveSchema`, made anew) with multi-row inserts, the shop is erased in one transaction of
 * set-based statements, a register row per person, then the rows past their hold are deleted and old IP
 * addresses cleared. No keyed hash: the data map hashes nothing (`inzage_hash` above is never called).
 */
export async function handWrittenRetentionPostgres(
  url: string,
  shopSchema: string,
  archiveSchema: string,
  emails: ReadonlyArray<string>,
  at: Date,
  secret: string,
): Promise<{ sealed: number; expired: { invoices: number; payments: number } }> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${quote(shopSchema)}` });
  await client.connect();
  const kek = deriveKey(secret, 'sealed-archive/key-encryption');
  const refKey = deriveKey(secret, 'sealed-archive/subject-ref');
  const A = quote(archiveSchema);
  const { iso, cutoff7, cutoff3m } = cutoffs(at);
  /** Runs `fn` in a transaction on the one connection. */
  const transaction = async (fn: () => Promise<void>) => {
    await client.query('begin');
    try {
      await fn();
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  };
  try {
    await client.query(`create schema if not exists ${A};
      drop table if exists ${A}.sealed_records, ${A}.archive_keys, ${A}.requests;
      create table ${A}.archive_keys (id text primary key, subject_ref text not null unique, wrapped_key text not null, created_at text not null);
      create table ${A}.sealed_records (id text primary key, key_id text not null, system text not null, collection text not null,
        record_key text not null, hold text not null, hold_until text not null, sealed_at text not null, ciphertext text not null);
      create unique index sealed_records_place on ${A}.sealed_records (system, collection, record_key);
      create index sealed_records_hold_until on ${A}.sealed_records (hold_until);
      create index sealed_records_key on ${A}.sealed_records (key_id);
      create table ${A}.requests (id text primary key, type text, status text, outcome text, completed_at text)`);

    await client.query('create temp table gone (e text primary key)');
    for (let i = 0; i < emails.length; i += 10 * ROWS_PER_INSERT) {
      await client.query('insert into gone select unnest($1::text[]) on conflict do nothing', [
        emails.slice(i, i + 10 * ROWS_PER_INSERT),
      ]);
    }
    // Temporary tables are never analysed by autovacuum: without it the planner guesses their size.
    // Written as joins, not `x in (select …) or y in (select …)`: PostgreSQL cannot turn an `or` of subqueries
    // into a join, and a subquery's list larger than work_mem (460,000 addresses, a million orders) is then
    // searched row by row: the first version of this baseline had not ended the list of orders after 8 minutes.
    // An order is the person's whose address it carries, else its customer's (as on SQLite: coalesce).
    await client.query(`analyze gone;
      create temp table gone_customers as
        select c.id, g.e from customers c join gone g on g.e = lower(trim(c.email));
      analyze gone_customers;
      create temp table gone_orders as
        select distinct on (id) id, e from (
          select o.id, g.e, 0 as own from orders o join gone g on g.e = lower(trim(o.email))
          union all
          select o.id, gc.e, 1 from orders o join gone_customers gc on gc.id = o.customer_id
        ) found order by id, own;
      create index gone_orders_id on gone_orders (id);
      analyze gone_orders`);

    // Seal what is under the fiscal hold, per person. Times come as Dates (timestamptz).
    const select = (text: string) => client.query<unknown[]>({ text, values: [cutoff7], rowMode: 'array' });
    const held = [
      ...(
        await select(
          `select 'invoices' c, o.e, i.issued_at from_at, i.* from invoices i join gone_orders o on o.id = i.order_id
           where i.issued_at >= $1`,
        )
      ).rows,
      ...(
        await select(
          `select 'payments' c, o.e, coalesce(p.paid_at, po.created_at) from_at, p.* from payments p
             join gone_orders o on o.id = p.order_id join orders po on po.id = p.order_id
           where coalesce(p.paid_at, po.created_at) >= $1`,
        )
      ).rows,
    ];
    const keys = new Map<string, { id: string; key: Buffer }>();
    const newKeys: string[][] = [[], [], []];
    const records: string[][] = [[], [], [], [], [], []];
    let sealed = 0;
    const insertKeys = async () => {
      if (newKeys[0]!.length === 0) return;
      await client.query(
        `insert into ${A}.archive_keys (id, subject_ref, wrapped_key, created_at)
         select k.*, $4 from unnest($1::text[], $2::text[], $3::text[]) k`,
        [...newKeys, iso],
      );
      for (const column of newKeys) column.length = 0;
    };
    const insertRecords = async () => {
      if (records[0]!.length === 0) return;
      const result = await client.query(
        `insert into ${A}.sealed_records (id, key_id, system, collection, record_key, hold, hold_until, sealed_at, ciphertext)
         select r.id, r.key_id, 'shop', r.collection, r.record_key, 'fiscal', r.hold_until, $7, r.ciphertext
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           r(id, key_id, collection, record_key, hold_until, ciphertext)
         on conflict (system, collection, record_key) do nothing`,
        [...records, iso],
      );
      sealed += result.rowCount ?? 0;
      for (const column of records) column.length = 0;
    };
    await transaction(async () => {
      for (const row of held) {
        const [collection, email, fromAt, id] = row as [string, string, Date, number];
        let k = keys.get(email);
        if (!k) {
          k = { id: randomUUID(), key: randomKey() };
          keys.set(email, k);
          newKeys[0]!.push(k.id);
          newKeys[1]!.push(hmacHex(refKey, email));
          newKeys[2]!.push(encrypt(kek, k.key, `archive-key:${k.id}`));
          if (newKeys[0]!.length === ROWS_PER_INSERT) await insertKeys();
        }
        const place = `shop/${collection}/${id}`;
        records[0]!.push(randomUUID());
        records[1]!.push(k.id);
        records[2]!.push(collection);
        records[3]!.push(String(id));
        records[4]!.push(holdEnds(fromAt, FISCAL).toISOString());
        records[5]!.push(encrypt(k.key, Buffer.from(JSON.stringify(row)), `sealed:${place}`));
        if (records[0]!.length === ROWS_PER_INSERT) await insertRecords();
      }
      await insertKeys();
      await insertRecords();
    });

    await transaction(async () => {
      await client.query(`delete from reviews where id in (
          select r.id from reviews r join gone g on g.e = lower(trim(r.author_email))
          union select r.id from reviews r join gone_orders o on o.id = r.order_id);
        update shipments s set tracking_code = null, recipient_name = '[verwijderd]', street = null, house_number = null,
          postal_code = null, city = null from gone_orders o where s.order_id = o.id;
        update payments p set consumer_name = null, consumer_account = null from gone_orders o where p.order_id = o.id;
        update invoices i set billing_name = '[verwijderd]', billing_address = '[verwijderd]' from gone_orders o
          where i.order_id = o.id;
        delete from contact_moments where id in (
          select m.id from contact_moments m join gone g on g.e = lower(trim(m.email))
          union select m.id from contact_moments m join gone_customers c on c.id = m.customer_id);
        update orders set customer_id = null, email = '[verwijderd]', billing_name = '[verwijderd]', billing_street = null,
          billing_house_number = null, billing_postal_code = null, billing_city = null, shipping_name = null,
          shipping_street = null, shipping_house_number = null, shipping_postal_code = null, shipping_city = null,
          phone = null, ip_address = null from gone_orders o where orders.id = o.id;
        delete from customers c using gone_customers g where c.id = g.id`);
    });

    await transaction(async () => {
      for (let i = 0; i < emails.length; i += ROWS_PER_INSERT) {
        const ids = Array.from({ length: Math.min(ROWS_PER_INSERT, emails.length - i) }, () => randomUUID());
        await client.query(
          `insert into ${A}.requests select id, 'erasure', 'completed', 'retention', $2 from unnest($1::text[]) id`,
          [ids, iso],
        );
      }
    });

    const invoices = (await client.query('delete from invoices where issued_at < $1', [cutoff7])).rowCount ?? 0;
    const payments =
      (
        await client.query(
          'delete from payments p using orders o where o.id = p.order_id and coalesce(p.paid_at, o.created_at) < $1',
          [cutoff7],
        )
      ).rowCount ?? 0;
    // Technical data (the IP address) three months after the order.
    await client.query('update orders set ip_address = null where created_at < $1 and ip_address is not null', [
      cutoff3m,
    ]);
    return { sealed, expired: { invoices, payments } };
  } finally {
    await client.end();
  }
}
