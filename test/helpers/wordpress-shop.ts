import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlDatabase, type SqlDatabase, type SqlDialect } from '../../src/connectors/sql/sql-database.ts';
import { SqlText } from '../../src/connectors/sql/sql-text.ts';
import type { DataMap, SqlSystem } from '../../src/datamap/datamap.schema.ts';
import { loadDataMap } from '../../src/datamap/datamap.ts';
import { testPostgresUrl, withPgClient } from './db.ts';

export const WORDPRESS_DATAMAP_FILE = new URL('../fixtures/datamap/wordpress.yaml', import.meta.url).pathname;
export const MYSQL_URL = process.env.INZAGE_TEST_MYSQL_URL;

/** The three shop dialects; MySQL/MariaDB only when INZAGE_TEST_MYSQL_URL is set. */
export const SHOP_DIALECTS: SqlDialect[] = ['sqlite', 'postgres', 'mysql'];

export function skipShop(dialect: SqlDialect): string | false {
  if (dialect === 'postgres' && !process.env.INZAGE_TEST_POSTGRES_URL)
    return 'INZAGE_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped';
  if (dialect === 'mysql' && !MYSQL_URL) return 'INZAGE_TEST_MYSQL_URL is not set: MySQL/MariaDB tests are skipped';
  return false;
}

export interface WordPressShop {
  dialect: SqlDialect;
  prefix: string;
  /** The shop's database, for the engine and for looking at rows. */
  database: SqlDatabase;
  dataMap: DataMap;
  system: SqlSystem;
  /** `select … from <prefixed table>` helper: rows as plain objects. */
  rows(table: string, where?: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Runs a statement written with `{table}` for prefixed table names. */
  exec(text: string, params?: unknown[]): Promise<void>;
  drop(): Promise<void>;
}

/** Times in the form each database takes for its time column. */
export const time = (dialect: SqlDialect, iso: string) =>
  dialect === 'mysql' ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : iso;

/** PHP's serialize() of a flat array of strings (lengths in UTF-8 bytes). */
export function phpArray(entries: Record<string, string>): string {
  const s = (t: string) => `s:${Buffer.byteLength(t)}:"${t}";`;
  return `a:${Object.keys(entries).length}:{${Object.entries(entries)
    .map(([k, v]) => s(k) + s(v))
    .join('')}}`;
}

/** A WooCommerce session's value: the customer array serialized inside the session's array. */
export const sessionValue = (email: string, name: string) =>
  phpArray({ cart: 'a:0:{}', customer: phpArray({ first_name: name, email, country: 'NL' }) });

/**
 * A small WordPress/WooCommerce-shaped shop, with a prefix of its own, in SQLite, PostgreSQL (a schema of
 * its own) or MySQL/MariaDB: the tables of WordPress's schema.php and WooCommerce's sessions table that
 * the engine's tests need, with the columns they have there, plus a plug-in's table of e-mail addresses.
 */
export async function createWordPressShop(dialect: SqlDialect): Promise<WordPressShop> {
  const prefix = `t${randomBytes(3).toString('hex')}_wp_`;
  let url: string;
  let schema: string | undefined;
  let cleanup = async () => {};
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-wp-'));
    url = join(dir, 'shop.db');
    writeFileSync(url, '');
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else if (dialect === 'postgres') {
    url = await testPostgresUrl();
    schema = `wp_${randomBytes(4).toString('hex')}`;
    await withPgClient((c) => c.query(`create schema ${schema}`), url);
    const s = schema;
    cleanup = () => withPgClient((c) => c.query(`drop schema if exists ${s} cascade`), url).then(() => {});
  } else {
    url = MYSQL_URL!;
  }
  const loaded = loadDataMap(WORDPRESS_DATAMAP_FILE, { SHOP_URL: url, WP_PREFIX: prefix });
  if (!loaded.ok) throw new Error(`wordpress data map is invalid: ${JSON.stringify(loaded.problems)}`);
  const system = loaded.value.systems.shop as SqlSystem;
  if (schema) system.schema = schema;
  const database = openSqlDatabase(url, { schema });
  const q = new SqlText(dialect);
  const table = (name: string) => q.id(`${prefix}${name}`);
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => table(name));
  const id = (name: string) => q.id(name);
  const key = dialect === 'mysql' ? 'bigint primary key' : 'integer primary key';
  const at = dialect === 'postgres' ? 'timestamptz' : dialect === 'mysql' ? 'datetime' : 'text';
  const text = dialect === 'mysql' ? 'longtext' : 'text';
  const short = 'varchar(255)';
  const tables: Record<string, string> = {
    users: `${id('ID')} ${key}, user_login ${short} not null, user_email ${short} not null, display_name ${short} not null, user_registered ${at}`,
    usermeta: `umeta_id ${key}, user_id bigint not null, meta_key ${short}, meta_value ${text}`,
    posts: `${id('ID')} ${key}, post_type ${short} not null, post_status ${short} not null, post_date_gmt ${at}, post_title ${text} not null, post_excerpt ${text}`,
    postmeta: `meta_id ${key}, post_id bigint not null, meta_key ${short}, meta_value ${text}`,
    comments: `${id('comment_ID')} ${key}, ${id('comment_post_ID')} bigint not null, comment_author ${short} not null, comment_author_email ${short} not null, ${id('comment_author_IP')} ${short} not null, comment_content ${text} not null, comment_type ${short} not null, user_id bigint not null`,
    woocommerce_sessions: `session_id ${key}, session_key ${short} not null, session_value ${text} not null, session_expiry bigint not null`,
    newsletter_leads: `id ${key}, email_address ${short}, signed_up ${short}, source_page ${short}`,
  };
  const drop = async () => {
    for (const name of Object.keys(tables)) await database.run(`drop table if exists ${table(name)}`, []);
  };
  for (const [name, columns] of Object.entries(tables))
    await database.run(`create table ${table(name)} (${columns})`, []);
  return {
    dialect,
    prefix,
    database,
    dataMap: loaded.value,
    system,
    rows: async (name, where = '', params = []) =>
      database.run(`select * from ${table(name)}${where ? ` where ${fill(where)}` : ''}`, params),
    exec: async (statement, params = []) => {
      await database.run(fill(statement), params);
    },
    drop: async () => {
      await drop().catch(() => {});
      await database.close();
      await cleanup();
    },
  };
}

