import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { readCsv } from '../../test/helpers/csv.ts';
import { EXAMPLE_DATAMAP_FILE } from '../../test/helpers/demo-shop.ts';
import type { FoundRecord } from '../connectors/connector.ts';
import type { SqlSystem } from '../datamap/datamap.schema.ts';
import { loadDataMap } from '../datamap/datamap.ts';
import type { AccessResult } from '../executor/executor.ts';
import { renderMail } from '../notify/templates.ts';
import { answerHasContent, type HubHoldings, type SealedRecord } from './export-model.ts';
import {
  accessAnswerSummary,
  buildAccessAnswer,
  buildExportPackage,
  type ExportData,
  type ExportOptions,
} from './export-package.ts';
import { portableCategories } from './export-portability.ts';

const policy = loadExamplePolicy();
const AT = new Date('2026-11-26T14:03:00.000Z');
const EMAIL = 'sanne@example.nl';
const SHOP = loadDataMap(EXAMPLE_DATAMAP_FILE, {});
if (!SHOP.ok) throw new Error('the example data map does not load');
const shop = SHOP.value.systems.shop as SqlSystem;

/**
 * One record of every collection of the example data map, every mapped field filled with a value that is
 * no name of anything ("w1", "w2", …), so that a table or column name on the page can only come from the
 * page itself. Plus a review found through WebwinkelKeur's API.
 */
function everyCollection(): FoundRecord[] {
  let n = 0;
  const records = Object.entries(shop.collections).map(([collection, c]): FoundRecord => {
    const data: FoundRecord['data'] = { id: ++n };
    const categories: Record<string, string> = {};
    for (const [field, f] of Object.entries(c.fields)) {
      data[field] = `w${++n}`;
      if (f.category) categories[field] = f.category;
    }
    return { system: 'shop', collection, key: String(data.id), data, categories };
  });
  records.push({
    system: 'webwinkelkeur',
    collection: 'ratings',
    key: 'r1',
    data: { id: 'r1', name: 'Sanne', rating: 5, comment: 'Prima' },
    categories: { name: 'review', rating: 'review', comment: 'review' },
  });
  return records;
}

function result(records = everyCollection(), overrides: Partial<AccessResult> = {}): AccessResult {
  return {
    subject: { email: EMAIL },
    generatedAt: AT.toISOString(),
    records,
    collections: [],
    processors: [],
    manualTasks: [],
    queries: 1,
    ...overrides,
  };
}

const INVOICES: SealedRecord = {
  system: 'shop',
  collection: 'invoices',
  hold: 'fiscal',
  count: 2,
  until: '2033-12-31',
};

const HOLDINGS: HubHoldings = {
  requests: [
    { type: 'objection', receivedAt: '2026-10-01T08:00:00.000Z', status: 'awaiting_decision' },
    { type: 'access', receivedAt: '2026-11-26T13:00:00.000Z', status: 'in_progress' },
  ],
  flags: { restricted: true, objection: true, purposes: ['website'], since: '2026-10-01T08:05:00.000Z' },
  consents: [
    {
      purpose: 'later-contact',
      granted: true,
      text: 'Ja, u mag mij later mailen.',
      version: '3',
      source: 'checkout',
      at: '2026-09-01T10:00:00.000Z',
    },
  ],
  analytics: { clientIds: ['1234567890.1712345678'], userIds: [] },
};

function unpack(r: AccessResult, options: Partial<ExportOptions> = {}) {
  const files = unzipSync(buildExportPackage(r, policy, { lang: 'nl', generatedAt: AT, ...options }));
  const text = (name: string) => {
    const bytes = files[name];
    assert.ok(bytes, `${name} is in the package`);
    return strFromU8(bytes);
  };
  return { files, text, data: JSON.parse(text('data.json')) as ExportData, html: text('index.html') };
}

