import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, HOUR, MINUTE } from '../lib/clock.ts';
import { InzageError } from '../lib/errors.ts';
import { hashToken } from '../lib/ids.ts';
import type { MailOutbox } from '../notify/outbox.ts';
import { subjectRef } from '../requests/intake.service.ts';
import { contactPurposes, defaultContactPurposes } from './contact-consent.purposes.ts';
import { ContactConsentRepository, forgetContactConsents } from './contact-consent.repository.ts';
import { ContactConsentService } from './contact-consent.service.ts';
import { ConsentWithdrawalService, withdrawalStatement } from './contact-consent-withdrawal.service.ts';

const SECRET = 'a-forty-character-secret-for-these-tests';
const policy = loadExamplePolicy();
type Mail = Parameters<MailOutbox['enqueue']>[0];

const TEXT = 'Ja, Balkonzon mag mij later per e-mail benaderen met aanbiedingen.';
const grant = (email: string, extra: Partial<{ purpose: string; at: string; granted: boolean }> = {}) => ({
  email,
  purpose: 'later-contact',
  granted: true,
  text: TEXT,
  textVersion: 'checkout-3',
  source: 'checkout',
  ...extra,
});

/** Runs `fn` and returns the validation error it throws. */
async function rejection(fn: () => Promise<unknown>): Promise<InzageError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof InzageError);
    return err;
  }
  assert.fail('expected an error');
}

describe('contact purposes from the policy', () => {
  it('offers the consent purposes for contact and leaves the cookie purpose to the banner', () => {
    assert.deepEqual(
      contactPurposes(policy).map((p) => p.id),
      ['later-contact', 'reviews'],
    );
    assert.deepEqual(defaultContactPurposes(policy), ['later-contact']);
  });
});

