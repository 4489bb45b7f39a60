import { systemClock } from '../src/lib/clock.ts';
import { SealedArchive } from '../src/retention/sealed-archive.ts';
import { migrateToLatest, openStore } from '../src/store/database.ts';

const hub = openStore({ dialect: 'sqlite', file: '/tmp/prof-hub2.db' });
await migrateToLatest(hub);
const archive = new SealedArchive(hub.db, 'x'.repeat(40), systemClock);
const prof: Record<string, number> = {};
(globalThis as any).__prof = (k: string, ms: number) => {
  prof[k] = (prof[k] ?? 0) + ms;
};
const rec = (e: string, i: number) => ({
  system: 's',
  collection: 'invoices',
  recordKey: `${e}-${i}`,
  hold: 'fiscal',
  holdUntil: '2030-01-01',
  data: {
    id: 1,
    order_id: 2,
    number: 'F2024-0001',
    issued_at: '2024-01-01T00:00:00.000Z',
    billing_name: 'Jan Jansen',
    billing_address: 'Straat 1, 1234 AB Plaats',
    total_cents: 12345,
    vat_cents: 2000,
  },
});
for (let n = 0; n < 2; n++) {
  for (const k of Object.keys(prof)) delete prof[k];
  const t = performance.now();
  for (let i = 0; i < 300; i++) {
    const e = `p${n}-${i}`;
    await archive.seal(
      archive.subjectRef(e),
      [0, 1, 2, 3].map((k) => rec(e, k)),
    );
  }
  console.log(
    'seal 4',
    ((performance.now() - t) / 300).toFixed(3),
    'ms',
    Object.entries(prof)
      .map(([k, v]) => `${k} ${(v / 300).toFixed(3)}`)
      .join(' '),
  );
}