/** The page as a person reads it: no style sheet, no tags. */
function visible(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** The page's own words: what a person reads, without the data cells (those hold the person's values). */
function words(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<td>[\s\S]*?<\/td>/g, ' ')
    .replace(/<dd>[\s\S]*?<\/dd>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

/** Every name of the data map a person cannot read: systems, collections, columns. */
const NAMES = [
  ...Object.keys(SHOP.value.systems),
  ...Object.keys(shop.collections),
  ...Object.values(shop.collections).flatMap((c) => [
    ...Object.keys(c.fields),
    ...Object.keys(c.references),
    c.primaryKey,
  ]),
];

/** Names found as a word of their own (not inside "e-mailadres" or "Bezoekers-id"). */
function namesIn(text: string, names: readonly string[]): string[] {
  const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...new Set(names)].filter((name) => new RegExp(`(?<![\\w-])${quote(name)}(?![\\w-])`).test(text));
}

describe('the access answer tells the whole story (GDPR Art. 15)', () => {
  it('gives data.json the purposes, retention, recipients, sources, rights and sealed records at the top', () => {
    const { data } = unpack(result(), { sealed: [INVOICES] });
    for (const key of ['purposes', 'retention', 'recipients', 'sources', 'rights', 'sealed'] as const) {
      assert.ok(Array.isArray(data[key]) || typeof data[key] === 'object', key);
    }
    const service = data.purposes.find((p) => p.id === 'service');
    assert.equal(service?.legalBasis, 'contract');
    assert.match(service?.basis ?? '', /Uitvoering van de overeenkomst \(art\. 6 lid 1 sub b AVG\)/);
    const profile = data.retention.find((r) => r.rule === 'profile');
    assert.match(profile?.term ?? '', /niet langer dan 2 jaar na het laatste contactmoment/);
    const invoices = data.retention.find((r) => r.rule === 'invoices');
    assert.equal(invoices?.legalHold, 'fiscal');
    assert.match(invoices?.why ?? '', /Algemene wet inzake rijksbelastingen/);
    const mollie = data.recipients.find((r) => r.id === 'mollie');
    assert.equal(mollie?.role, 'processor');
    assert.ok(mollie?.ownPurposes.some((o) => o.includes('Wwft')));
    assert.ok(data.recipients.some((r) => r.id === 'postnl' && r.role === 'controller'));
    const review = data.sources.find((s) => s.category === 'review');
    assert.deepEqual([review?.origin, review?.party], ['third-party', 'webwinkelkeur']);
    assert.match(review?.source ?? '', /WebwinkelKeur/);
    assert.equal(data.sources.find((s) => s.category === 'contact')?.origin, 'person');
    assert.deepEqual(
      data.transfers.map((t) => [t.recipient, t.countries, t.mechanism]),
      [
        ['office365', ['US'], 'dpf'],
        ['google-analytics', ['US'], 'dpf'],
      ].filter(([id]) => data.recipients.some((r) => r.id === id)),
    );
    assert.deepEqual(data.automatedDecisions, {
      used: false,
      text: 'Wij nemen geen besluiten over u die alleen op geautomatiseerde verwerking berusten, ook niet door profilering (art. 22 AVG).',
    });
    assert.equal(data.rights.complaintAuthority.name, 'Autoriteit Persoonsgegevens');
    assert.deepEqual(
      data.rights.items.map((i) => i.right),
      ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection', 'automated-decisions'],
    );
    assert.deepEqual(
      data.sealed.map((s) => [s.collection, s.count, s.until, s.what, s.untilText]),
      [['invoices', 2, '2033-12-31', 'Factuur', '31 december 2033']],
    );
  });

  it('names only the categories held: no reviews, and no source for them, without a review', () => {
    const withoutReview = everyCollection().filter((r) => r.collection !== 'ratings' && r.collection !== 'reviews');
    const { data } = unpack(result(withoutReview));
    assert.ok(!data.sources.some((s) => s.category === 'review'));
    assert.ok(!data.categories.some((c) => c.id === 'review'));
    assert.ok(!data.retention.some((r) => r.categories.includes('review')));
    const purposes = unpack(result([everyCollection().find((r) => r.collection === 'invoices')!])).data.purposes;
    assert.deepEqual(
      purposes.map((p) => p.id),
      ['accounting', 'legal-disclosure'],
      'an invoice alone is kept for the books and for investigations only',
    );
  });

  it('puts what the hub holds about the person in the answer: requests, flags, consents, Analytics ids', () => {
    const { data, html } = unpack(result(), { holdings: HOLDINGS });
    assert.deepEqual(
      data.hub.requests?.map((r) => r.type),
      ['objection', 'access'],
    );
    assert.equal(data.hub.flags?.restricted, true);
    assert.deepEqual(data.hub.analytics?.clientIds, ['1234567890.1712345678']);
    assert.equal(data.consents.length, 1);
    assert.ok(data.categories.some((c) => c.id === 'request'));
    const text = words(html);
    for (const said of [
      'Uw verzoeken',
      'De verwerking van uw gegevens is beperkt sinds 1 oktober 2026.',
      'U heeft bezwaar gemaakt tegen: Technische werking, beveiliging en verbetering van de website.',
      'Uw kenmerken in onze websitestatistieken',
      'Register van verzoeken',
    ]) {
      assert.ok(text.includes(said), said);
    }
    assert.ok(html.includes('<td>wacht op ons besluit</td>'));
    assert.ok(html.includes('<td>bij het afrekenen</td>'), 'the consent source in words, not its slug');
    assert.ok(html.includes('<td>1234567890.1712345678</td>'));
  });

  for (const lang of ['nl', 'en'] as const) {
    it(`shows purposes, recipients, transfers, terms, sources, automated decisions and rights in words (${lang})`, () => {
      const { html } = unpack(result(), { lang, sealed: [INVOICES], holdings: HOLDINGS });
      const text = visible(html);
      const expected =
        lang === 'nl'
          ? [
              'Waarvoor wij uw gegevens gebruiken',
              'Uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG)',
              'Wie heeft uw gegevens nog?',
              'verwerker, en voor een eigen doel zelfstandig verwerkingsverantwoordelijke',
              'Doorgifte buiten de Europese Economische Ruimte',
              'EU-VS-gegevensprivacykader',
              'Hoe lang wij uw gegevens bewaren',
              'Zolang u klant bent, en niet langer dan 2 jaar',
              'Waar uw gegevens vandaan komen',
              'Van een andere partij: WebwinkelKeur',
              'alleen op geautomatiseerde verwerking berusten',
              'Recht op vergetelheid',
              'Autoriteit Persoonsgegevens',
              'Wat wij moeten bewaren, in een afgesloten archief',
            ]
          : [
              'What we use your data for',
              'Performance of a contract (GDPR Art. 6(1)(b))',
              'Who else holds your data?',
              'processor, and an independent controller for a purpose of its own',
              'Transfers outside the European Economic Area',
              'EU-U.S. Data Privacy Framework',
              'How long we keep your data',
              'While you are a client, and no longer than 2 years',
              'Where your data comes from',
              'From another party: WebwinkelKeur',
              'based solely on automated processing',
              'Right to erasure',
              'Autoriteit Persoonsgegevens',
              'What we must keep, in a closed archive',
            ];
      for (const said of expected) assert.ok(text.includes(said), `index.html (${lang}) says "${said}"`);
      assert.match(html, new RegExp(`<html lang="${lang}">`));
    });
  }
});

