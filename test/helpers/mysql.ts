import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const MYSQL_URL = process.env.INZAGE_TEST_MYSQL_URL;
export const skipMysql = MYSQL_URL ? false : 'INZAGE_TEST_MYSQL_URL is not set: MySQL/MariaDB tests are skipped';

/** A database of its own on the test server, in a MySQL shop's character set; `drop` removes it. */
export interface MysqlTestDatabase {
  name: string;
  /** The server's URL with this database as its path. */
  url: string;
  /** Runs a statement on an admin connection of its own (the database need not be selected). */
  query(sql: string): Promise<unknown>;
  drop(): Promise<void>;
}

export async function createMysqlTestDatabase(prefix: string): Promise<MysqlTestDatabase> {
  if (!MYSQL_URL) throw new Error('INZAGE_TEST_MYSQL_URL is not set');
  const server = MYSQL_URL.replace(/^mariadb:/, 'mysql:');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const query = async (sql: string) => {
    const c = await createConnection({ uri: server });
    try {
      return (await c.query(sql))[0];
    } finally {
      await c.end();
    }
  };
  await query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  const at = new URL(server);
  at.pathname = `/${name}`;
  return {
    name,
    url: at.toString(),
    query,
    drop: async () => {
      await query(`drop database if exists \`${name}\``);
    },
  };
}
