import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { buildServices } from '../src/services.ts';
import { migrateToLatest, openStore } from '../src/store/database.ts';
import { cliDataDir, inzage } from './helpers/cli.ts';
import { insertRequest } from './helpers/requests.ts';

describe('inzage requests and tasks: the officer’s decisions from a terminal', () => {
  let remove = () => {};
  const ids: { extend?: string; reject?: string; access?: string; task?: string } = {};
  before(async () => {
    ({ remove } = await cliDataDir(20));
    // Two requests straight into this data folder's register, waiting for the officer.
    const config = loadConfig();
    const store = openStore(config.database);
    await migrateToLatest(store);
    const services = buildServices(config, store, systemClock, silentLogger(), { dataMap: null });
    ids.extend = await insertRequest(services, { type: 'access', status: 'verified' });
    ids.reject = await insertRequest(services, { type: 'rectification', status: 'awaiting_decision' });
    ids.access = await insertRequest(services, { type: 'access', status: 'waiting_on_tasks' });
    await services.requests.insertTasks(
      store.db,
      ids.access,
      [
        {
          system: 'mollie',
          processor: 'mollie',
          action: 'access',
          contact: 'support@mollie.com',
          instructions: { nl: 'Vraag Mollie', en: 'Ask Mollie' },
          dueInDays: 30,
          categories: ['payment'],
        },
      ],
      systemClock.now(),
    );
    ids.task = (await services.requests.tasks({ requestId: ids.access }))[0]!.id;
    await services.close();
    await store.close();
  });
  after(() => remove());

  it('extends and rejects with reasons, and the audit trail records each decision without the reason text', async () => {
    const extended = await inzage('requests', 'extend', ids.extend!, '--reason', 'Veel verzoeken tegelijk');
    assert.equal(extended.code, 0, extended.err);
    const rejected = await inzage('requests', 'reject', ids.reject!, '--reason', 'Het adres klopt al');
    assert.equal(rejected.code, 0, rejected.err);
    assert.match(rejected.out, /rejected/);
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{
      actor: string;
      action: string;
      target: string;
      details: Record<string, unknown>;
    }>;
    const decisions = trail
      .filter((e) => e.action.startsWith('request.'))
      .map((e) => `${e.actor} ${e.action} ${e.target}`);
    assert.deepEqual(decisions.sort(), [
      `cli request.extend request:${ids.extend}`,
      `cli request.reject request:${ids.reject}`,
    ]);
    assert.doesNotMatch(JSON.stringify(trail), /Veel verzoeken|klopt/);
    assert.equal((await inzage('audit', 'verify')).code, 0);
  });

  it('records nothing for a decision the request’s status does not allow', async () => {
    const again = await inzage('requests', 'extend', ids.extend!, '--reason', 'Nog eens');
    assert.notEqual(again.code, 0);
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{ action: string }>;
    assert.equal(trail.filter((e) => e.action === 'request.extend').length, 1);
  });

  it('refuses an option or argument with a control character before anything runs, naming it', async () => {
    const reject = await inzage('requests', 'reject', ids.reject!, '--reason', 'Nee\u0000');
    assert.equal(reject.code, 1);
    assert.equal(reject.err, 'error: --reason must not contain control characters (such as NUL) (reason)');
    const key = await inzage('apikey', 'create', '--name', 'shop\u001b[31m');
    assert.equal(key.code, 1);
    assert.match(key.err, /^error: --name must not contain control characters/);
    const show = await inzage('requests', 'show', `${ids.extend}\u0000`);
    assert.equal(show.code, 1);
    assert.match(show.err, /^error: <id> must not contain control characters/);
    assert.doesNotMatch((await inzage('apikey', 'list')).out, /shop/, 'no key was made');
    const trail = JSON.parse((await inzage('audit', 'list', '--json')).out) as Array<{ action: string }>;
    assert.equal(trail.filter((e) => e.action === 'request.reject').length, 1, 'only the earlier rejection');
  });

  it('closes an access task only with what the processor gave, which goes to the person as the next part', async () => {
    const bare = await inzage('tasks', 'done', ids.task!);
    assert.equal(bare.code, 1);
    assert.match(bare.err, /--attach FILE, --answer TEXT or --nothing-held/);
    const both = await inzage('tasks', 'done', ids.task!, '--answer', 'x', '--nothing-held');
    assert.equal(both.code, 1);
    const missing = await inzage('tasks', 'done', ids.task!, '--attach', '/no/such/file.csv');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot read/);
    const file = join(mkdtempSync(join(tmpdir(), 'inzage-part-')), 'mollie-export.csv');
    writeFileSync(file, 'betaling;bedrag\n2025-03-12;1299.00\n');
    const done = await inzage('tasks', 'done', ids.task!, '--attach', file);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /is completed/);
    const config = loadConfig();
    const store = openStore(config.database);
    try {
      const parts = await store.db
        .selectFrom('request_exports')
        .selectAll()
        .where('request_id', '=', ids.access!)
        .execute();
      assert.deepEqual(
        parts.map((p) => [p.part, p.source, p.ciphertext !== null]),
        [[2, 'Mollie', true]],
      );
    } finally {
      await store.close();
    }
  });

  it('keeps tab and newline in a reason, which may be pasted from a file', async () => {
    const note = await inzage('tasks', 'done', 'no-such-task', '--note', 'regel een\nregel twee\tklaar');
    assert.doesNotMatch(note.err, /control characters/);
  });
});
