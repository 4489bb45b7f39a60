import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sqliteBaseline } from './engine-baseline.ts';

const file = join(import.meta.dirname, '.data/shop-20000.db');
const raw = new SqliteDatabase(file);
const emails = (
  raw
    .prepare(
      'select c.email from customers c where id > 3000 and exists (select 1 from orders o where o.customer_id = c.id) limit 400',
    )
    .all() as any[]
).map((r) => r.email);
const b = sqliteBaseline(file, 'x'.repeat(40));
for (const e of emails.slice(0, 100)) await b.erase(e);
const t = performance.now();
for (const e of emails.slice(100, 400)) await b.erase(e);
console.log('baseline erase', ((performance.now() - t) / 300).toFixed(3), 'ms');
