import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateTime, type MailData, type MailTemplate, renderMail } from './templates.ts';

const ctx = { shopName: 'Balkonzon', privacyEmail: 'privacy@balkonzon.nl', baseUrl: 'https://privacy.balkonzon.nl' };
const LINK = 'https://privacy.balkonzon.nl/r/verify/Q2hhbmdlIHRoaXMgdG9rZW4gcGxlYXNlIQ';
const DOWNLOAD = 'https://privacy.balkonzon.nl/r/download/ZGlzIGlzIGVlbiBkb3dubG9hZA';

/** One sample of every template's data. */
const SAMPLES: { [T in MailTemplate]: MailData[T] } = {
  verify: { type: 'access', link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
  'awaiting-identity': { type: 'portability' },
  'access-ready': {
    type: 'access',
    link: DOWNLOAD,
    expiresAt: '2026-11-15T09:00:00.000Z',
    maxDownloads: 5,
    records: 42,
    processors: ['Mollie', 'Sendcloud'],
  },
  'no-data': { type: 'access' },
  rectified: { fields: ['adres', 'telefoonnummer'] },
  'rectification-received': { fields: ['Achternaam', 'Straat'], dueAt: '2026-12-01T09:00:00.000Z' },
  restricted: {},
  'access-part-ready': { processor: 'Mollie', link: DOWNLOAD, expiresAt: '2026-11-15T09:00:00.000Z' },
  'access-posted': { postedAt: '2026-11-03T10:00:00.000Z' },
  'restriction-lifted': { liftsAt: '2026-11-08T09:00:00.000Z' },
  'objection-received': { purposes: ['Technische werking, beveiliging en verbetering van de website'] },
  'objection-honoured': { purposes: ['Op een later moment contact met u opnemen, anders dan op uw verzoek'] },
  'objection-upheld': { purposes: ['Technische werking, beveiliging en verbetering van de website'], erased: 3 },
  'objection-rejected': {
    reason: 'Wij hebben een dwingend gerechtvaardigd belang.',
    purposes: ['Technische werking, beveiliging en verbetering van de website'],
    liftsAt: '2026-11-08T09:00:00.000Z',
  },
  erased: {
    erased: [{ what: 'klantaccount', count: 1 }],
    retained: [
      { what: 'facturen', until: '2034-01-01', why: 'fiscale bewaarplicht' },
      { what: 'moneybird.contacts', why: 'archief van de boekhouding' },
    ],
    pendingProcessors: [{ name: 'Sendcloud', dueAt: '2026-12-01' }],
  },
  rejected: { type: 'erasure', reason: 'Er loopt een geschil.' },
  extended: { type: 'access', reason: 'Veel verzoeken tegelijk.', dueAt: '2027-01-31' },
  completed: { type: 'erasure' },
  'officer-reminder': {
    dueSoon: [{ id: 'req-1', type: 'access', dueAt: '2026-11-20' }],
    overdue: [{ id: 'req-2', type: 'erasure', dueAt: '2026-10-30' }],
    openTasks: 2,
    adminUrl: 'https://privacy.balkonzon.nl/admin',
  },
  'consent-withdraw-verify': { link: LINK, expiresAt: '2026-11-03T09:00:00.000Z' },
  'consent-withdrawn': { purposes: ['Op een later moment contact met u opnemen'] },
  'policy-changed': {
    version: 2,
    effectiveAt: '2026-12-01T00:00:00.000Z',
    changes: [
      {
        area: 'processor',
        action: 'added',
        id: 'trustpilot',
        name: { nl: 'Trustpilot', en: 'Trustpilot' },
        material: true,
        fields: [{ field: 'categories', added: ['review'], removed: [] }],
        categories: ['review'],
      },
    ],
    names: { review: { nl: 'Beoordelingen', en: 'Reviews' } },
  },
  'retention-reminder': { withinDays: 28, term: { years: 2 }, shopUrl: 'https://balkonzon.nl' },
  'scan-findings': {
    at: '2026-11-20T05:00:00.000Z',
    findings: [
      {
        kind: 'cookie-before-consent',
        severity: 'error',
        name: '_fbp',
        host: 'balkonzon.nl',
        page: 'https://balkonzon.nl/',
        pass: 'no-choice',
      },
    ],
    errors: 3,
    adminUrl: 'https://privacy.balkonzon.nl/admin',
  },
};

/** The text with its line breaks undone, so that sentences can be matched across the wrapping. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

const render = <T extends MailTemplate>(t: T, lang: 'nl' | 'en', data: MailData[T]) => renderMail(t, lang, data, ctx);

describe('mail templates', () => {
  for (const template of Object.keys(SAMPLES) as MailTemplate[]) {
    it(`renders ${template} in Dutch and in English with a subject, text, HTML and its links`, () => {
      const nl = render(template, 'nl', SAMPLES[template]);
      const en = render(template, 'en', SAMPLES[template]);
      for (const mail of [nl, en]) {
        assert.ok(mail.subject.length > 5);
        assert.ok(
          mail.text.startsWith(template === 'officer-reminder' ? '' : mail.subject),
          'the text opens with the subject',
        );
        assert.match(mail.html, /^<!doctype html><html lang="(nl|en)">/);
        assert.doesNotMatch(mail.html, /<script|<img/i);
        for (const url of mail.links) {
          assert.ok(mail.text.includes(url), `${url} is in the text`);
          assert.ok(mail.html.includes(`href="${url.replaceAll('&', '&amp;')}"`), `${url} is a link in the HTML`);
        }
      }
      assert.notEqual(nl.subject, en.subject);
      assert.match(nl.html, /<html lang="nl">/);
      assert.match(en.html, /<html lang="en">/);
    });
  }

  it('puts the confirmation link first and says it is valid for 48 hours', () => {
    const nl = render('verify', 'nl', SAMPLES.verify);
    assert.deepEqual(nl.links, [LINK]);
    assert.equal(nl.subject, 'Bevestig uw verzoek om inzage');
    assert.match(flat(nl.text), /48 uur geldig, tot 3 november 2026 om 10:00/);
    assert.match(flat(nl.text), /negeren/);
    const en = render('verify', 'en', SAMPLES.verify);
    assert.match(flat(en.text), /valid for 48 hours, until 3 November 2026 at 10:00/);
  });

  it('writes the same verification mail byte for byte, whoever the address belongs to', () => {
    // The template takes no data about the person: nothing in it can tell a customer from a stranger.
    const a = render('verify', 'nl', { ...SAMPLES.verify });
    const b = render('verify', 'nl', { type: 'access', link: LINK, expiresAt: new Date('2026-11-03T09:00:00.000Z') });
    assert.equal(a.subject, b.subject);
    assert.equal(a.text, b.text);
    assert.equal(a.html, b.html);
  });

  it('escapes a script in a reason in the HTML version', () => {
    const reason = 'Nee. <script>alert("x")</script> & meer';
    for (const t of ['rejected', 'objection-rejected', 'extended'] as const) {
      const mail = render(t, 'nl', { ...SAMPLES[t], reason } as MailData[typeof t]);
      assert.ok(!mail.html.includes('<script>'));
      assert.ok(mail.html.includes('&lt;script>') || mail.html.includes('&lt;script&gt;'));
      assert.ok(mail.text.includes(reason));
    }
  });

  it('tells a person told "no" about the Autoriteit Persoonsgegevens', () => {
    for (const t of ['rejected', 'objection-rejected'] as const) {
      const nl = render(t, 'nl', SAMPLES[t]);
      assert.match(flat(nl.text), /klacht indienen bij de Autoriteit Persoonsgegevens/);
      assert.ok(nl.links.includes('https://autoriteitpersoonsgegevens.nl'));
      const en = render(t, 'en', SAMPLES[t]);
      assert.match(flat(en.text), /complaint with the Autoriteit Persoonsgegevens/);
    }
    const other = renderMail('rejected', 'nl', SAMPLES.rejected, {
      ...ctx,
      complaintAuthority: {
        name: 'Gegevensbeschermingsautoriteit',
        website: 'https://www.gegevensbeschermingsautoriteit.be',
      },
    });
    assert.match(flat(other.text), /Gegevensbeschermingsautoriteit/);
  });

  it('lists the download terms, the files in the zip and the processors', () => {
    const nl = render('access-ready', 'nl', SAMPLES['access-ready']);
    assert.equal(nl.links[0], DOWNLOAD);
    assert.match(flat(nl.text), /hoogstens 5 keer/);
    assert.match(flat(nl.text), /15 november 2026 om 10:00/);
    for (const word of ['data.json', 'CSV', 'index.html', 'Mollie', 'Sendcloud', '42 records']) {
      assert.ok(flat(nl.text).includes(word), word);
    }
  });

  it('says what was erased, what is kept until when and why, and who is still being asked', () => {
    const nl = render('erased', 'nl', SAMPLES.erased);
    assert.match(flat(nl.text), /klantaccount: 1/);
    assert.match(flat(nl.text), /facturen, tot en met 31 december 2033: fiscale bewaarplicht/);
    assert.match(flat(nl.text), /Sendcloud, uiterlijk 1 december 2026/);
  });

  it('says what a processor keeps without a date: until its own term ends', () => {
    const nl = flat(render('erased', 'nl', SAMPLES.erased).text);
    assert.match(
      nl,
      /moneybird\.contacts, tot de eigen bewaartermijn van de verwerker afloopt: archief van de boekhouding/,
    );
    const en = flat(render('erased', 'en', SAMPLES.erased).text);
    assert.match(en, /moneybird\.contacts, until the processor's own term ends: archief van de boekhouding/);
    assert.match(en, /facturen, up to and including 31 December 2033: fiscale bewaarplicht/);
  });

  it('answers "wij verwerken geen gegevens over u" as a complete answer', () => {
    const nl = render('no-data', 'nl', SAMPLES['no-data']);
    assert.equal(nl.subject, 'Wij verwerken geen gegevens over u');
    assert.match(flat(nl.text), /volledige antwoord/);
  });

  it('says processing is restricted pending the objection, and names the purposes in words', () => {
    const text = flat(render('objection-received', 'nl', SAMPLES['objection-received']).text);
    assert.match(text, /In afwachting van ons besluit hebben wij de verwerking van uw gegevens direct beperkt/);
    assert.match(text, /Technische werking, beveiliging en verbetering van de website/);
  });

  it('tells the person when a lifted restriction ends, before it does (Art. 18(3))', () => {
    const text = flat(render('restriction-lifted', 'nl', SAMPLES['restriction-lifted']).text);
    assert.match(text, /geldt nog tot 8 november 2026 om 10:00/);
  });

  it('names every type of request in Dutch', () => {
    const names = {
      access: 'inzage',
      portability: 'overdracht',
      rectification: 'correctie',
      restriction: 'beperking',
      objection: 'bezwaar',
      erasure: 'verwijdering',
      closure: 'account op te zeggen',
    } as const;
    for (const [type, word] of Object.entries(names)) {
      const mail = render('completed', 'nl', { type: type as keyof typeof names });
      assert.ok(mail.subject.includes(word), `${type}: ${mail.subject}`);
    }
  });

  it('gives the officer ids and types only, with the admin link', () => {
    const nl = render('officer-reminder', 'nl', SAMPLES['officer-reminder']);
    assert.match(nl.subject, /1 verzoek over de termijn, 1 binnen 7 dagen/);
    assert.match(flat(nl.text), /req-2: verwijdering, uiterlijk 30 oktober 2026/);
    assert.deepEqual(nl.links, ['https://privacy.balkonzon.nl/admin']);
  });

  it('refuses a template it does not know, by name', () => {
    assert.throws(() => renderMail('welcome' as MailTemplate, 'nl', {} as never, ctx), /MAIL_TEMPLATE_UNKNOWN/);
  });

  it('writes times in Amsterdam time, summer and winter', () => {
    assert.equal(formatDateTime('2026-11-28T13:03:00Z', 'nl'), '28 november 2026 om 14:03');
    assert.equal(formatDateTime('2026-07-01T22:30:00Z', 'en'), '2 July 2026 at 00:30');
    assert.equal(formatDateTime('2026-03-29T00:59:00Z', 'nl'), '29 maart 2026 om 01:59');
    assert.equal(formatDateTime('2026-03-29T01:00:00Z', 'nl'), '29 maart 2026 om 03:00');
    assert.equal(formatDateTime('2026-10-25T00:59:00Z', 'nl'), '25 oktober 2026 om 02:59');
    assert.equal(formatDateTime('2026-10-25T01:00:00Z', 'nl'), '25 oktober 2026 om 02:00');
  });
});
