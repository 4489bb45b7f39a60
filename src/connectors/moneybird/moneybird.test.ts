import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectExampleSystem } from '../../../test/fakes/example-system.ts';
import {
  MONEYBIRD_LIMIT,
  MONEYBIRD_WINDOW_MS,
  type MoneybirdFake,
  type MoneybirdPersonSeed,
  startMoneybirdFake,
} from '../../../test/fakes/moneybird.fake.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Value } from '../connector.ts';
import { ProcessorError } from '../http/http-client.ts';

const SANNE = { email: 'SANNE.deboer@example.nl' };
const now = new Date('2026-11-01T09:00:00Z');

/** Sanne's own contact, and two companies' contacts that send her their invoices or estimates. */
const WITH_COMPANIES: MoneybirdPersonSeed[] = [
  { firstname: 'Sanne', lastname: 'de Boer', email: 'sanne.deboer@example.nl' },
  {
    firstname: 'Piet',
    lastname: 'Inkoop',
    companyName: 'Zonnedak B.V.',
    email: 'inkoop@zonnedak.example',
    sendInvoicesTo: 'Sanne.DeBoer@example.nl',
  },
  {
    firstname: 'Dirk',
    lastname: 'Dak',
    companyName: 'Dakwerk V.O.F.',
    email: 'info@dakwerk.example',
    sendEstimatesTo: 'sanne.deboer@example.nl',
    invoices: ['2025-01-01'],
  },
];
const company = (books: MoneybirdFake, name: string) => books.contacts.find((c) => c.company_name === name)!;