const unix = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * The people: Jan (an account, its order, a review, a blog comment, a session), a guest `a_b%c@…` whose
 * address is a LIKE pattern for `axbyyc@…` (an account with an order, a review and a session), `zoe@…`
 * (an account) beside a guest `zoë@…`, an order of 2010 past the fiscal term next to a blog post of 2010,
 * a session whose key `1abc` MySQL would read as the number 1, and a plug-in's table of addresses.
 */
export async function seedWordPressShop(shop: WordPressShop): Promise<void> {
  const d = shop.dialect;
  const insert = async (table: string, columns: string[], rows: unknown[][]) => {
    for (const row of rows) {
      const q = new SqlText(d);
      const list = columns.map((c) => q.id(c)).join(', ');
      const values = row.map((v) => q.param(v)).join(', ');
      await shop.exec(`insert into {${table}} (${list}) values (${values})`, q.params);
    }
  };
  await insert(
    'users',
    ['ID', 'user_login', 'user_email', 'display_name', 'user_registered'],
    [
      [1, 'jan', ' Jan@Example.NL', 'Jan Jansen', time(d, '2024-01-01T10:00:00Z')],
      [2, 'zoe', 'zoe@example.nl', 'Zoe Visser', time(d, '2024-02-01T10:00:00Z')],
      [3, 'anna', 'axbyyc@example.nl', 'Anna Bakker', time(d, '2024-03-01T10:00:00Z')],
    ],
  );
  let meta = 0;
  const usermeta = (user: number, entries: Record<string, string>) =>
    Object.entries(entries).map(([k, v]) => [++meta, user, k, v]);
  await insert(
    'usermeta',
    ['umeta_id', 'user_id', 'meta_key', 'meta_value'],
    [
      ...usermeta(1, {
        billing_email: 'jan@example.nl',
        billing_first_name: 'Jan',
        billing_phone: '0612345678',
        session_tokens: phpArray({ ip: '192.0.2.10', ua: 'Firefox', login: unix('2026-06-01T08:00:00Z') }),
        wc_last_active: unix('2026-06-01T00:00:00Z'),
        nickname: 'jan',
      }),
      ...usermeta(2, {
        billing_email: 'zoe@example.nl',
        billing_first_name: 'Zoe',
        wc_last_active: unix('2023-01-01T00:00:00Z'),
      }),
      ...usermeta(3, { billing_email: 'axbyyc@example.nl', billing_first_name: 'Anna' }),
    ],
  );
  await insert(
    'posts',
    ['ID', 'post_type', 'post_status', 'post_date_gmt', 'post_title', 'post_excerpt'],
    [
      [10, 'shop_order', 'wc-completed', time(d, '2026-05-01T10:00:00Z'), 'Order 10', 'Graag achterom'],
      [11, 'shop_order', 'wc-completed', time(d, '2025-09-01T10:00:00Z'), 'Order 11', ''],
      [12, 'shop_order', 'wc-completed', time(d, '2025-09-02T10:00:00Z'), 'Order 12', 'Bel even'],
      [13, 'shop_order', 'wc-processing', time(d, '2025-10-01T10:00:00Z'), 'Order 13', ''],
      [14, 'shop_order', 'wc-completed', time(d, '2010-01-01T10:00:00Z'), 'Order 14', ''],
      [20, 'post', 'publish', time(d, '2010-01-01T10:00:00Z'), 'Ons eerste balkon', ''],
      [21, 'product', 'publish', time(d, '2024-01-01T10:00:00Z'), 'Balkon Solar Set 800', ''],
      [22, 'product', 'publish', time(d, '2024-01-01T10:00:00Z'), 'Omvormer Micro 600', ''],
    ],
  );
  const postmeta = (post: number, entries: Record<string, string>) =>
    Object.entries(entries).map(([k, v]) => [++meta, post, k, v]);
  await insert(
    'postmeta',
    ['meta_id', 'post_id', 'meta_key', 'meta_value'],
    [
      ...postmeta(10, {
        _customer_user: '1',
        _billing_email: 'jan@example.nl ',
        _billing_first_name: 'Jan',
        _billing_phone: '0612345678',
        _billing_address_index: 'Jan Jansen  Dorpsstraat 1  Utrecht UT 3511AA NL jan@example.nl 0612345678',
        _customer_ip_address: '192.0.2.10',
        _order_total: '99.00',
      }),
      ...postmeta(11, {
        _customer_user: '0',
        _billing_email: 'A_B%C@example.nl',
        _billing_first_name: 'Ab',
        _billing_address_index: 'Ab C  Kerkweg 2  Amsterdam NH 1011AA NL a_b%c@example.nl 0687654321',
        _customer_ip_address: '198.51.100.7',
        _order_total: '10.00',
      }),
      ...postmeta(12, {
        _customer_user: '3',
        _billing_email: 'axbyyc@example.nl',
        _billing_first_name: 'Anna',
        _billing_address_index: 'Anna Bakker  Laan 3  Delft ZH 2611AA NL axbyyc@example.nl 0611111111',
        _customer_ip_address: '203.0.113.9',
        _order_total: '20.00',
      }),
      ...postmeta(13, { _customer_user: '0', _billing_email: 'zoë@example.nl', _customer_ip_address: '198.51.100.8' }),
      ...postmeta(14, { _customer_user: '0', _billing_email: 'oud@example.nl', _order_total: '5.00' }),
      ...postmeta(21, { _price: '799', _sku: 'BSS-800' }),
    ],
  );
  await insert(
    'comments',
    [
      'comment_ID',
      'comment_post_ID',
      'comment_author',
      'comment_author_email',
      'comment_author_IP',
      'comment_content',
      'comment_type',
      'user_id',
    ],
    [
      [100, 21, 'Jan', 'JAN@example.nl', '192.0.2.10', 'Top set', 'review', 1],
      [101, 21, 'Ab', 'a_b%c@example.nl', '198.51.100.7', 'Prima', 'review', 0],
      [102, 21, 'Anna', 'axbyyc@example.nl', '203.0.113.9', 'Goed', 'review', 3],
      [103, 20, 'Jan', 'jan@example.nl', '192.0.2.10', 'Mooi stuk', 'comment', 0],
      [104, 10, 'WooCommerce', 'woocommerce@shop.example', '', 'Betaling ontvangen', 'order_note', 0],
      [105, 12, 'WooCommerce', 'woocommerce@shop.example', '', 'Verzonden', 'order_note', 0],
    ],
  );
  await insert(
    'woocommerce_sessions',
    ['session_id', 'session_key', 'session_value', 'session_expiry'],
    [
      [1, '1', sessionValue('jan@example.nl', 'Jan'), 1893456000],
      [2, 't_guest1', sessionValue(' A_B%C@Example.nl', 'Ab'), 1893456000],
      [3, 't_guest2', sessionValue('axbyyc@example.nl', 'Anna'), 1893456000],
      [4, '1abc', sessionValue('iemand@example.nl', 'Iemand'), 1893456000],
      [5, 't_guest3', sessionValue('zoë@example.nl', 'Zoë'), 1893456000],
    ],
  );
  await insert(
    'newsletter_leads',
    ['id', 'email_address', 'signed_up', 'source_page'],
    Array.from({ length: 40 }, (_, i) => [i + 1, `lezer${i}@example.org`, i % 2 ? 'ja' : 'nee', '/blog']),
  );
}
