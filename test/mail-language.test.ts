import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldRole } from '../src/datamap/datamap.schema.ts';
import { MAIL_TEMPLATES, type MailData, type MailTemplate, renderMail } from '../src/notify/templates.ts';
import { kindOfData, NO_LABELS } from '../src/requests/data-labels.ts';
import { fieldWord } from '../src/requests/export-fields.ts';
import { loadExamplePolicy } from './helpers/app.ts';

/**
 * One language per e-mail: every template is rendered in Dutch and in English, with the data the engine
 * gives it in that language (kinds of data and fields in words, purposes and processors by their names),
 * and fails on a word of the other language, an engine code, a slug, a system, table or column name.
 */

const policy = loadExamplePolicy();
const ctx = {
  shopName: 'Balkonzon b.v.',
  privacyEmail: 'enrico@balkonzon.nl',
  baseUrl: 'https://privacy.balkonzon.nl',
};
const LINK = 'https://privacy.balkonzon.nl/requests/verify/Q2hhbmdlIHRoaXMgdG9rZW4gcGxlYXNlIQ';
const STATUS = { link: `https://privacy.balkonzon.nl/requests/status/${'ab'.repeat(32)}`, reference: 'K7QF-2M9X' };

type Lang = 'nl' | 'en';

const purpose = (id: string, lang: Lang) => policy.purposes.items.find((p) => p.id === id)!.name[lang];
const processor = (id: string) => policy.processors.find((p) => p.id === id)!.name;
const kind = (system: string, collection: string, lang: Lang, party?: string) =>
  kindOfData(NO_LABELS, policy, { system, collection, ...(party ? { party } : {}) }, lang);