describe('the readable parts name no table, column or system', () => {
  const everything = { sealed: [INVOICES], holdings: HOLDINGS } satisfies Partial<ExportOptions>;

  it('would find a table, column or system name in a text', () => {
    assert.deepEqual(namesIn('shop › orders: billing_name, e-mailadres, Bezoekers-id', NAMES).sort(), [
      'billing_name',
      'orders',
      'shop',
    ]);
  });

  it('shows every collection of the data map under a name in words, in Dutch', () => {
    const { html } = unpack(result(), everything);
    assert.deepEqual(namesIn(words(html), NAMES), []);
    assert.ok(words(html).includes('Afleveradres: postcode'));
    assert.ok(words(html).includes('Uw bestelde producten'));
  });

  it('leaves no name with an underscore in the English page', () => {
    const { html } = unpack(result(), { ...everything, lang: 'en' });
    assert.deepEqual(
      namesIn(
        words(html),
        NAMES.filter((n) => n.includes('_')),
      ),
      [],
    );
  });

  for (const lang of ['nl', 'en'] as const) {
    it(`keeps them out of the access e-mail too (${lang})`, () => {
      const answer = accessAnswerSummary(result(), policy, { lang, ...everything });
      const mail = renderMail(
        'access-ready',
        lang,
        {
          type: 'access',
          link: 'https://privacy.example/requests/download/abc',
          expiresAt: '2026-12-10T14:03:00.000Z',
          maxDownloads: 5,
          records: 12,
          processors: [],
          answer,
        },
        { shopName: 'Balkonzon b.v.', privacyEmail: 'enrico@balkonzon.nl', baseUrl: 'https://privacy.example' },
      );
      const names = lang === 'nl' ? NAMES : NAMES.filter((n) => n.includes('_'));
      assert.deepEqual(namesIn(mail.text, names), []);
      assert.deepEqual(namesIn(words(mail.html), names), []);
    });
  }
});

