import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FieldRole } from '../src/datamap/datamap.schema.ts';
import { SANNE } from '../src/demo/demo-shop.ts';
import { postForm } from './helpers/admin.ts';
import { loadExamplePolicy } from './helpers/app.ts';
import { createDeskFixture, type DeskFixture, pagesBeforeLogin } from './helpers/desk-fixture.ts';

/**
 * One language per page: every back-office page is rendered in Dutch and in English, and a page fails when
 * it carries a word of the other language or one of the engine's codes (a status, a slug, an id) where the
 * officer reads. What the fixture's people typed, and the shop's configured names, are data, not words.
 */

const policy = loadExamplePolicy();

/** English words the engine speaks, none of which is Dutch. */
const ENGLISH = [
  'the',
  'and',
  'must',
  'required',
  'invalid',
  'please',
  'request',
  'requests',
  'erased',
  'erasure',
  'manual',
  'nothing',
  'found',
  'failed',
  'done',
  'pending',
  'processor',
  'processors',
  'approved',
  'rejected',
  'received',
  'verified',
  'completed',
  'expired',
  'access',
  'rectification',
  'restriction',
  'objection',
  'portability',
  'waiting',
  'awaiting',
  'task',
  'tasks',
  'with',
  'without',
  'not',
  'to',
  'from',
  'for',
  'your',
  'you',
  'this',
  'that',
  'which',
  'customer',
  'customers',
  'orders',
  'invoices',
  'payments',
  'shipments',
  'reviews',
  'none',
  'unknown',
  'yes',
  'no',
  'at',
  'on',
  'of the',
  'days',
  'hours',
  'left',
  'late',
  'record',
  'records',
  'kept',
  'deleted',
  'anonymised',
  'contains',
  'characters',
  'address',
  'number',
  'dashboard',
  'audit trail',
  'password',
  'log in',
  'log out',
  'sealed',
  'archive',
  'breach',
  'breaches',
  'disclosure',
  'retention',
  'policy',
];
/** Dutch words the desk speaks, none of which is English. */
const DUTCH = [
  'de',
  'het',
  'een',
  'van',
  'en',
  'niet',
  'wordt',
  'verzoek',
  'verzoeken',
  'gegevens',
  'termijn',
  'persoon',
  'personen',
  'verwerker',
  'verwerkers',
  'uw',
  'naar',
  'geen',
  'bij',
  'voor',
  'met',
  'zijn',
  'heeft',
  'wacht',
  'afgerond',
  'taak',
  'ontvangen',
  'bewaard',
  'verwijderd',
  'nog',
  'alle',
  'dagen',
  'om',
  'uur',
  'inzage',
  'verwijdering',
  'bezwaar',
  'correctie',
  'beperking',
  'ja',
  'nee',
  'klant',
  'wat',
  'wie',
  'waar',
  'inloggen',
  'uitloggen',
  'wachtwoord',
  'opslaan',
  'toon',
  'vorige',
  'volgende',
  'pagina',
  'januari',
  'februari',
  'maart',
  'mei',
  'juni',
  'juli',
  'augustus',
  'oktober',
  'datalek',
  'datalekken',
  'verstrekking',
  'bewaartermijn',
  'beleid',
  'gevonden',
  'verzegeld',
  'geanonimiseerd',
  'telefonisch',
  'persoonlijk',
];

/** The engine's codes that must never reach a page: statuses, outcomes, events, channels, ids of the policy. */
const CODES = [
  'awaiting_verification',
  'awaiting_identity',
  'in_progress',
  'awaiting_decision',
  'waiting_on_tasks',
  'nothing-found',
  'dry-run',
  'verify-identity',
  'in-person',
  'no data',
  'identity_verified',
  'task_done',
  'export_destroyed',
  'shop.customers',
  'shop.orders',
  'order_lines',
  'contact_moments',
  'billing_name',
  ...FieldRole.options.filter((r) => r.includes('_')),
  ...policy.processors.map((p) => p.id).filter((id) => id !== id.toUpperCase() && id !== 'dhl'),
  ...policy.purposes.items.map((p) => p.id).filter((id) => id.includes('-')),
];

