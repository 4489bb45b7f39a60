/**
 * `npm run bench -- woocommerce --reuse --statements`: where a find and an erasure of one person spend
 * their work, statement by statement. Every statement runs on one connection of its own, and MariaDB's
 * session counters are read before and after it: `Handler_read_key` (index lookups), `Handler_read_next`
 * (rows read along an index range) and `Handler_read_rnd_next` (rows read by a scan of the whole table).
 * Counts, not times: on a shared machine they do not move with the load.
 */
import { createConnection } from 'mysql2/promise';
import type { SqlConnectorDeps } from '../src/connectors/sql/sql.connector.ts';
import { SqlConnector } from '../src/connectors/sql/sql.connector.ts';
import type { Row, SqlDatabase, SqlRunner } from '../src/connectors/sql/sql-database.ts';

interface Measured {
  text: string;
  ms: number;
  key: number;
  next: number;
  scan: number;
  rows: number;
}

const COUNTERS = ['Handler_read_key', 'Handler_read_next', 'Handler_read_rnd_next'] as const;

export async function profileStatements(
  url: string,
  deps: Omit<SqlConnectorDeps, 'database'> & { database: SqlDatabase },
  people: Record<string, string>,
): Promise<void> {
  const conn = await createConnection({ uri: url, dateStrings: true });
  const counters = async () => {
    const [rows] = await conn.query(`show session status where variable_name in (${COUNTERS.map(() => '?')})`, [
      ...COUNTERS,
    ]);
    const by = new Map(
      (rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, +r.Value]),
    );
    return COUNTERS.map((c) => by.get(c) ?? 0);
  };
  // What reading the counters itself adds (SHOW STATUS reads a table of its own), taken off each figure.
  const a = await counters();
  const b = await counters();
  const own = b.map((x, i) => x - a[i]!);
  let log: Measured[] = [];
  const measure = async (text: string, params: ReadonlyArray<unknown>): Promise<Row[]> => {
    const before = await counters();
    const started = performance.now();
    const [result] = await conn.query(text, [...params]);
    const ms = performance.now() - started;
    const after = await counters();
    const [key, next, scan] = after.map((x, i) => x - before[i]! - own[i]!) as [number, number, number];
    const rows = Array.isArray(result) ? result.length : Number((result as { affectedRows?: number }).affectedRows);
    log.push({ text, ms, key, next, scan, rows });
    return Array.isArray(result) ? (result as Row[]) : [];
  };
  // The engine sends independent statements side by side; here they take turns on the one connection,
  // so that the counters read around a statement are that statement's alone.
  let turn: Promise<unknown> = Promise.resolve();
  const runner: SqlRunner = {
    run: (text, params) => {
      const mine = turn.then(() => measure(text, params));
      turn = mine.catch(() => {});
      return mine;
    },
  };
  let count = 0;
  const database: SqlDatabase = {
    ...deps.database,
    run: (text, params) => {
      count++;
      return runner.run(text, params);
    },
    transaction: async (fn) => {
      await conn.query('begin');
      try {
        const result = await fn({
          run: (t, p) => {
            count++;
            return runner.run(t, p);
          },
        });
        await conn.query('commit');
        return result;
      } catch (err) {
        await conn.query('rollback');
        throw err;
      }
    },
    queries: () => count,
  };
  const connector = new SqlConnector({ ...deps, database });
  const print = (title: string) => {
    const total = log.reduce((t, m) => ({ ms: t.ms + m.ms, read: t.read + m.key + m.next + m.scan }), {
      ms: 0,
      read: 0,
    });
    console.log(`\n${title}: ${log.length} statements, ${total.read} rows read, ${total.ms.toFixed(1)} ms`);
    console.log('    ms   lookups  range-rows  scan-rows  rows  statement');
    for (const m of log)
      console.log(
        `${m.ms.toFixed(1).padStart(6)}  ${String(m.key).padStart(8)}  ${String(m.next).padStart(10)}  ${String(m.scan).padStart(9)}  ${String(m.rows).padStart(4)}  ${m.text.replace(/\s+/g, ' ').slice(0, 150)}`,
      );
    log = [];
  };
  try {
    for (const [label, email] of Object.entries(people)) {
      await connector.find({ email });
      print(`find (${label})`);
      const report = await connector.erase({ email }, { now: new Date() });
      print(`erase (${label}): ${report.status}`);
    }
  } finally {
    await conn.end();
  }
}