describe('the access e-mail', () => {
  const send = (lang: 'nl' | 'en', options: Partial<ExportOptions> = {}) => {
    const answer = accessAnswerSummary(result(), policy, { lang, ...options });
    const mail = renderMail(
      'access-ready',
      lang,
      {
        type: 'access',
        link: 'https://privacy.example/requests/download/abc',
        expiresAt: '2026-12-10T14:03:00.000Z',
        maxDownloads: 5,
        records: 12,
        processors: [],
        answer,
      },
      { shopName: 'Balkonzon b.v.', privacyEmail: 'enrico@balkonzon.nl', baseUrl: 'https://privacy.example' },
    );
    return mail.text.replace(/\s+/g, ' ');
  };

  it('gives purposes with their basis, categories, recipients, terms, sources, transfers and rights (nl)', () => {
    const text = send('nl', { sealed: [INVOICES] });
    for (const said of [
      'Uitvoeren van uw bestelling en onze dienstverlening: Uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG)',
      'Welke soorten gegevens wij over u hebben',
      'Mollie (verwerker, en voor een eigen doel zelfstandig verwerkingsverantwoordelijke)',
      'PostNL (zelfstandig verwerkingsverantwoordelijke)',
      'Klantprofiel: Zolang u klant bent',
      'Beoordelingen: Van een andere partij: WebwinkelKeur',
      'Office365 (Verenigde Staten): EU-VS-gegevensprivacykader',
      'Factuur: 2, tot en met 31 december 2033 (Wettelijke bewaarplicht: Algemene wet inzake rijksbelastingen, art. 52)',
      'alleen op geautomatiseerde verwerking berusten',
      'Recht op beperking van de verwerking',
      'U kunt altijd een klacht indienen bij de Autoriteit Persoonsgegevens',
      'Wij hebben uw verzoek om inzage afgehandeld.',
    ]) {
      assert.ok(text.includes(said), `the e-mail says "${said}"`);
    }
  });

  it('gives the same in English', () => {
    const text = send('en');
    for (const said of [
      'Carrying out your order and our services: Performance of a contract (GDPR Art. 6(1)(b))',
      'Mollie (processor, and an independent controller for a purpose of its own)',
      'Reviews: From another party: WebwinkelKeur',
      'based solely on automated processing',
      'You can always lodge a complaint with the Autoriteit Persoonsgegevens',
    ]) {
      assert.ok(text.includes(said), `the e-mail says "${said}"`);
    }
  });

  it('does not call the answer complete while a part is still to come, and says truthfully who was asked', () => {
    const text = send('nl', {
      pending: [
        { processor: 'mollie', dueAt: '2026-12-20T22:59:59.000Z', asked: true },
        { processor: 'jos-heeren-transport', dueAt: '2026-12-26T22:59:59.000Z', asked: false },
      ],
    });
    assert.doesNotMatch(text, /afgehandeld\. Alle persoonsgegevens/);
    assert.match(text, /Hier is het eerste deel van ons antwoord/);
    assert.match(text, /Wij hebben Mollie om uw gegevens gevraagd\./);
    assert.match(text, /Onze contactpersoon voor privacyzaken vraagt Jos Heeren Transport om uw gegevens/);
    assert.doesNotMatch(text, /Wij hebben Jos Heeren Transport/);
  });
});

