import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import {
  GRAPH_FAKE,
  GRAPH_FAKE_LOOKALIKE,
  GRAPH_FAKE_PERSON,
  type GraphFake,
  startMicrosoftGraphFake,
} from '../../../test/fakes/microsoft-graph.fake.ts';
import { FakeClock, HOUR } from '../../lib/clock.ts';
import type { CollectionFindings } from '../connector.ts';
import { HttpClient, ProcessorError } from '../http/http-client.ts';
import { GraphMailbox } from './microsoft-graph.api.ts';
import { loginUrlFor, microsoftGraph } from './microsoft-graph.factory.ts';

/** The example data map's office365 system against the fake, with some options of the test's own. */
function connect(fake: GraphFake, options: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const connected = connectExampleSystem('office365', fake, { env });
  if (Object.keys(options).length === 0) return connected;
  const api = new GraphMailbox({
    system: 'office365',
    processor: 'office365',
    categories: ['contact', 'order', 'correspondence'],
    http: connected.http,
    credentials: {
      tenantId: GRAPH_FAKE.tenantId,
      clientId: GRAPH_FAKE.clientId,
      clientSecret: env.MS_CLIENT_SECRET ?? GRAPH_FAKE.clientSecret,
    },
    options: { mailbox: GRAPH_FAKE.mailbox, loginUrl: fake.url, ...options },
    clock: connected.clock,
  });
  return { ...connected, api };
}

/** The mailbox with an HTTP client whose fetch counts the bytes of every `.eml` body the connector reads. */
function connectCountingEml(fake: GraphFake) {
  const read = { bytes: 0 };
  const counting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body || !String(input).includes('/$value')) return res;
    const counted = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          read.bytes += chunk.byteLength;
          out.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: res.status, headers: res.headers });
  };
  const clock = new FakeClock();
  const credentials = { ...GRAPH_FAKE };
  const options = { mailbox: GRAPH_FAKE.mailbox, loginUrl: fake.url };
  const auth = microsoftGraph.auth({ credentials, options, baseUrl: fake.url, fetch: counting, clock });
  const http = new HttpClient({ system: 'office365', baseUrl: fake.url, auth, fetch: counting, backoffMs: 1 });
  const api = new GraphMailbox({
    system: 'office365',
    processor: 'office365',
    categories: ['contact', 'order', 'correspondence'],
    http,
    credentials,
    options,
    clock,
  });
  return { api, read };
}

const requestsTo = (fake: GraphFake, pattern: RegExp) => fake.requests.filter((r) => pattern.test(r.path)).length;
const participants = (f: CollectionFindings[]) =>
  f.flatMap((c) => c.records).map((r) => `${r.data.from} ${r.data.to} ${r.data.cc}`.toLowerCase());

