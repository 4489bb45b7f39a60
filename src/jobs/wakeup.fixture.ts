/**
 * For wakeup.test.ts: another process that queues job 7 on a PostgreSQL store (`url`, `schema`) and
 * exits, as `inzage requests approve` or a second `serve` would.
 */
import { systemClock } from '../lib/clock.ts';
import { openStore } from '../store/database.ts';
import { JobRepository } from './job.repository.ts';
import { postgresWakeup } from './wakeup.ts';

const [url, schema] = process.argv.slice(2);
const store = openStore({ dialect: 'postgres', url: url! }, { schema });
const jobs = new JobRepository(store.db, 'postgres', systemClock, postgresWakeup(store));
await store.db.transaction().execute((trx) => jobs.enqueue('test.wake', { n: 7 }, {}, trx));
await store.close();