describe('portability (GDPR Art. 20) gives only what the person provided, on consent or contract', () => {
  it('decides per category from the policy: origin, then the legal bases of its purposes', () => {
    const portable = portableCategories(policy);
    for (const id of ['contact', 'account', 'order', 'payment', 'shipping', 'correspondence', 'consent'])
      assert.ok(portable.has(id), `${id} is portable`);
    // Made by us (invoice), from WebwinkelKeur (review), or kept for a legal duty only (request).
    for (const id of ['invoice', 'review', 'request']) assert.ok(!portable.has(id), `${id} is not portable`);
  });

  it('leaves invoice details, reviews and the register out of JSON, CSV and HTML, where access has them', () => {
    const access = unpack(result(), { holdings: HOLDINGS });
    const portability = unpack(result(), { holdings: HOLDINGS, type: 'portability' });
    assert.equal(portability.data.type, 'portability');
    assert.ok(!portability.data.portability?.categories.includes('invoice'));

    const fields = (d: ExportData, collection: string) =>
      d.records.filter((r) => r.collection === collection).flatMap((r) => Object.keys(r.data));
    assert.ok(fields(access.data, 'invoices').includes('vat_cents'));
    // Invoices are made by us and kept for the tax law: not data the person provided.
    assert.deepEqual(fields(portability.data, 'invoices').sort(), []);
    assert.ok(fields(access.data, 'ratings').length > 0);
    assert.deepEqual(fields(portability.data, 'ratings'), []);
    assert.ok(fields(portability.data, 'orders').includes('shipping_postal_code'));

    assert.ok(access.files['csv/shop/invoices.csv']);
    assert.equal(portability.files['csv/shop/invoices.csv'], undefined);
    assert.equal(portability.files['csv/webwinkelkeur/ratings.csv'], undefined);
    const orders = readCsv(portability.text('csv/shop/orders.csv'), ';');
    assert.ok(orders[0]?.includes('shipping_postal_code'));

    assert.ok(access.data.hub.requests?.length);
    assert.equal(portability.data.hub.requests, undefined, 'the register of requests is not portable');
    assert.equal(portability.data.consents.length, 1, 'consents given are');

    assert.ok(words(access.html).includes('Factuur'));
    assert.ok(!words(portability.html).includes('Btw (centen)'));
    assert.match(words(portability.html), /artikel 20 AVG/);
    assert.match(words(portability.html), /Met een verzoek om inzage krijgt u alles/);
  });
});