/** What a person reads on a page: the text, and the labels a screen reader speaks, without other-language parts. */
function readable(html: string, lang: 'nl' | 'en', data: string[]): string {
  let text = html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<(script|style|code|svg)\b[\s\S]*?<\/\1>/g, ' ')
    // A part marked as another language (a processor's recorded answer, the language switch) is not the page's.
    .replace(new RegExp(`<(\\w+)[^>]*\\blang="${lang === 'nl' ? 'en' : 'nl'}"[^>]*>[\\s\\S]*?</\\1>`, 'g'), ' ')
    .replace(/<[^>]*\b(?:aria-label|title|placeholder|alt)="([^"]*)"[^>]*>/g, ' $1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'");
  // Data: addresses, ids, and what people typed or the shop configured.
  text = text
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/\b[0-9a-f]{8}\b(-[0-9a-f-]+)?/g, ' ')
    // A person in the audit trail, by the start of their keyed hash (`p_bbeefd…`): a random value, not a slug.
    .replace(/\bp_[0-9a-f]+…?/g, ' ');
  for (const d of data) text = text.split(d).join(' ');
  return text.replace(/\s+/g, ' ');
}

const configured = (): string[] => {
  const names = policy.processors.flatMap((p) => [
    p.name,
    p.legalName ?? '',
    p.service.nl,
    p.service.en,
    p.agreement?.reference ?? '',
  ]);
  return [
    ...names,
    'Webwinkel (MyOnlineStore)',
    'Moneybird-administratie van Balkonzon',
    'MyOnlineStore-backoffice van Balkonzon',
    policy.controller.name,
    'Autoriteit Persoonsgegevens',
    'Algemene wet inzake rijksbelastingen',
    'Inzage',
    'Balkonzon',
  ].filter((s) => s.length > 2);
};

function offending(text: string, words: string[]): string[] {
  const found: string[] = [];
  for (const w of words) {
    const re = new RegExp(`(^|[^\\p{L}\\d_-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[^\\p{L}\\d_-])`, 'iu');
    if (re.test(text)) found.push(w);
  }
  return found;
}

function check(html: string, lang: 'nl' | 'en', data: string[], where: string) {
  const text = readable(html, lang, data);
  const codes = offending(text, CODES).filter((c) =>
    new RegExp(`(^|[^\\p{L}_-])${c}(?=$|[^\\p{L}_-])`, 'u').test(text),
  );
  const other = offending(text, lang === 'nl' ? ENGLISH : DUTCH);
  const slugs = [...text.matchAll(/\b[a-z]+_[a-z_]+\b/g)].map((m) => m[0]);
  assert.deepEqual(
    { codes, other, slugs },
    { codes: [], other: [], slugs: [] },
    `${where} (${lang}): codes ${codes.join('|')}; other ${other.join('|')}; slugs ${slugs.join('|')} in: ${text.slice(0, 1500)}`,
  );
}