describe('MoneyBird connector', () => {
  let fake: MoneybirdFake;
  before(async () => {
    fake = await startMoneybirdFake();
  });
  after(() => fake.close());

  it("finds the contact and its sales invoices, by the invoices' contact filter", async () => {
    const { api } = connectExampleSystem('moneybird', fake);
    const findings = await api.find(SANNE);
    const by = Object.fromEntries(findings.map((f) => [f.collection, f.records]));
    assert.equal(by.contacts?.length, 1);
    assert.equal(by.contacts![0]!.data.lastname, 'de Boer');
    assert.equal(by.contacts![0]!.categories.address1, 'contact');
    assert.equal(by.contacts![0]!.categories.sepa_iban, 'payment');
    assert.equal(by.sales_invoices?.length, 3);
    assert.equal(by.sales_invoices![0]!.categories.invoice_id, 'invoice');
    assert.ok(fake.requests.some((r) => r.path.includes('filter=contact_id%3A') && r.path.includes('state%3Aall')));
  });

  it('pages through the invoices to the end along the Link header', async () => {
    const dates = Array.from({ length: 230 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    );
    const books = await startMoneybirdFake({
      people: [{ firstname: 'Grote', lastname: 'Klant', email: 'inkoop@bedrijf.example', invoices: dates }],
    });
    try {
      const { api } = connectExampleSystem('moneybird', books);
      const findings = await api.find({ email: 'inkoop@bedrijf.example' });
      assert.equal(findings.find((f) => f.collection === 'sales_invoices')?.records.length, 230);
      assert.equal(books.log.filter((r) => r.path.endsWith('sales_invoices.json')).length, 3);
    } finally {
      await books.close();
    }
  });

  it('answers with nothing for an address MoneyBird does not know', async () => {
    const { api } = connectExampleSystem('moneybird', fake);
    assert.deepEqual(await api.find({ email: 'nobody@example.nl' }), []);
  });

  it('recovers from a 429 with Retry-After and from a 500', async () => {
    const { api, slept, http } = connectExampleSystem('moneybird', fake);
    fake.fail({ status: 429, times: 1, retryAfter: 5 });
    const first = await api.find(SANNE);
    fake.fail({ status: 500, times: 2 });
    assert.deepEqual(await api.find(SANNE), first);
    assert.ok(slept.includes(5000));
    assert.equal(http.stats.retries, 3);
  });

  it('archives a contact with invoices, clearing phone and bank details, and deletes one without', async () => {
    const books = await startMoneybirdFake();
    try {
      const { api, logs } = connectExampleSystem('moneybird', books);
      const sanne = await api.erase!(SANNE, { now });
      const by = Object.fromEntries(sanne.collections.map((c) => [c.collection, c]));
      assert.equal(by.contacts?.deleted, 0);
      assert.equal(by.contacts?.retained, 1);
      assert.match(by.contacts?.reason ?? '', /archived/);
      assert.equal(by.sales_invoices?.retained, 3);
      assert.equal(
        by.sales_invoices?.retainedUntil,
        '2034-01-01',
        'held to the end of the financial year 2026 plus seven years',
      );
      const contact = books.contacts.find((c) => c.lastname === 'de Boer')!;
      assert.equal(contact.deleted, false);
      assert.equal(contact.archived, true);
      assert.equal(contact.phone, '');
      assert.equal(contact.sepa_iban, '');
      assert.equal(contact.sepa_active, false);
      assert.equal(contact.address1, 'Dorpsstraat 12', 'the invoices still need the address');
      assert.equal(books.invoices.length, 3);
      // The archived contact is still found: its invoices are retained data an access request shows.
      const later = await api.find(SANNE);
      assert.equal(later.find((f) => f.collection === 'contacts')?.records[0]?.data.archived, true);

      const jan = await api.erase!({ email: 'jan.jansen@example.nl' }, { now });
      assert.deepEqual(
        jan.collections.map((c) => [c.collection, c.found, c.deleted]),
        [['contacts', 1, 1]],
      );
      assert.equal(books.contacts.find((c) => c.lastname === 'Jansen')?.deleted, true);
      assert.deepEqual(await api.find({ email: 'jan.jansen@example.nl' }), []);
      for (const personal of ['sanne', 'boer', 'jansen', 'example.nl', 'dorpsstraat', 'NL91', books.token])
        assert.ok(!logs().toLowerCase().includes(personal.toLowerCase()), `the log holds ${personal}`);
      assert.match(logs(), /processor request/, 'the requests were logged');
    } finally {
      await books.close();
    }
  });

  it('corrects the name, the street number and the addresses invoices and estimates go to', async () => {
    const books = await startMoneybirdFake();
    try {
      const { api } = connectExampleSystem('moneybird', books);
      const result = await api.rectify!(SANNE, {
        values: { last_name: 'van Dijk', house_number: '14', email: 'sanne@vandijk.nl' },
      });
      assert.deepEqual(result.collections, [
        {
          system: 'moneybird',
          collection: 'contacts',
          records: 1,
          fields: ['lastname', 'address1', 'email', 'send_invoices_to_email', 'send_estimates_to_email'],
        },
      ]);
      const contact = books.contacts.find((c) => c.firstname === 'Sanne')!;
      assert.equal(contact.lastname, 'van Dijk');
      assert.equal(contact.address1, 'Dorpsstraat 14');
      assert.equal(contact.send_invoices_to_email, 'sanne@vandijk.nl');
      assert.equal(contact.send_estimates_to_email, 'sanne@vandijk.nl');
    } finally {
      await books.close();
    }
  });

  it('searches with the address in lower case, whatever case the request has', async () => {
    const { api } = connectExampleSystem('moneybird', fake);
    const before = fake.requests.length;
    await api.find(SANNE);
    const searches = fake.requests.slice(before).filter((r) => r.path.includes('/contacts.json?'));
    assert.equal(searches.length, 1);
    assert.match(searches[0]!.path, /[?&]query=sanne\.deboer%40example\.nl(&|$)/);
  });

  it("shows of a company's contact that sends its documents to the person only that address, without its invoices", async () => {
    const books = await startMoneybirdFake({ people: WITH_COMPANIES });
    try {
      const { api } = connectExampleSystem('moneybird', books);
      const findings = await api.find(SANNE);
      assert.deepEqual(
        findings.map((f) => f.collection),
        ['contacts'],
      );
      const data = (name: string) =>
        findings[0]!.records.find((r) => r.key === company(books, name).id)?.data as Record<string, Value>;
      assert.equal(findings[0]!.records.length, 3);
      assert.deepEqual(Object.keys(data('Zonnedak B.V.')), ['id', 'send_invoices_to_email']);
      assert.deepEqual(Object.keys(data('Dakwerk V.O.F.')), ['id', 'send_estimates_to_email']);
    } finally {
      await books.close();
    }
  });

  it("erases only the person's address from a company's contact that sends her invoices or estimates", async () => {
    const books = await startMoneybirdFake({ people: WITH_COMPANIES });
    try {
      const { api } = connectExampleSystem('moneybird', books);
      const result = await api.erase!(SANNE, { now });
      assert.deepEqual(
        result.collections.map((c) => [c.collection, c.found, c.deleted, c.anonymised, c.retained]),
        [['contacts', 3, 1, 2, undefined]],
        "the companies' invoices are not hers: none is reported",
      );
      assert.match(result.answer, /deleted 1 contact.*cleared the address as recipient .* on 2 other contact/);
      assert.equal(books.contacts.find((c) => c.firstname === 'Sanne')?.deleted, true);
      const zonnedak = company(books, 'Zonnedak B.V.');
      assert.equal(zonnedak.deleted, false, 'a contact without invoices that is not hers is not deleted');
      assert.equal(zonnedak.send_invoices_to_email, '');
      assert.equal(zonnedak.email, 'inkoop@zonnedak.example');
      assert.equal(zonnedak.send_estimates_to_email, 'inkoop@zonnedak.example');
      const dakwerk = company(books, 'Dakwerk V.O.F.');
      assert.equal(dakwerk.archived, false, 'a contact with invoices that is not hers is not archived');
      assert.equal(dakwerk.send_estimates_to_email, '');
      assert.equal(dakwerk.send_invoices_to_email, 'info@dakwerk.example');
      assert.equal(dakwerk.phone, '0612345678');
      assert.equal(dakwerk.sepa_iban, 'NL91ABNA0417164300');
      assert.deepEqual(await api.find(SANNE), [], 'no contact holds her address any more');
    } finally {
      await books.close();
    }
  });

  it("corrects on a company's contact only the address its invoices or estimates go to", async () => {
    const books = await startMoneybirdFake({ people: WITH_COMPANIES });
    try {
      const { api } = connectExampleSystem('moneybird', books);
      const result = await api.rectify!(SANNE, { values: { last_name: 'van Dijk', email: 'sanne@vandijk.nl' } });
      assert.equal(result.collections[0]?.records, 3);
      const sanne = books.contacts.find((c) => c.firstname === 'Sanne')!;
      assert.deepEqual(
        [sanne.lastname, sanne.email, sanne.send_invoices_to_email, sanne.send_estimates_to_email],
        ['van Dijk', 'sanne@vandijk.nl', 'sanne@vandijk.nl', 'sanne@vandijk.nl'],
      );
      const zonnedak = company(books, 'Zonnedak B.V.');
      assert.deepEqual(
        [zonnedak.lastname, zonnedak.email, zonnedak.send_invoices_to_email, zonnedak.send_estimates_to_email],
        ['Inkoop', 'inkoop@zonnedak.example', 'sanne@vandijk.nl', 'inkoop@zonnedak.example'],
      );
      const dakwerk = company(books, 'Dakwerk V.O.F.');
      assert.deepEqual(
        [dakwerk.lastname, dakwerk.email, dakwerk.send_invoices_to_email, dakwerk.send_estimates_to_email],
        ['Dak', 'info@dakwerk.example', 'info@dakwerk.example', 'sanne@vandijk.nl'],
      );
      // A correction without a new address leaves the companies' contacts alone.
      const before = books.log.filter((r) => r.method === 'PATCH').length;
      await api.rectify!({ email: 'sanne@vandijk.nl' }, { values: { city: 'Heerenveen' } });
      assert.equal(books.log.filter((r) => r.method === 'PATCH').length, before + 1);
      assert.equal(company(books, 'Zonnedak B.V.').city, 'Gorredijk');
    } finally {
      await books.close();
    }
  });

  it('stays within 150 requests per 5 minutes, waiting on its own clock instead of being refused', async () => {
    const clock = new FakeClock();
    const people = Array.from({ length: 90 }, (_, i) => ({
      firstname: `Klant${i}`,
      lastname: 'Voorbeeld',
      email: `klant${i}@voorbeeld.nl`,
      invoices: ['2026-01-01'],
    }));
    const books = await startMoneybirdFake({ people, now: () => clock.now().getTime() });
    try {
      const { api } = connectExampleSystem('moneybird', books, { clock });
      const started = clock.now().getTime();
      for (const person of people) assert.equal((await api.find(person)).length, 2);
      assert.equal(books.log.length, 180);
      assert.ok(
        books.log.every((r) => !r.throttled),
        'MoneyBird refused no request',
      );
      for (const [i, r] of books.log.entries()) {
        const inWindow = books.log.slice(0, i + 1).filter((x) => x.at > r.at - MONEYBIRD_WINDOW_MS).length;
        assert.ok(inWindow <= MONEYBIRD_LIMIT, `${inWindow} requests in the 5 minutes before request ${i}`);
      }
      assert.ok(clock.now().getTime() - started >= MONEYBIRD_WINDOW_MS, 'the client waited for the window');
    } finally {
      await books.close();
    }
  });

  it('says MoneyBird is rate-limited, to retry later, when another client spent the budget', async () => {
    const clock = new FakeClock();
    const books = await startMoneybirdFake({ now: () => clock.now().getTime() });
    try {
      const headers = { authorization: `Bearer ${books.token}` };
      for (let i = 0; i < MONEYBIRD_LIMIT; i++) await fetch(`${books.url}/v2/administrations.json`, { headers });
      const refused = await fetch(`${books.url}/v2/administrations.json`, { headers });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      assert.equal(refused.headers.get('retry-after'), '300');
      const { api } = connectExampleSystem('moneybird', books, { clock });
      await assert.rejects(api.find(SANNE), (err: unknown) => {
        assert.ok(err instanceof ProcessorError);
        assert.equal(err.kind, 'rate-limited');
        assert.equal(err.retryable, true);
        return true;
      });
    } finally {
      await books.close();
    }
  });

  it('says what the connection test found, for the right token and for a wrong one', async () => {
    const good = await connectExampleSystem('moneybird', fake).api.test();
    assert.equal(good.ok, true, JSON.stringify(good.checks));
    assert.match(good.checks[0]!.message, /administration 367580436189889713/);
    const bad = await connectExampleSystem('moneybird', fake, { env: { MONEYBIRD_TOKEN: 'wrong' } }).api.test();
    assert.equal(bad.ok, false);
    assert.ok(bad.checks.every((c) => /HTTP 401/.test(c.message)));
  });
});
