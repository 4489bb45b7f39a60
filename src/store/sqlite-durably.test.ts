import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { SealedArchive } from '../retention/sealed-archive.ts';
import { migrateToLatest, openStore } from './database.ts';

const FULL = 2;
const NORMAL = 1;

describe('a SQLite hub, durably', () => {
  it('syncs every commit while a seal runs, also when two overlap, and returns to its normal setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-durably-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'hub.db') });
    try {
      const level = async () =>
        Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous);
      assert.equal(await level(), NORMAL);
      let release!: () => void;
      const first = store.durably(async () => {
        assert.equal(await level(), FULL);
        await new Promise<void>((r) => {
          release = r;
        });
        assert.equal(await level(), FULL, 'still synced after the other caller finished');
      });
      await store.durably(async () => assert.equal(await level(), FULL));
      release();
      await first;
      assert.equal(await level(), NORMAL);

      // A seal that began before a sweep and ends while it still runs leaves the sweep's commits synced.
      let endSeal!: () => void;
      const seal = store.durably(
        () =>
          new Promise<void>((r) => {
            endSeal = r;
          }),
      );
      let endSweep!: () => void;
      const sweep = store.sweep(async () => {
        await new Promise<void>((r) => {
          endSweep = r;
        });
        assert.equal(await level(), FULL, 'the sweep is still synced after the seal beside it ended');
      });
      endSeal();
      await seal;
      endSweep();
      await sweep;
      assert.equal(await level(), NORMAL);

      // The archive seals through it: a key and its records under one synced commit.
      await migrateToLatest(store);
      const seen: number[] = [];
      const archive = new SealedArchive(store.db, 'x'.repeat(40), { now: () => new Date() }, (fn) =>
        store.durably(async () => {
          seen.push(await level());
          return fn();
        }),
      );
      await archive.seal(archive.subjectRef('a@example.nl'), [
        {
          system: 'shop',
          collection: 'invoices',
          recordKey: '1',
          hold: 'fiscal',
          holdUntil: '2033-12-31T23:00:00.000Z',
          data: { n: 1 },
        },
      ]);
      assert.deepEqual(seen, [FULL]);
      assert.equal(await level(), NORMAL);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