for (const dialect of DIALECTS) {
  describe(`contact consent on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let clock: FakeClock;
    let repo: ContactConsentRepository;
    let service: ContactConsentService;
    let withdrawals: ConsentWithdrawalService;
    const sent: Mail[] = [];

    before(async () => {
      store = await createTestStore(dialect);
      clock = new FakeClock('2026-11-26T10:00:00.000Z');
      repo = new ContactConsentRepository(store.db);
      service = new ContactConsentService({ consents: repo, clock, policy: () => policy, secret: SECRET });
      withdrawals = new ConsentWithdrawalService({
        consents: repo,
        service,
        mail: {
          enqueue: async (mail) => {
            sent.push(mail as Mail);
            return 'id';
          },
        },
        clock,
        policy: () => policy,
        secret: SECRET,
        baseUrl: 'https://privacy.example.nl',
      });
    });
    after(() => store?.drop());
    beforeEach(() => {
      sent.length = 0;
    });

    it('records a consent and its withdrawal with proof: text, version, source and both times', async () => {
      const email = 'proof@example.nl';
      const given = await service.record(grant(email, { at: '2026-11-20T12:00:00+01:00' }));
      assert.deepEqual(given, {
        id: given.id,
        purpose: 'later-contact',
        granted: true,
        at: '2026-11-20T11:00:00.000Z',
      });
      clock.advance(MINUTE);
      await service.record({ ...grant(email), granted: false, text: 'Afmelden', source: 'account' });
      const rows = await store.db.selectFrom('contact_consents').selectAll().orderBy('at').execute();
      const mine = rows.filter((r) => r.subject_ref === subjectRef(SECRET, email));
      assert.equal(mine.length, 2, 'a withdrawal is a new row; nothing is updated');
      assert.deepEqual(
        mine.map((r) => [r.granted, r.text, r.text_version, r.source, r.at, r.recorded_at]),
        [
          [1, TEXT, 'checkout-3', 'checkout', '2026-11-20T11:00:00.000Z', '2026-11-26T10:00:00.000Z'],
          [0, 'Afmelden', 'checkout-3', 'account', '2026-11-26T10:01:00.000Z', '2026-11-26T10:01:00.000Z'],
        ],
      );
      assert.ok(
        rows.every((r) => !JSON.stringify(r).includes(email)),
        'the address itself is not stored',
      );
    });

    it('lets the newest choice per purpose win, by when the person chose', async () => {
      const email = ' Newest@Example.nl ';
      await service.record(grant(email, { at: '2026-11-01T09:00:00Z' }));
      await service.record(grant(email, { at: '2026-11-10T09:00:00Z', granted: false }));
      // Reported late by the shop, but chosen earlier: it does not undo the withdrawal.
      await service.record(grant(email, { at: '2026-11-05T09:00:00Z' }));
      await service.record(grant(email, { purpose: 'reviews', at: '2026-11-02T09:00:00Z' }));
      assert.deepEqual(await service.current('newest@example.nl'), {
        'later-contact': { granted: false, at: '2026-11-10T09:00:00.000Z' },
        reviews: { granted: true, at: '2026-11-02T09:00:00.000Z' },
      });
    });

    it('allows contact only while the newest record for the purpose is a grant', async () => {
      const email = 'allowed@example.nl';
      assert.equal(await service.contactAllowed(email), false, 'no record: no contact');
      await service.record(grant(email, { purpose: 'reviews' }));
      assert.equal(await service.contactAllowed(email), false, 'reviews alone is not later contact');
      assert.equal(await service.contactAllowed(email, 'reviews'), true);
      clock.advance(MINUTE);
      await service.record(grant(email));
      assert.equal(await service.contactAllowedFor(email), true);
      clock.advance(MINUTE);
      await service.record(grant(email, { granted: false }));
      assert.equal(await service.contactAllowed(email), false);
      assert.equal(await service.contactAllowed(email, 'analytics'), false);
    });

    it('gives the history oldest first without the subject reference', async () => {
      const email = 'history@example.nl';
      await service.record(grant(email, { at: '2026-11-03T08:00:00Z' }));
      await service.record(grant(email, { at: '2026-11-04T08:00:00Z', granted: false }));
      const history = await service.history(email);
      assert.deepEqual(
        history.map((h) => [h.purpose, h.granted, h.at]),
        [
          ['later-contact', true, '2026-11-03T08:00:00.000Z'],
          ['later-contact', false, '2026-11-04T08:00:00.000Z'],
        ],
      );
      for (const h of history) {
        assert.ok(!('subject_ref' in h) && !('subjectRef' in h));
        assert.deepEqual(Object.keys(h).sort(), [
          'at',
          'granted',
          'id',
          'purpose',
          'recordedAt',
          'source',
          'text',
          'textVersion',
        ]);
      }
      assert.deepEqual((await service.consentHistoryFor(email))[0], {
        purpose: 'later-contact',
        granted: true,
        text: TEXT,
        version: 'checkout-3',
        source: 'checkout',
        at: '2026-11-03T08:00:00.000Z',
      });
    });

    it('refuses a purpose that is unknown, not based on consent, or the cookie banner’s', async () => {
      for (const [purpose, message] of [
        ['newsletter', /not a purpose in the policy.*later-contact, reviews/],
        ['service', /rests on contract/],
        ['analytics', /cookie purpose/],
      ] as const) {
        const err = await rejection(() => service.record(grant('bad@example.nl', { purpose })));
        assert.equal(err.code, 'VALIDATION_FAILED');
        assert.equal(err.field, 'purpose');
        assert.match(err.message, message);
      }
      const future = await rejection(() => service.record(grant('bad@example.nl', { at: '2026-11-27T10:00:00Z' })));
      assert.equal(future.field, 'at');
      assert.deepEqual(await service.history('bad@example.nl'), []);
    });

    it('forgets a person’s records and open links, and nobody else’s', async () => {
      await service.record(grant('forget@example.nl'));
      await service.record(grant('forget@example.nl', { purpose: 'reviews' }));
      await withdrawals.request({ email: 'forget@example.nl', purposes: ['reviews'], lang: 'nl' });
      await service.record(grant('keep@example.nl'));
      assert.equal(await service.forget('FORGET@example.nl'), 2);
      assert.deepEqual(await service.history('forget@example.nl'), []);
      assert.equal(await service.contactAllowed('keep@example.nl'), true);
      const tokens = await store.db.selectFrom('consent_tokens').selectAll().execute();
      assert.ok(tokens.every((t) => t.subject_ref !== subjectRef(SECRET, 'forget@example.nl')));
      // The erasure path calls it by the request's subject_ref, inside its transaction.
      await store.db.transaction().execute((trx) => forgetContactConsents(trx, subjectRef(SECRET, 'keep@example.nl')));
      assert.equal(await service.contactAllowed('keep@example.nl'), false);
    });

    it('withdraws through a single-use link whose token and address are not stored in the clear', async () => {
      const email = 'link@example.nl';
      await service.record(grant(email));
      await service.record(grant(email, { purpose: 'reviews' }));
      await withdrawals.request({ email, purposes: ['later-contact', 'reviews'], lang: 'en' });
      assert.equal(sent.length, 1);
      assert.equal(sent[0]!.template, 'consent-withdraw-verify');
      const link = (sent[0]!.data as { link: string }).link;
      const token = link.split('/').pop()!;
      const row = await repo.findToken(hashToken(token));
      assert.ok(row, 'the token is stored as its hash');
      assert.ok(!row.email.includes(email) && !JSON.stringify(row).includes(token));
      assert.equal(row.expires_at, new Date(clock.now().getTime() + 48 * HOUR).toISOString());

      assert.equal((await withdrawals.describe(token)).state, 'ready');
      assert.equal(await service.contactAllowed(email), true, 'describing the link changes nothing');
      clock.advance(MINUTE);
      const done = await withdrawals.confirm(token);
      assert.deepEqual(done, { state: 'withdrawn', lang: 'en', purposes: ['later-contact', 'reviews'] });
      assert.deepEqual(await service.current(email), {
        'later-contact': { granted: false, at: clock.now().toISOString() },
        reviews: { granted: false, at: clock.now().toISOString() },
      });
      const proof = (await service.history(email)).at(-1)!;
      assert.equal(proof.source, 'portal');
      assert.equal(
        proof.text,
        withdrawalStatement('en', [
          'Contacting you at a later time, other than at your request',
          'Collecting and publishing reviews',
        ]),
      );
      assert.deepEqual(sent[1]?.data, {
        purposes: ['Contacting you at a later time, other than at your request', 'Collecting and publishing reviews'],
      });
      assert.equal((await withdrawals.confirm(token)).state, 'unknown', 'a link works once');
      assert.equal(await repo.findToken(hashToken(token)), undefined);
    });

    it('lets a link expire after 48 hours and deletes it', async () => {
      await withdrawals.request({ email: 'late@example.nl', purposes: ['later-contact'], lang: 'nl' });
      const token = (sent[0]!.data as { link: string }).link.split('/').pop()!;
      clock.advance(48 * HOUR);
      assert.deepEqual(await withdrawals.describe(token), { state: 'expired', lang: 'nl' });
      assert.ok(await repo.findToken(hashToken(token)), 'opening the page changes nothing');
      assert.deepEqual(await withdrawals.confirm(token), { state: 'expired', lang: 'nl' });
      assert.equal(await repo.findToken(hashToken(token)), undefined);
      assert.deepEqual(await service.history('late@example.nl'), []);
      clock.advance(-48 * HOUR);
    });

    it('refuses purposes the policy does not offer, and a sixth link within the hour', async () => {
      const err = await rejection(() =>
        withdrawals.request({ email: 'x@example.nl', purposes: ['analytics'], lang: 'nl' }),
      );
      assert.equal(err.field, 'purposes');
      for (let i = 0; i < 5; i++)
        await withdrawals.request({ email: 'many@example.nl', purposes: ['later-contact'], lang: 'nl' });
      const limited = await rejection(() =>
        withdrawals.request({ email: 'many@example.nl', purposes: ['later-contact'], lang: 'nl' }),
      );
      assert.equal(limited.code, 'RATE_LIMITED');
    });
  });
}