/** Every template's data as the engine gives it in the message's language. */
function samples(lang: Lang): { [T in MailTemplate]: MailData[T] } {
  const website = purpose('website', lang);
  return {
    verify: { type: 'erasure', link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
    'awaiting-identity': { type: 'portability' },
    'access-ready': {
      type: 'access',
      link: LINK,
      expiresAt: '2026-11-15T09:00:00.000Z',
      maxDownloads: 5,
      records: 42,
      processors: [processor('mollie'), processor('moneybird')],
    },
    'no-data': { type: 'access', pending: [{ name: processor('webwinkelkeur'), dueAt: '2026-12-01' }] },
    rectified: {
      fields: (['street', 'phone', 'last_name'] as const).map((r) => fieldWord(r, lang)!),
      pendingProcessors: [processor('mollie')],
      status: { ...STATUS, dueAt: '2026-12-01' },
    } as MailData['rectified'],
    'rectification-received': {
      fields: (['last_name', 'city'] as const).map((r) => fieldWord(r, lang)!),
      dueAt: '2026-12-01T09:00:00.000Z',
      status: { ...STATUS, dueAt: '2026-12-01' },
    } as MailData['rectification-received'],
    restricted: {},
    'access-part-ready': { processor: processor('mollie'), link: LINK, expiresAt: '2026-11-15T09:00:00.000Z' },
    'access-posted': { postedAt: '2026-11-03T10:00:00.000Z' },
    'restriction-lifted': { liftsAt: '2026-11-08T09:00:00.000Z' },
    'objection-received': {
      purposes: [website],
      status: { ...STATUS, dueAt: '2026-12-01' },
    } as MailData['objection-received'],
    'objection-honoured': { purposes: [purpose('later-contact', lang)] },
    'objection-upheld': { purposes: [website], erased: 3 },
    'objection-rejected': {
      reason: lang === 'nl' ? 'Wij hebben dwingende gronden.' : 'We have compelling grounds.',
      purposes: [website],
      liftsAt: '2026-11-08T09:00:00.000Z',
    },
    erased: {
      erased: [
        { what: kind('shop', 'customers', lang), count: 1 },
        { what: kind('shop', 'orders', lang), count: 3 },
        { what: kind('mollie', 'people', lang, 'Mollie'), count: 1 },
      ],
      retained: [{ what: kind('myonlinestore', 'orders', lang, processor('myonlinestore')), why: 'x' }].map((r) => ({
        ...r,
        why: lang === 'nl' ? 'fiscale bewaarplicht' : 'tax retention duty',
      })),
      pendingProcessors: [{ name: processor('webwinkelkeur'), dueAt: '2026-12-01' }],
      status: { ...STATUS, dueAt: '2026-12-01' },
    } as MailData['erased'],
    rejected: { type: 'erasure', reason: lang === 'nl' ? 'Er loopt een geschil.' : 'A dispute is pending.' },
    extended: {
      type: 'access',
      reason: lang === 'nl' ? 'Veel verzoeken tegelijk.' : 'Many requests at once.',
      dueAt: '2027-01-31',
    },
    completed: { type: 'erasure' },
    'officer-reminder': { dueSoon: [], overdue: [], openTasks: 2, adminUrl: 'https://privacy.balkonzon.nl/admin' },
    'consent-withdraw-verify': { link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
    'consent-withdrawn': { purposes: [purpose('later-contact', lang)] },
    'policy-changed': { version: 2, effectiveAt: '2026-12-01T00:00:00.000Z', changes: [], names: {} },
    'retention-reminder': { withinDays: 28, term: { years: 2 }, shopUrl: 'https://balkonzon.nl' },
    'scan-findings': {
      at: '2026-11-20T05:00:00.000Z',
      findings: [],
      errors: 0,
      adminUrl: 'https://privacy.balkonzon.nl/admin',
    },
  };
}

/** English words none of which is Dutch. */
const ENGLISH = [
  'the',
  'and',
  'your',
  'you',
  'we',
  'our',
  'with',
  'without',
  'request',
  'has',
  'have',
  'been',
  'will',
  'this',
  'that',
  'which',
  'not',
  'from',
  'for',
  'by',
  'until',
  'please',
  'erased',
  'processor',
  'processors',
  'kind regards',
  'data',
  'received',
  'completed',
  'pending',
  'access',
  'erasure',
  'objection',
  'days',
];
/** Dutch words none of which is English. */
const DUTCH = [
  'de',
  'het',
  'een',
  'van',
  'niet',
  'uw',
  'wij',
  'ons',
  'onze',
  'met',
  'zonder',
  'verzoek',
  'gegevens',
  'heeft',
  'hebben',
  'wordt',
  'worden',
  'naar',
  'voor',
  'tot',
  'bij',
  'dat',
  'die',
  'deze',
  'groet',
  'uiterlijk',
  'verwijderd',
  'ontvangen',
  'bezwaar',
  'inzage',
  'dagen',
];
/** Codes, slugs and names of systems, tables and columns: never in a message. */
const CODES = [
  ...['awaiting_verification', 'awaiting_identity', 'in_progress', 'awaiting_decision', 'waiting_on_tasks'],
  ...['nothing-found', 'shop.customers', 'shop.orders', 'mollie.people', 'people', 'billing_name'],
  ...FieldRole.options.filter((r) => r.includes('_')),
  ...policy.processors.map((p) => p.id).filter((id) => id !== p(id)),
  ...policy.purposes.items.map((x) => x.id).filter((id) => id.includes('-')),
];
function p(id: string): string {
  return policy.processors.find((x) => x.id === id)?.name ?? '';
}

const CONFIGURED = [
  ...policy.processors.map((x) => x.name),
  ctx.shopName,
  'Autoriteit Persoonsgegevens',
  'Inzage',
  STATUS.reference,
].filter((s) => s.length > 2);

/** What a person reads: the text without links, addresses and the configured names. */
function readable(text: string): string {
  let out = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    // File names and the commands an officer types are code, not words.
    .replace(/\b[\w-]+\.(json|csv|html|txt|zip)\b/g, ' ')
    .replace(/\binzage (tasks|requests|retention|scan|subject|policy|mail)( [a-z-]+)*/g, ' ');
  for (const name of CONFIGURED) out = out.split(name).join(' ');
  return out.replace(/\s+/g, ' ');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The listed words found in the text, whole words only; case-insensitive for words, exact for codes. */
function found(text: string, words: readonly string[], caseless: boolean): string[] {
  return words.filter((w) => new RegExp(`(?<![\\w-])${escapeRegExp(w)}(?![\\w-])`, caseless ? 'i' : '').test(text));
}

/** The problems of one rendered message in a language. */
function problems(text: string, lang: Lang): string[] {
  const read = readable(text);
  return [
    ...found(read, lang === 'nl' ? ENGLISH : DUTCH, true).map((w) => `word of the other language: "${w}"`),
    ...found(read, CODES, false).map((w) => `code or name: "${w}"`),
    ...[...read.matchAll(/\b\w+_\w+\b/g)].map((m) => `a column-like name: "${m[0]}"`),
  ];
}

describe('every e-mail in one language', () => {
  for (const lang of ['nl', 'en'] as const) {
    const data = samples(lang);
    for (const template of MAIL_TEMPLATES) {
      it(`writes ${template} in ${lang === 'nl' ? 'Dutch' : 'English'} only, with no codes or names of the database`, () => {
        const mail = renderMail(template, lang, data[template] as never, ctx);
        assert.deepEqual(problems(`${mail.subject}\n${mail.text}`, lang), []);
      });
    }
  }

  it('catches an English word in a Dutch e-mail, a Dutch one in an English e-mail, and a slug', () => {
    assert.ok(problems('Wij hebben the gegevens verwijderd.', 'nl').some((x) => x.includes('"the"')));
    assert.ok(problems('We have erased uw data.', 'en').some((x) => x.includes('"uw"')));
    assert.ok(problems('Verwijderd: mollie.people: 1', 'nl').some((x) => x.includes('"people"')));
    assert.ok(problems('Verwijderd: shop billing_street', 'nl').some((x) => x.includes('billing_street')));
  });
});