describe('the Microsoft Graph connector (Office 365 mail)', () => {
  let fake: GraphFake;
  before(async () => {
    fake = await startMicrosoftGraphFake();
  });
  after(() => fake.close());

  it("finds only the person's messages, with their metadata and the .eml, though the search matches look-alikes", async () => {
    const { api } = connect(fake);
    const findings = await api.find({ email: ` ${GRAPH_FAKE_LOOKALIKE.toUpperCase()} ` });
    assert.equal(findings.length, 1);
    const records = findings[0]!.records;
    assert.equal(records.length, 5, 'the loose search also returns the 37 messages of sanne.deboer; they are not hers');
    for (const text of participants(findings)) assert.match(text, new RegExp(`(^|[ <])${GRAPH_FAKE_LOOKALIKE}`));
    const first = records[0]!;
    assert.equal(first.collection, 'messages');
    assert.match(String(first.data.subject), /bestelling/);
    assert.match(String(first.data.eml), /^From: .*\r\nTo: /);
    assert.ok(Number(first.data.eml_bytes) > 100);
    assert.deepEqual(
      [first.categories.from, first.categories.subject, first.categories.eml],
      ['contact', 'correspondence', 'correspondence'],
    );
  });

  it('reads every page of the 1,000-message mailbox when it scans, and finds exactly the 37 messages', async () => {
    const { api } = connect(fake, { lookup: 'scan', includeEml: false });
    const before = requestsTo(fake, /\/messages\?/);
    const findings = await api.find({ email: GRAPH_FAKE_PERSON });
    assert.equal(requestsTo(fake, /\/messages\?/) - before, 10, '1,000 messages at 100 a page');
    assert.equal(findings[0]!.records.length, 37);
    assert.equal(findings[0]!.records[0]!.data.eml, undefined);
  });

  it('follows @odata.nextLink to the end of a long search, and scans the mailbox when the search hits its cap', async () => {
    const big = await startMicrosoftGraphFake({
      messages: 1500,
      people: { [GRAPH_FAKE_PERSON]: 1000, 'x@example.nl': 250 },
    });
    try {
      const found = await connect(big, { includeEml: false }).api.find({ email: 'x@example.nl' });
      assert.equal(found[0]!.records.length, 250);
      assert.equal(requestsTo(big, /search=/), 3, '250 results at 100 a page');
      const capped = await connect(big, { includeEml: false }).api.find({ email: GRAPH_FAKE_PERSON });
      assert.equal(capped[0]!.records.length, 1000);
      assert.equal(
        requestsTo(big, /\/messages\?(?!.*search)/),
        15,
        'the whole mailbox of 1,500, after a capped search',
      );
    } finally {
      await big.close();
    }
  });

  it('fetches a token once, reuses it, and fetches a new one when it is about to expire', async () => {
    const own = await startMicrosoftGraphFake({ messages: 50, people: { [GRAPH_FAKE_PERSON]: 3 } });
    try {
      const { api, clock } = connect(own);
      await api.find({ email: GRAPH_FAKE_PERSON });
      await api.find({ email: GRAPH_FAKE_PERSON });
      assert.equal(own.tokensIssued(), 1);
      clock.advance(HOUR - 4 * 60 * 1000);
      await api.find({ email: GRAPH_FAKE_PERSON });
      assert.equal(own.tokensIssued(), 2);
    } finally {
      await own.close();
    }
  });

  it('fetches a new token after Graph refused the cached one', async () => {
    const own = await startMicrosoftGraphFake({ messages: 20, people: { [GRAPH_FAKE_PERSON]: 2 } });
    try {
      const { api } = connect(own);
      await api.find({ email: GRAPH_FAKE_PERSON });
      own.revokeTokens();
      await assert.rejects(api.find({ email: GRAPH_FAKE_PERSON }), (err: ProcessorError) => err.kind === 'auth');
      assert.equal((await api.find({ email: GRAPH_FAKE_PERSON }))[0]!.records.length, 2);
      assert.equal(own.tokensIssued(), 2);
    } finally {
      await own.close();
    }
  });

  it('recovers from 429 Too Many Requests, waiting as long as Retry-After says', async () => {
    const { api, slept } = connect(fake, { includeEml: false });
    fake.fail({ status: 429, times: 2, retryAfter: 3 });
    const findings = await api.find({ email: GRAPH_FAKE_PERSON });
    assert.equal(findings[0]!.records.length, 37);
    assert.deepEqual(slept, [3000, 3000]);
  });

  it('recovers from 503 and 504 with backoff', async () => {
    const { api, slept } = connect(fake, { includeEml: false });
    fake.fail({ status: 503, times: 1 });
    await api.find({ email: GRAPH_FAKE_PERSON });
    fake.fail({ status: 504, times: 2 });
    const findings = await api.find({ email: GRAPH_FAKE_PERSON });
    assert.equal(findings[0]!.records.length, 37);
    assert.equal(slept.length, 3);
  });

  it("deletes the person's messages permanently, and nobody else's", async () => {
    const own = await startMicrosoftGraphFake();
    try {
      const { api } = connect(own);
      const erased = await api.erase!({ email: GRAPH_FAKE_PERSON }, { now: new Date() });
      assert.equal(requestsTo(own, /\/permanentDelete$/), 37);
      assert.equal(own.deleted.length, 37);
      assert.equal(own.messages.length, 963);
      assert.ok(!own.messages.some((m) => [m.from, ...m.to, ...m.cc].includes(GRAPH_FAKE_PERSON)));
      assert.equal(own.messages.filter((m) => [m.from, ...m.to, ...m.cc].includes(GRAPH_FAKE_LOOKALIKE)).length, 5);
      assert.deepEqual(
        erased.collections.map((c) => [c.collection, c.found, c.deleted]),
        [['messages', 37, 37]],
      );
      assert.equal(erased.answer, 'permanently deleted 37 messages from the mailbox');
      const again = await api.erase!({ email: GRAPH_FAKE_PERSON }, { now: new Date() });
      assert.equal(again.collections[0]!.found, 0);
      assert.equal(again.answer, 'no messages with this person in the mailbox');
    } finally {
      await own.close();
    }
  });

  it('stops deleting at the first refused delete, and says how many messages it deleted before', async () => {
    const own = await startMicrosoftGraphFake();
    try {
      const { api } = connect(own);
      // The sixth delete is refused; Graph would accept the ones after it.
      own.failDeletesAfter(5, 403, 1);
      let message = '';
      await assert.rejects(api.erase!({ email: GRAPH_FAKE_PERSON }, { now: new Date() }), (err: unknown) => {
        assert.ok(err instanceof ProcessorError);
        assert.equal(err.kind, 'forbidden');
        message = err.message;
        return true;
      });
      // Give deletes that would run on after the failure the time to show.
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The ones under way when the sixth failed (at most three) may finish; none is started after it.
      const sent = requestsTo(own, /\/permanentDelete$/);
      assert.ok(sent <= 6 + 3, `${sent} deletes were sent`);
      assert.ok(own.deleted.length >= 5 && own.deleted.length <= 8, `${own.deleted.length} deleted`);
      const done = new RegExp(`HTTP 403.*\\(after ${own.deleted.length} of 37 messages were permanently deleted\\)`);
      assert.match(message, done);
    } finally {
      await own.close();
    }
  });

  it('stops downloading an .eml past maxEmlBytes and marks the message as too large', async () => {
    const own = await startMicrosoftGraphFake({ messages: 20, people: { [GRAPH_FAKE_PERSON]: 2 } });
    try {
      const big = own.messages.find((m) => m.from === GRAPH_FAKE_PERSON || m.to.includes(GRAPH_FAKE_PERSON))!;
      big.body = 'Een lange bijlage. '.repeat(250_000); // about 4.75 MB
      const { api, read } = connectCountingEml(own);
      const records = (await api.find({ email: GRAPH_FAKE_PERSON }))[0]!.records;
      assert.equal(records.length, 2);
      const marked = records.find((r) => r.key === big.id)!;
      assert.match(String(marked.data.eml), /^\[larger than 1000000 bytes/);
      const other = records.find((r) => r.key !== big.id)!;
      assert.match(String(other.data.eml), /^From: /);
      assert.ok(read.bytes < 1_100_000, `${read.bytes} bytes of .eml were read`);
    } finally {
      await own.close();
    }
  });

  it('answers the connection test plainly for good credentials, a wrong secret and a missing permission', async () => {
    const good = await connect(fake).api.test();
    assert.equal(good.ok, true);
    assert.deepEqual(
      good.checks.map((c) => [c.name, c.ok]),
      [
        ['credentials', true],
        ['mailbox', true],
        ['permissions', true],
      ],
    );

    const tokenCalls = requestsTo(fake, /oauth2/);
    const bad = await connect(fake, {}, { MS_CLIENT_SECRET: 'wrong-secret' }).api.test();
    assert.equal(bad.ok, false);
    assert.equal(bad.checks[0]!.name, 'credentials');
    assert.match(bad.checks[0]!.message, /refused the app's credentials: invalid_client \(AADSTS7000215\)/);
    assert.equal(requestsTo(fake, /oauth2/) - tokenCalls, 1, 'a refused secret is not retried');

    const readOnly = await startMicrosoftGraphFake({ messages: 5, people: {}, roles: ['Mail.Read'] });
    try {
      const answer = await connect(readOnly).api.test();
      assert.equal(answer.ok, false);
      assert.deepEqual(answer.checks.at(-1), {
        name: 'permissions',
        ok: false,
        message: 'only Mail.Read: access works, erasure needs Mail.ReadWrite',
      });
    } finally {
      await readOnly.close();
    }
  });

  it('writes no personal data, secret or token into any log line', async () => {
    const own = await startMicrosoftGraphFake({ messages: 120, people: { [GRAPH_FAKE_PERSON]: 6 } });
    try {
      const { api, logs } = connect(own);
      await api.find({ email: GRAPH_FAKE_PERSON });
      own.fail({ status: 429, times: 1, retryAfter: 1 });
      await api.find({ email: GRAPH_FAKE_PERSON });
      await api.erase!({ email: GRAPH_FAKE_PERSON }, { now: new Date() });
      await connect(own, {}, { MS_CLIENT_SECRET: 'wrong-secret-value' }).api.test();
      const text = logs();
      assert.match(text, /"status":429/);
      assert.match(text, /\/v1\.0\/users\/:email\/messages/);
      for (const secret of ['sanne', 'deboer', '@', GRAPH_FAKE.clientSecret, 'wrong-secret-value', 'Bearer', 'eyJ'])
        assert.ok(!text.includes(secret), `${secret} leaked into the log`);
    } finally {
      await own.close();
    }
  });

  it("signs in at the Graph cloud's own login host, or at a stand-in's own address", () => {
    assert.equal(loginUrlFor('https://graph.microsoft.com', undefined), 'https://login.microsoftonline.com');
    assert.equal(loginUrlFor('https://graph.microsoft.us/', undefined), 'https://login.microsoftonline.us');
    assert.equal(loginUrlFor('http://127.0.0.1:4000', undefined), 'http://127.0.0.1:4000');
    assert.equal(loginUrlFor('https://graph.microsoft.com', 'https://login.example'), 'https://login.example');
  });
});