describe('"we process no data about you" only when there is nothing at all', () => {
  const empty = () => result([]);

  it('lists sealed invoices to a person with nothing else, instead of "no data"', () => {
    assert.equal(answerHasContent(empty(), { sealed: [INVOICES] }), true);
    const { html, data, files } = unpack(empty(), { sealed: [INVOICES] });
    const text = words(html);
    assert.ok(!text.includes('Wij hebben geen gegevens over u gevonden'));
    assert.ok(text.includes('Wat wij moeten bewaren, in een afgesloten archief'));
    assert.ok(html.includes('<th scope="row">Factuur</th><td>2</td><td>31 december 2033</td>'));
    assert.ok(text.includes('Facturen en betalingsadministratie'), 'the term of the held category');
    assert.equal(data.sealed.length, 1);
    assert.ok(data.categories.some((c) => c.id === 'invoice'));
    assert.equal(Object.keys(files).filter((f) => f.startsWith('csv/')).length, 0);
  });

  it('tells a person with a part still to come what happens, instead of "no data"', () => {
    const pending = [{ processor: 'jos-heeren-transport', dueAt: '2026-12-26T22:59:59.000Z', asked: false }];
    assert.equal(answerHasContent(empty(), { pending }), true);
    const text = words(unpack(empty(), { pending }).html);
    assert.ok(!text.includes('Wij hebben geen gegevens over u gevonden'));
    assert.match(text, /Onze contactpersoon voor privacyzaken vraagt Jos Heeren Transport om uw gegevens/);
    assert.match(text, /uiterlijk 26 december 2026/);
  });

  it('treats a processor without an API as a part to come when the handling passes none', () => {
    const task = {
      system: 'mijndomein',
      processor: 'mijndomein',
      action: 'access' as const,
      contact: 'MijnDomein klantenservice',
      instructions: { nl: '', en: '' },
      dueInDays: 30,
      categories: ['contact'],
    };
    const r = result([], { manualTasks: [task] });
    assert.equal(answerHasContent(r), true);
    assert.equal(answerHasContent(r, { pending: [] }), false, 'the handling knows better');
    assert.match(words(unpack(r).html), /vraagt MijnDomein om uw gegevens; .* uiterlijk 26 december 2026/);
  });

  it('counts consents, a restriction and Analytics ids, but not the request being answered', () => {
    assert.equal(answerHasContent(empty()), false);
    assert.equal(answerHasContent(empty(), { holdings: { requests: HOLDINGS.requests } }), false);
    assert.equal(answerHasContent(empty(), { holdings: { consents: HOLDINGS.consents } }), true);
    assert.equal(answerHasContent(empty(), { holdings: { flags: { restricted: true, objection: false } } }), true);
    assert.equal(answerHasContent(empty(), { holdings: { analytics: HOLDINGS.analytics } }), true);
    const nothing = words(unpack(empty(), { holdings: { requests: HOLDINGS.requests } }).html);
    assert.ok(nothing.includes('Wij hebben geen gegevens over u gevonden'));
  });

  it('hands the handling the zip, whether to send it, and the e-mail summary from one set of inputs', () => {
    const sealed = buildAccessAnswer(empty(), policy, { lang: 'nl', generatedAt: AT, sealed: [INVOICES] });
    assert.equal(sealed.hasContent, true);
    assert.deepEqual(sealed.summary, accessAnswerSummary(empty(), policy, { lang: 'nl', sealed: [INVOICES] }));
    assert.deepEqual(
      Buffer.from(sealed.zip),
      Buffer.from(buildExportPackage(empty(), policy, { lang: 'nl', generatedAt: AT, sealed: [INVOICES] })),
    );
    assert.equal(buildAccessAnswer(empty(), policy, { lang: 'nl' }).hasContent, false);
  });

  it('says in the no-data e-mail that the request itself is recorded', () => {
    for (const lang of ['nl', 'en'] as const) {
      const mail = renderMail(
        'no-data',
        lang,
        { type: 'access' },
        { shopName: 'Balkonzon b.v.', privacyEmail: 'enrico@balkonzon.nl', baseUrl: 'https://privacy.example' },
      );
      assert.match(
        mail.text.replace(/\s+/g, ' '),
        lang === 'nl' ? /Van uw verzoek houden wij een registratie bij/ : /Of your request we keep a record/,
      );
    }
  });
});
