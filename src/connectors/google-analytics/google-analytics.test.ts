import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import {
  GA_FAKE,
  type GoogleAnalyticsFake,
  startGoogleAnalyticsFake,
} from '../../../test/fakes/google-analytics.fake.ts';
import { HOUR } from '../../lib/clock.ts';
import { ApiConnector } from '../api/api.connector.ts';
import { ManualConnector } from '../manual/manual.connector.ts';
import { type AnalyticsSubject, GoogleAnalyticsApi } from './google-analytics.api.ts';

const PERSON = 'sanne.deboer@example.nl';
const NOW = { now: new Date('2026-11-01T09:00:00Z') };

/** The example's google-analytics system against the fake, with options of the test's own. */
function connect(fake: GoogleAnalyticsFake, options: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const connected = connectExampleSystem('google-analytics', fake, { env });
  const api = new GoogleAnalyticsApi({
    system: 'google-analytics',
    processor: 'google-analytics',
    categories: ['analytics', 'technical'],
    http: connected.http,
    credentials: { propertyId: GA_FAKE.propertyId, accessToken: env.GA_ACCESS_TOKEN ?? GA_FAKE.accessToken },
    options: { userIdFromEmail: 'none', ...options },
    clock: connected.clock,
  });
  return { ...connected, api };
}

function asConnector(api: GoogleAnalyticsApi, http: ReturnType<typeof connect>['http']) {
  const fallback = new ManualConnector(
    'google-analytics',
    {
      processor: 'google-analytics',
      contact: 'beheerder',
      days: 30,
      instructions: { nl: 'geen export', en: 'no export' },
    },
    ['analytics', 'technical'],
  );
  return new ApiConnector({ system: 'google-analytics', processor: 'google-analytics', api, http, fallback });
}

