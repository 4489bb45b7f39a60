import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import {
  startWebwinkelKeurFake,
  WEBWINKELKEUR_FAKE,
  WEBWINKELKEUR_FAKE_PERSON,
  type WebwinkelKeurFake,
} from '../../../test/fakes/webwinkelkeur.fake.ts';
import { ApiConnector } from '../api/api.connector.ts';
import { ProcessorError } from '../http/http-client.ts';
import { ManualConnector } from '../manual/manual.connector.ts';
import { errorKind } from './webwinkelkeur.api.ts';

const PERSON = WEBWINKELKEUR_FAKE_PERSON;
const pages = (fake: WebwinkelKeurFake, list: string) => fake.requests.filter((r) => r.path.includes(`/${list}.json`));

describe('the WebwinkelKeur connector', () => {
  let fake: WebwinkelKeurFake;
  before(async () => {
    fake = await startWebwinkelKeurFake();
  });
  after(() => fake.close());

  it("pages to the end of invitations and ratings and finds the person's, the very last one included", async () => {
    const { api } = connectExampleSystem('webwinkelkeur', fake);
    const before = { invitations: pages(fake, 'invitations').length, ratings: pages(fake, 'ratings').length };
    const findings = await api.find({ email: ` ${PERSON.toUpperCase()}` });
    assert.equal(pages(fake, 'invitations').length - before.invitations, 4, '340 invitations at 100 a page');
    assert.equal(pages(fake, 'ratings').length - before.ratings, 3, '215 ratings at 100 a page');
    const [invitations, ratings] = findings;
    assert.equal(invitations!.collection, 'invitations');
    assert.equal(invitations!.records.length, 3);
    assert.ok(invitations!.records.some((r) => r.key === String(fake.invitations.at(-1)!.id)));
    assert.equal(ratings!.records.length, 2);
    const rating = ratings!.records[0]!;
    assert.equal(rating.data.name, 'Sanne Deboer');
    assert.equal(rating.categories.comment, 'review');
    assert.equal(invitations!.records[0]!.categories.email, 'contact');
    assert.equal(invitations!.records[0]!.categories.order_number, 'order');
    for (const r of [...invitations!.records, ...ratings!.records]) assert.equal(r.data.email, PERSON);
  });

  it('finds nothing for an address it does not know', async () => {
    const { api } = connectExampleSystem('webwinkelkeur', fake);
    const findings = await api.find({ email: 'niemand@example.nl' });
    assert.deepEqual(
      findings.map((f) => f.records.length),
      [0, 0],
    );
  });

  it('reads an error that arrives with HTTP 200 as an error: bad credentials are an auth error, not retried', async () => {
    const { api } = connectExampleSystem('webwinkelkeur', fake, { env: { WEBWINKELKEUR_API_KEY: 'wrong-code' } });
    const before = fake.requests.length;
    await assert.rejects(api.find({ email: PERSON }), (err: ProcessorError) => {
      assert.equal(err.kind, 'auth');
      assert.equal(err.retryable, false);
      assert.match(err.message, /refused the shop id and API key \("Authentication failed: invalid id or code"\)/);
      return true;
    });
    assert.equal(fake.requests.length - before, 1);
  });

  it("reads other 200-with-error answers by their words, scrubbing addresses from WebwinkelKeur's message", async () => {
    const { api } = connectExampleSystem('webwinkelkeur', fake);
    fake.errorNext('Too many requests, slow down', 1);
    await assert.rejects(
      api.find({ email: PERSON }),
      (err: ProcessorError) => err.kind === 'rate-limited' && err.retryable,
    );
    fake.errorNext(`Invitation for ${PERSON} is invalid`, 1);
    await assert.rejects(api.find({ email: PERSON }), (err: ProcessorError) => {
      assert.equal(err.kind, 'rejected');
      assert.ok(!err.message.includes(PERSON));
      return true;
    });
    assert.equal(errorKind('Ongeldige code'), 'auth');
    assert.equal(errorKind('Onderhoud, probeer het later'), 'unavailable');
  });

  it('recovers from 5xx and 429 in front of the API', async () => {
    const { api, slept } = connectExampleSystem('webwinkelkeur', fake);
    fake.fail({ status: 502, times: 2 });
    const findings = await api.find({ email: PERSON });
    assert.equal(findings[0]!.records.length, 3);
    fake.fail({ status: 429, times: 1, retryAfter: 7 });
    await api.find({ email: PERSON });
    assert.equal(slept.length, 3);
    assert.equal(slept.at(-1), 7000);
  });

  it('turns erasure into a task for their support, with what to delete, and no task when nothing is held', async () => {
    const { api, http } = connectExampleSystem('webwinkelkeur', fake);
    const fallback = new ManualConnector(
      'webwinkelkeur',
      {
        processor: 'webwinkelkeur',
        contact: 'info@webwinkelkeur.nl',
        days: 30,
        instructions: { nl: 'handmatig', en: 'by hand' },
      },
      ['contact', 'order', 'review'],
    );
    const connector = new ApiConnector({ system: 'webwinkelkeur', processor: 'webwinkelkeur', api, http, fallback });
    const erased = await connector.erase({ email: PERSON }, { now: new Date() });
    assert.equal(erased.status, 'manual');
    assert.equal(erased.task?.action, 'erase');
    assert.equal(erased.task?.contact, 'info@webwinkelkeur.nl');
    assert.match(erased.task!.instructions.en, /delete the 3 invitations and 2 ratings of this e-mail address/);
    assert.match(erased.task!.instructions.nl, /3 uitnodigingen en 2 beoordelingen/);
    assert.match(erased.answer!, /holds 3 invitations and 2 ratings of this address; its API cannot delete them/);
    assert.ok(!JSON.stringify(erased).includes(PERSON));

    const nobody = await connector.erase({ email: 'niemand@example.nl' }, { now: new Date() });
    assert.equal(nobody.status, 'nothing-found');
    assert.equal(nobody.task, undefined);
  });

  it('answers the connection test plainly for good and bad credentials', async () => {
    const good = await connectExampleSystem('webwinkelkeur', fake).api.test();
    assert.equal(good.ok, true);
    assert.deepEqual(good.checks, [
      { name: 'credentials', ok: true, message: 'the shop id and API key work (shop "Balkonzon")' },
      { name: 'invitations', ok: true, message: '340 invitations can be read' },
      { name: 'ratings', ok: true, message: '215 ratings can be read' },
    ]);
    const bad = await connectExampleSystem('webwinkelkeur', fake, {
      env: { WEBWINKELKEUR_SHOP_ID: '999' },
    }).api.test();
    assert.equal(bad.ok, false);
    assert.equal(bad.checks.length, 1);
    assert.match(bad.checks[0]!.message, /refused the shop id and API key/);
  });

  it('writes no personal data or API key into any log line', async () => {
    const { api, logs } = connectExampleSystem('webwinkelkeur', fake);
    fake.fail({ status: 503, times: 1 });
    await api.find({ email: PERSON });
    await api.erase!({ email: PERSON }, { now: new Date() });
    const text = logs();
    assert.match(text, /\/api\/1\.0\/invitations\.json/);
    assert.match(text, /"status":503/);
    for (const secret of ['sanne', '@', WEBWINKELKEUR_FAKE.apiKey, 'code=', 'Deboer'])
      assert.ok(!text.includes(secret), `${secret} leaked into the log`);
  });
});

describe('WebwinkelKeur down for the whole request', () => {
  it('fails with a retryable unavailable error after its retries', async () => {
    const fake = await startWebwinkelKeurFake({ invitations: 10, ratings: 10 });
    try {
      const { api } = connectExampleSystem('webwinkelkeur', fake, { maxRetries: 2 });
      fake.down(true);
      await assert.rejects(api.find({ email: PERSON }), (err: ProcessorError) => {
        assert.ok(err instanceof ProcessorError);
        assert.equal(err.kind, 'unavailable');
        assert.equal(err.retryable, true);
        return true;
      });
    } finally {
      fake.down(false);
      await fake.close();
    }
  });
});
