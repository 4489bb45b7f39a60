import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOUR } from '../src/lib/clock.ts';
import { InzageError } from '../src/lib/errors.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
  links: string[];
  template: string;
}

for (const dialect of DIALECTS) {
  describe(`request deadlines on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(async () => {
      await t?.close();
    });

    const mails = async (to: string): Promise<Mail[]> =>
      (await t.app.inject({ url: `/api/v1/dev/mailbox?to=${encodeURIComponent(to)}` })).json();
    const submit = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: body });
      assert.equal(res.statusCode, 202, res.body);
      return (await t.services.requests.get(res.json().id))!;
    };
    const housekeeping = async (key: string) => {
      await t.services.jobs.enqueue('requests.housekeeping', {}, { dedupeKey: key });
      await t.drain();
    };

    it('counts a request posted at 23:30 UTC on 31 January 2028 from 1 February, the day in Amsterdam', async () => {
      t.clock.set('2028-01-31T23:30:00.000Z');
      const r = await submit({ type: 'access', email: 'laat@example.com' });
      // One month from 1 February is 1 March (a Wednesday); the promise of 30 days would be 2 March.
      assert.equal(r.legalDueAt, '2028-03-01T22:59:59.999Z');
      assert.equal(r.dueAt, '2028-03-01T22:59:59.999Z');
    });

    it('ends a request received on 31 January 2028 at the end of 29 February, the earlier of month and promise', async () => {
      t.clock.set('2028-01-31T09:00:00.000Z');
      const r = await submit({ type: 'access', email: 'schrikkel@example.com' });
      assert.equal(r.legalDueAt, '2028-02-29T22:59:59.999Z');
      assert.equal(r.dueAt, '2028-02-29T22:59:59.999Z');
    });

    it('gives an account closure from the shop the same deadlines, and records that the shop sent it', async () => {
      t.clock.set('2027-03-31T09:00:00.000Z');
      const { id } = await t.services.intake.closeAccountFromShop('weg@example.com');
      const r = (await t.services.requests.get(id))!;
      assert.equal(r.legalDueAt, '2027-04-30T21:59:59.999Z');
      assert.equal(r.dueAt, '2027-04-30T21:59:59.999Z');
      assert.equal(r.channel, 'shop');
    });

    it('extends before the month has ended: three months from receipt in all, and the person is told the new date in Dutch', async () => {
      t.clock.set('2027-01-31T09:00:00.000Z');
      const r = await submit({ type: 'access', email: 'verleng@example.com' });
      assert.equal(r.legalDueAt, '2027-03-01T22:59:59.999Z'); // 28 February 2027 is a Sunday
      await t.services.requests.db.updateTable('requests').set({ status: 'verified' }).where('id', '=', r.id).execute();
      t.clock.set('2027-03-01T20:00:00.000Z'); // 21:00 in Amsterdam on the last day
      const dueAt = await t.services.handling.extend(r.id, 'Wij wachten op antwoord van onze boekhouder.');
      // Three months from 31 January 2027: 31 April does not exist, so Friday 30 April (the first period's
      // end, moved from Sunday 28 February to Monday 1 March, does not push the extension on).
      assert.equal(dueAt, '2027-04-30T21:59:59.999Z');
      const after = (await t.services.requests.get(r.id))!;
      assert.equal(after.dueAt, dueAt);
      assert.equal(after.legalDueAt, dueAt);
      await t.drain();
      const extended = (await mails('verleng@example.com')).find((m) => m.template === 'extended');
      assert.match(extended?.text ?? '', /30 april\s+2027/);
    });

    it('refuses an extension after the month has ended, saying why, and changes nothing', async () => {
      t.clock.set('2027-01-31T09:00:00.000Z');
      const r = await submit({ type: 'access', email: 'te-laat@example.com' });
      await t.services.requests.db
        .updateTable('requests')
        .set({ status: 'in_progress' })
        .where('id', '=', r.id)
        .execute();
      t.clock.set('2027-03-01T23:00:00.000Z'); // midnight in Amsterdam: 2 March
      await assert.rejects(
        () => t.services.handling.extend(r.id, 'Te druk.'),
        (err: unknown) =>
          err instanceof InzageError &&
          err.code === 'CONFLICT' &&
          /legal deadline of 1 March 2027 has passed/.test(err.message),
      );
      const same = (await t.services.requests.get(r.id))!;
      assert.equal(same.dueAt, r.dueAt);
      assert.equal(same.extendedAt, null);
      await t.drain();
      assert.equal((await mails('te-laat@example.com')).filter((m) => m.template === 'extended').length, 0);
    });

    describe('a request the officer enters', () => {
      it('counts from the day it arrived by post, and sends the usual verification link', async () => {
        t.clock.set('2027-02-10T09:00:00.000Z');
        const r = await t.services.officerIntake.enter(
          { type: 'access', email: 'brief@example.com', received: '2027-01-31', channel: 'post', name: 'J. Brief' },
          'cli',
        );
        assert.equal(r.status, 'awaiting_verification');
        assert.equal(r.receivedAt, '2027-01-30T23:00:00.000Z'); // the start of 31 January in Amsterdam
        assert.equal(r.legalDueAt, '2027-03-01T22:59:59.999Z');
        assert.equal(r.dueAt, '2027-03-01T22:59:59.999Z');
        const stored = (await t.services.requests.get(r.id))!;
        assert.equal(stored.channel, 'post');
        assert.equal(stored.receivedAt, r.receivedAt);
        await t.drain();
        const verify = (await mails('brief@example.com')).find((m) => m.template === 'verify');
        assert.ok(verify?.links.some((l) => l.includes('/requests/verify/')));
        const trail = await t.services.audit.list({ action: 'request.create' });
        const entry = trail.find((e) => e.target === `request:${r.id}`);
        assert.deepEqual(entry?.details, {
          channel: 'post',
          identityChecked: false,
          received: '2027-01-31',
          type: 'access',
        });
        assert.doesNotMatch(JSON.stringify(trail), /brief@example\.com|J\. Brief/);
      });

      it('keeps a request entered days after it arrived while its link is valid, and expires it 48 hours after', async () => {
        t.clock.set('2027-02-10T09:00:00.000Z');
        const r = await t.services.officerIntake.enter(
          { type: 'erasure', email: 'oud@example.com', received: '2027-02-01' },
          'cli',
        );
        await housekeeping('hk:1');
        assert.equal((await t.services.requests.get(r.id))?.status, 'awaiting_verification');
        t.clock.set(new Date(Date.parse('2027-02-10T09:00:00.000Z') + 48 * HOUR + 1000));
        await housekeeping('hk:2');
        assert.equal((await t.services.requests.get(r.id))?.status, 'expired');
      });

      it('starts at once when the officer checked the identity, and the trail records the check', async () => {
        t.clock.set('2027-02-10T09:00:00.000Z');
        const r = await t.services.officerIntake.enter(
          { type: 'restriction', email: 'balie@example.com', channel: 'in-person', identityChecked: true },
          'user:officer-1',
        );
        assert.equal(r.status, 'verified');
        assert.equal(r.receivedAt, '2027-02-10T09:00:00.000Z'); // today: the moment it was entered
        assert.equal(r.legalDueAt, '2027-03-10T22:59:59.999Z');
        const jobs = await t.store.db.selectFrom('jobs').select(['name', 'payload']).execute();
        assert.ok(jobs.some((j) => j.name === 'request.process' && JSON.parse(j.payload).id === r.id));
        const events = (await t.services.requests.events(r.id)).map((e) => e.event);
        assert.deepEqual(events, ['received', 'identity_verified']);
        const entry = (await t.services.audit.list({ action: 'request.create' })).find(
          (e) => e.target === `request:${r.id}`,
        );
        assert.equal(entry?.actor, 'user:officer-1');
        assert.equal(entry?.details?.identityChecked, true);
        assert.equal((await mails('balie@example.com')).filter((m) => m.template === 'verify').length, 0);
        assert.equal((await t.services.audit.verify()).ok, true);
      });

      it('joins an open request of the same type for the same address', async () => {
        t.clock.set('2027-02-10T09:00:00.000Z');
        const first = await t.services.officerIntake.enter({ type: 'portability', email: 'twee@example.com' }, 'cli');
        const second = await t.services.officerIntake.enter(
          { type: 'portability', email: 'Twee@Example.com', received: '2027-02-09', channel: 'email' },
          'cli',
        );
        assert.equal(second.id, first.id);
        assert.equal(second.joined, true);
      });

      for (const [received, message] of [
        ['2027-02-11', /is in the future: today is 2027-02-10 in Amsterdam/],
        ['2027-02-30', /YYYY-MM-DD/],
        ['31-01-2027', /YYYY-MM-DD/],
      ] as const) {
        it(`refuses ${received} as the day it arrived, naming the field, and stores nothing`, async () => {
          t.clock.set('2027-02-10T22:30:00.000Z'); // 23:30 in Amsterdam: still 10 February
          const before = (await t.services.requests.list()).length;
          await assert.rejects(
            () => t.services.officerIntake.enter({ type: 'access', email: 'fout@example.com', received }, 'cli'),
            (err: unknown) =>
              err instanceof InzageError &&
              err.code === 'VALIDATION_FAILED' &&
              err.field === 'received' &&
              message.test(err.message),
          );
          assert.equal((await t.services.requests.list()).length, before);
        });
      }

      it('takes 11 February as today at 00:30 in Amsterdam, while it is still 10 February in UTC', async () => {
        t.clock.set('2027-02-10T23:30:00.000Z'); // 00:30 on 11 February in Amsterdam
        const r = await t.services.officerIntake.enter(
          { type: 'access', email: 'middernacht@example.com', received: '2027-02-11' },
          'cli',
        );
        assert.equal(r.receivedAt, '2027-02-10T23:30:00.000Z');
      });

      it('refuses an unknown channel and an objection without what it objects to', async () => {
        await assert.rejects(
          () => t.services.officerIntake.enter({ type: 'access', email: 'x@example.com', channel: 'fax' }, 'cli'),
          (err: unknown) => err instanceof InzageError && err.field === 'channel',
        );
        await assert.rejects(
          () => t.services.officerIntake.enter({ type: 'objection', email: 'x@example.com' }, 'cli'),
          (err: unknown) => err instanceof InzageError && err.field === 'purposes',
        );
        const entered = await t.services.officerIntake.enter(
          { type: 'objection', email: 'brief@example.com', purposes: ['website'], identityChecked: true },
          'cli',
        );
        assert.deepEqual((await t.services.requests.get(entered.id))?.details.purposes, ['website']);
      });
    });
  });
}