describe('the back office speaks one language per page', () => {
  let f: DeskFixture;
  let data: string[];
  before(async () => {
    f = await createDeskFixture();
    data = [...f.data, ...configured()];
  });
  after(async () => {
    await f?.close();
  });

  const get = (url: string, cookie?: string) =>
    f.t.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  const who = (name: 'officer' | 'staff') => (name === 'officer' ? f.officer : f.staff);

  /** The pages a form posts to: a lookup, a search, the archive opened, forms with a mistake. */
  async function postedPages(lang: 'nl' | 'en') {
    const { officer } = f;
    const post = (url: string, form: Record<string, string>) =>
      postForm(f.t, url, { _csrf: officer.csrf, ...form }, officer.cookie);
    return [
      ['lookup', await post('/admin/customers', { email: SANNE.email })],
      ['search', await post('/admin/customers', { email: 'example' })],
      ['search-nobody', await post('/admin/customers', { email: 'zzzzqqq' })],
      ['lookup-too-short', await post('/admin/customers', { email: 'x' })],
      ['archive-refused', await post('/admin/customers/archive', { email: SANNE.email, reason: '', reference: '' })],
      [
        'entry-refused',
        await post('/admin/requests', { type: 'objection', email: 'geen adres', received: '2030-01-01' }),
      ],
      [
        'entry-refused-date',
        await post('/admin/requests', { type: 'access', email: 'a@example.com', received: '2026-02-30' }),
      ],
      ['reject-without-reason', await post(`/admin/requests/${f.ids.rectification}/reject`, { reason: '' })],
      [
        'extend-twice',
        await post(`/admin/requests/${f.ids.entered}/extend`, { reason: 'x' }).then(() =>
          post(`/admin/requests/${f.ids.entered}/extend`, { reason: 'x' }),
        ),
      ],
      [
        'breach-refused',
        await post('/admin/registers/breaches', { discoveredAt: 'gisteren', categories: 'horoscope' }),
      ],
      ['disclosure-refused', await post('/admin/registers/disclosures', { disclosedOn: 'x', about: 'a@b.nl' })],
      ['retention-wrong-number', await post('/admin/retention/approve', { planId: 'x', confirm: '999999' })],
      [
        'start-refused',
        await post('/admin/customers/request', { email: SANNE.email, type: 'access', channel: 'phone' }),
      ],
      ['language-saved', await get('/admin/account?done=language', officer.cookie)],
    ].map(([name, res]) => ({ name: `${name as string} (${lang})`, res: res as Awaited<ReturnType<typeof get>> }));
  }

  for (const lang of ['nl', 'en'] as const) {
    it(`renders every back-office page in ${lang === 'nl' ? 'Dutch' : 'English'} only, with no engine codes`, async () => {
      for (const u of [f.officer.user, f.staff.user]) await f.t.services.admin.users.setLanguage(u.id, lang);
      for (const page of f.pages.filter((p) => !p.foreign)) {
        const res = await get(page.url, who(page.who).cookie);
        assert.equal(res.statusCode, 200, `${page.name}: ${res.statusCode}`);
        assert.match(res.body, new RegExp(`<html lang="${lang}">`), page.name);
        check(res.body, lang, data, page.name);
      }
      for (const { name, res } of await postedPages(lang)) {
        assert.ok(res.statusCode < 500, `${name}: ${res.statusCode}`);
        assert.match(res.body, new RegExp(`<html lang="${lang}">`), name);
        check(res.body, lang, data, name);
      }
      for (const page of await pagesBeforeLogin(f.t)) {
        const res = await get(`${page.url}?lang=${lang}`);
        assert.equal(res.statusCode, 200, page.name);
        check(res.body, lang, data, page.name);
      }
    });
  }

  it('keeps the account’s choice: English after choosing it, on every page, until Dutch is chosen again', async () => {
    const { officer } = f;
    const choose = (language: string) =>
      postForm(f.t, '/admin/account/language', { _csrf: officer.csrf, language }, officer.cookie);
    const chosen = await choose('en');
    assert.equal(chosen.statusCode, 303);
    assert.match(String(chosen.headers['set-cookie']), /inzage_admin_lang=en/, 'the login page will speak it too');
    assert.match((await get('/admin/account?done=language', officer.cookie)).body, /The language is saved/);
    assert.match((await get('/admin', officer.cookie)).body, /<html lang="en">[\s\S]*Open requests/);
    assert.equal((await choose('fr')).statusCode, 400);
    await choose('nl');
    assert.match((await get('/admin', officer.cookie)).body, /<html lang="nl">[\s\S]*Openstaande verzoeken/);
    const entries = await f.t.services.audit.list({ action: 'user.language' });
    assert.ok(entries.length >= 2);
  });

  it('catches an English word on a Dutch page, a Dutch one on an English page, and a status code', () => {
    assert.throws(() => check('<html lang="nl"><body><p>shop: erased</p></body></html>', 'nl', [], 'x'));
    assert.throws(() => check('<html lang="en"><body><p>Het verzoek</p></body></html>', 'en', [], 'x'));
    assert.throws(() => check('<html lang="nl"><body><p>wacht: awaiting_decision</p></body></html>', 'nl', [], 'x'));
    assert.throws(() => check('<html lang="nl"><body><p>mollie: handmatig</p></body></html>', 'nl', [], 'x'));
    assert.doesNotThrow(() =>
      check(
        '<html lang="nl"><body><p>Mollie: <span lang="en">customer deleted</span></p></body></html>',
        'nl',
        [],
        'x',
      ),
    );
  });
});
