import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subjectRef } from '../src/requests/intake.service.ts';
import { REQUEST_TYPES } from '../src/requests/request.types.ts';
import { VERIFICATION_MAILS_PER_HOUR } from '../src/requests/verification-mails.ts';
import { buildTestServers, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

/** An objection: its grounds, and the purpose objected to (the policy's `website`, on legitimate interests). */
const OBJECTION = { message: 'nieuwsbrief', purposes: ['website'] };

for (const dialect of DIALECTS) {
  describe(`simultaneous posts for one address on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let servers: Awaited<ReturnType<typeof buildTestServers>>;
    let apps: TestApp[];
    before(async () => {
      // Three servers, each with a connection pool of its own, on one database.
      servers = await buildTestServers(dialect, 3);
      apps = servers.apps;
    });
    after(async () => {
      await servers?.close();
    });

    let n = 0;
    /** Posts all bodies at once, spread over the servers, each from a client of its own. */
    const postAtOnce = (bodies: Record<string, unknown>[]) =>
      Promise.all(
        bodies.map((payload, i) =>
          apps[i % apps.length]!.app.inject({
            method: 'POST',
            url: '/api/v1/requests',
            payload,
            remoteAddress: `10.3.${Math.floor(++n / 250)}.${n % 250}`,
          }),
        ),
      );
    const requestsFor = (email: string) =>
      servers.store.db
        .selectFrom('requests')
        .select(['id', 'type'])
        .where('subject_ref', '=', subjectRef(apps[0]!.services.secret, email))
        .execute();
    const verifyMails = async (email: string) => {
      for (const t of apps) await t.drain();
      const all = (await apps[0]!.services.outbox.messages()).filter((m) => m.to === email && m.template === 'verify');
      return { all, sent: all.filter((m) => m.status === 'sent') };
    };

    it('makes one request and one e-mail of ten identical posts at once', async () => {
      const email = 'tegelijk@example.nl';
      const answers = await postAtOnce(Array.from({ length: 10 }, () => ({ type: 'access', email })));
      for (const res of answers) assert.equal(res.statusCode, 202, res.body);
      assert.equal((await requestsFor(email)).length, 1);
      const mails = await verifyMails(email);
      assert.equal(mails.all.length, 1);
      assert.equal(mails.sent.length, 1);
    });

    it('makes one request per type and no more than 5 e-mails now of twenty posts of every type at once', async () => {
      const email = 'alles-tegelijk@example.nl';
      const bodies = Array.from({ length: 21 }, (_, i) => {
        const type = REQUEST_TYPES[i % REQUEST_TYPES.length]!;
        return {
          type,
          email,
          ...(type === 'objection' ? OBJECTION : {}),
          ...(type === 'rectification' ? { corrections: { phone: '0612345678' } } : {}),
        };
      });
      const answers = await postAtOnce(bodies);
      for (const res of answers) assert.equal(res.statusCode, 202, res.body);
      const made = await requestsFor(email);
      assert.equal(made.length, REQUEST_TYPES.length);
      assert.equal(new Set(made.map((r) => r.type)).size, REQUEST_TYPES.length);
      const mails = await verifyMails(email);
      assert.equal(mails.all.length, REQUEST_TYPES.length, 'one link per request, none twice');
      assert.equal(mails.sent.length, VERIFICATION_MAILS_PER_HOUR, 'the rest wait until the hour has room');
    });
  });
}