describe('the Google Analytics connector (User Deletion API)', () => {
  let fake: GoogleAnalyticsFake;
  before(async () => {
    fake = await startGoogleAnalyticsFake();
  });
  after(() => fake.close());

  it('submits a deletion for each client id and user id the shop knows for the person', async () => {
    const { api } = connectExampleSystem('google-analytics', fake);
    const subject: AnalyticsSubject = {
      email: PERSON,
      analytics: { clientIds: ['1234567890.1712345678', '1234567890.1712345678'], userIds: ['c-1001'] },
    };
    const erased = await api.erase!(subject, NOW);
    assert.deepEqual(
      fake.deletions.map((d) => [d.kind, d.value]),
      [
        ['clientId', '1234567890.1712345678'],
        ['userId', 'c-1001'],
      ],
    );
    assert.deepEqual(
      erased.collections.map((c) => [c.collection, c.found, c.deleted]),
      [['users', 2, 2]],
    );
    assert.match(erased.answer, /^deletion submitted for 1 client id and 1 user id; Google deletes what it received/);
    assert.ok(!erased.answer.includes('1712345678'), 'the ids themselves stay out of the answer');
  });

  it('derives the user id from the e-mail address when the shop sends its SHA-256 as user id', async () => {
    const { api } = connect(fake, { userIdFromEmail: 'sha256' });
    const before = fake.deletions.length;
    await api.erase({ email: ` ${PERSON.toUpperCase()} ` }, NOW);
    const expected = createHash('sha256').update(PERSON).digest('hex');
    assert.deepEqual(fake.deletions.slice(before), [
      { kind: 'userId', value: expected, at: fake.deletions.at(-1)!.at },
    ]);
  });

  it('answers nothing-found in plain words when no client id is known, and asks Google nothing', async () => {
    const { api, http } = connectExampleSystem('google-analytics', fake);
    const before = fake.requests.length;
    const erased = await asConnector(api as GoogleAnalyticsApi, http).erase({ email: PERSON }, NOW);
    assert.equal(erased.status, 'nothing-found');
    assert.match(erased.answer!, /no client id or user id known for this person/);
    assert.equal(fake.requests.length, before);
  });

  it('has no export: access becomes the notice task, without asking Google', async () => {
    const { api, http } = connectExampleSystem('google-analytics', fake);
    assert.equal(api.capabilities.access, false);
    const before = fake.requests.length;
    const found = await asConnector(api as GoogleAnalyticsApi, http).find({ email: PERSON });
    assert.deepEqual(found.findings, []);
    assert.equal('task' in found ? found.task.action : undefined, 'access');
    assert.equal(fake.requests.length, before);
  });

  it('recovers from 429 RESOURCE_EXHAUSTED and from 5xx', async () => {
    const { api, slept } = connectExampleSystem('google-analytics', fake);
    const subject: AnalyticsSubject = { email: PERSON, analytics: { clientIds: ['555.666'] } };
    fake.fail({ status: 429, times: 1, retryAfter: 2 });
    await api.erase!(subject, NOW);
    fake.fail({ status: 503, times: 2 });
    await api.erase!(subject, NOW);
    assert.equal(slept[0], 2000);
    assert.equal(slept.length, 3);
    assert.equal(fake.deletions.filter((d) => d.value === '555.666').length, 2);
  });

  it('exchanges a service account key for a token, reuses it, and renews it before it expires', async () => {
    const own = await startGoogleAnalyticsFake();
    try {
      const { api, clock } = connect(own, {}, { GA_ACCESS_TOKEN: own.serviceAccountKey });
      const subject: AnalyticsSubject = { email: PERSON, analytics: { clientIds: ['1.2'] } };
      await api.erase(subject, NOW);
      await api.erase(subject, NOW);
      assert.equal(own.tokensIssued(), 1);
      clock.advance(HOUR);
      await api.erase(subject, NOW);
      assert.equal(own.tokensIssued(), 2);
      assert.equal(own.deletions.length, 3);
    } finally {
      await own.close();
    }
  });

  it('answers the connection test plainly for good credentials, a wrong token, another property and a wrong key', async () => {
    const good = await connectExampleSystem('google-analytics', fake).api.test();
    assert.equal(good.ok, true);
    assert.equal(
      good.checks[0]!.message,
      `property properties/${GA_FAKE.propertyId} ("Balkonzon webshop") can be reached`,
    );

    const wrongToken = await connectExampleSystem('google-analytics', fake, {
      env: { GA_ACCESS_TOKEN: 'ya29.nope' },
    }).api.test();
    assert.equal(wrongToken.ok, false);
    assert.match(wrongToken.checks[0]!.message, /refused the credentials/);

    const other = await connectExampleSystem('google-analytics', fake, { env: { GA_PROPERTY_ID: '999' } }).api.test();
    assert.equal(other.ok, false);
    assert.match(other.checks[0]!.message, /lack a permission/);

    const stranger = await startGoogleAnalyticsFake();
    try {
      // Another key for the same account and token endpoint: its signature does not verify.
      const key = { ...JSON.parse(stranger.serviceAccountKey), token_uri: `${fake.url}/token` };
      const before = fake.requests.length;
      const wrongKey = await connect(fake, {}, { GA_ACCESS_TOKEN: JSON.stringify(key) }).api.test();
      assert.equal(wrongKey.ok, false);
      assert.equal(wrongKey.checks[0]!.message, "Google refused the service account's key: invalid_grant");
      assert.deepEqual(
        fake.requests.slice(before).map((r) => r.path),
        ['/token'],
        'one token request, not retried, and no API call',
      );
    } finally {
      await stranger.close();
    }
  });

  it('reports a token without edit rights as a failed erasure, saying a permission is missing', async () => {
    const viewer = await startGoogleAnalyticsFake({ canEdit: false });
    try {
      const { api, http } = connectExampleSystem('google-analytics', viewer);
      const subject: AnalyticsSubject = { email: PERSON, analytics: { clientIds: ['9.9'] } };
      const erased = await asConnector(api as GoogleAnalyticsApi, http).erase(subject, NOW);
      assert.equal(erased.status, 'failed');
      assert.match(erased.error!, /HTTP 403/);
      assert.equal(viewer.requests.length, 1, 'a refusal is not retried');
      assert.equal(viewer.deletions.length, 0);
    } finally {
      await viewer.close();
    }
  });

  it('writes no personal data, ids or tokens into any log line', async () => {
    const { api, logs } = connectExampleSystem('google-analytics', fake);
    fake.fail({ status: 500, times: 1 });
    await api.erase!({ email: PERSON, analytics: { clientIds: ['777.888'] } } as AnalyticsSubject, NOW);
    const text = logs();
    assert.match(text, /"status":500/);
    for (const secret of ['sanne', '@', '777.888', GA_FAKE.accessToken, 'Bearer'])
      assert.ok(!text.includes(secret), `${secret} leaked into the log`);
  });
});
