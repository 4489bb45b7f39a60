import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { formatProblem, loadYamlFile } from '../config/yaml-file.ts';
import { formatDate, formatRetention, formatTerm, legalBasisLabel } from './labels.ts';
import { LegalBasis, Policy } from './policy.schema.ts';
import { renderPolicy, renderPolicyBody } from './render.ts';
import { escapeMarkdown } from './render-md.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/balkonzon/policy.yaml', import.meta.url));

function loadExample(): Policy {
  const result = loadYamlFile(EXAMPLE, Policy);
  if (!result.ok) assert.fail(result.problems.map(formatProblem).join('\n'));
  return result.value;
}

/** Entities decoded, so the assertions read like the page a person sees. */
function visibleText(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

// Every heading of the seed policy (seed/privacybeleid-balkonzon.txt), minus the empty
// "Externe verkoopkanalen"; "MijnWebwinkel" is shown under the party's real name, MyOnlineStore.
const SEED_HEADINGS_NL = [
  'Over ons privacybeleid',
  'Over de gegevensverwerking',
  'Webwinkelsoftware',
  'Webhosting',
  'E-mail en mailinglijsten',
  'Payment processors',
  'Beoordelingen',
  'Verzenden en logistiek',
  'Facturatie en boekhouden',
  'Doel van de gegevensverwerking',
  'Algemeen doel van de verwerking',
  'Automatisch verzamelde gegevens',
  'Medewerking aan fiscaal en strafrechtelijk onderzoek',
  'Bewaartermijnen',
  'Uw rechten',
  'Inzagerecht',
  'Rectificatierecht',
  'Recht op beperking van de verwerking',
  'Recht op overdraagbaarheid',
  'Recht van bezwaar en overige rechten',
  'Cookies',
  'Google Analytics',
  'Cookies van derde partijen',
  'Wijzigingen in het privacybeleid',
  'Contactgegevens',
  'Contactpersoon voor privacyzaken',
];

const PROCESSORS = [
  'MyOnlineStore',
  'MijnDomein',
  'Office365',
  'Mollie',
  'WebwinkelKeur',
  'Jos Heeren Transport',
  'PostNL',
  'DHL',
  'MoneyBird',
  'Google Analytics',
];

const CONTACT = [
  'Balkonzon b.v.',
  'Enrico De Vries',
  'enrico@balkonzon.nl',
  'Blaublomke 1',
  '8401MG Gorredijk',
  'Nederland',
  '(051) 322-1283',
  'https://balkonzon.nl',
];

function headingsOf(html: string): string[] {
  return [...html.matchAll(/<h[1-4][^>]*>([^<]*)<\/h[1-4]>/g)].map((m) => visibleText(m[1] ?? ''));
}

describe('the Balkonzon example policy', () => {
  it('validates against the policy schema', () => {
    const policy = loadExample();
    assert.equal(policy.version, '2026-11-01');
    assert.equal(policy.processors.length, 10);
  });

  it('keeps every category under a retention rule', () => {
    const policy = loadExample();
    const kept = new Set(policy.retention.rules.flatMap((r) => r.categories));
    assert.deepEqual(
      policy.categories.map((c) => c.id).filter((id) => !kept.has(id)),
      [],
    );
  });
});

describe('renderPolicy as Dutch HTML', () => {
  const html = renderPolicy(loadExample(), { lang: 'nl', format: 'html' });
  const text = visibleText(html);

  it('is a complete standalone page without scripts or external resources', () => {
    assert.match(html, /^<!doctype html>\n<html lang="nl">/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1"\/>/);
    assert.match(html, /<style>/);
    assert.doesNotMatch(html, /<script|<link|src=/i);
  });

  it('shows every section heading of the seed policy, in the seed order', () => {
    const headings = headingsOf(html);
    let last = -1;
    for (const heading of SEED_HEADINGS_NL) {
      const at = headings.indexOf(heading, last + 1);
      assert.ok(at > last, `heading "${heading}" missing or out of order`);
      last = at;
    }
  });

  it('leaves out the empty heading and the template text the seed still had', () => {
    assert.doesNotMatch(text, /Externe verkoopkanalen|VOORBEELD|\[AANBIEDER\]/);
    assert.doesNotMatch(text, /zijn geen persoonsgegevens|Dit zijn geen persoonsgegevens/);
  });

  it('names all ten parties', () => {
    for (const name of PROCESSORS) assert.ok(headingsOf(html).includes(name), name);
  });

  it('gives the title, version, effective date, answer time and contact details', () => {
    assert.ok(text.includes('<h1>Privacybeleid Balkonzon b.v.</h1>'));
    assert.ok(text.includes('Versie 2026-11-01'));
    assert.ok(text.includes('1 november 2026'));
    assert.ok(text.includes('binnen 30 dagen'));
    for (const detail of CONTACT) assert.ok(text.includes(detail), detail);
  });

  it('states the right to erasure and retention terms in words', () => {
    assert.ok(text.includes('Recht op vergetelheid'));
    assert.ok(text.includes('2 jaar na het laatste contactmoment of de laatste transactie'));
    // AWR art. 52(4): from the end of the financial year, not from the invoice's own date.
    assert.ok(
      text.includes(
        '7 jaar na het einde van het boekjaar waarin de factuur is opgemaakt (ons boekjaar eindigt op 31 december)',
      ),
    );
  });

  it('no longer claims that Office365 has no access to the mailbox, and says Inzage reads it', () => {
    assert.doesNotMatch(text, /geen toegang tot ons postvak/);
    assert.ok(text.includes('Microsoft Graph'));
  });

  it('says per category whether it must be provided and what follows if not (Art. 13(2)(e))', () => {
    assert.ok(headingsOf(html).includes('Moet u deze gegevens geven?'));
    assert.match(
      text,
      /<td>Contactgegevens<\/td><td>Nodig om de overeenkomst te sluiten<\/td><td>Zonder uw naam, adres en e-mailadres/,
    );
    assert.match(text, /<td>Analysegegevens<\/td><td>Niet verplicht<\/td>/);
    assert.match(text, /<td>Factuurgegevens<\/td><td>Wettelijk verplicht<\/td>/);
  });

  it('names WebwinkelKeur as the source of reviews (Art. 14(2)(f))', () => {
    assert.ok(headingsOf(html).includes('Waar de gegevens vandaan komen'));
    assert.match(
      text,
      /<td>Beoordelingen<\/td><td>Van een andere partij: WebwinkelKeur, waar u de beoordeling schreef/,
    );
  });

  it('describes Mollie and Google as processors that are controllers for a purpose of their own', () => {
    const mollie = text.split('<h4>Mollie</h4>')[1]!.split('<h4>')[0]!;
    assert.ok(mollie.includes('verwerker, en voor een eigen doel zelfstandig verwerkingsverantwoordelijke'));
    assert.ok(mollie.includes('Zelf verantwoordelijk voor'));
    assert.ok(mollie.includes('Wwft'));
    assert.ok(mollie.includes('href="https://www.mollie.com/privacy"'));
    const google = text.split('<h3>Google Analytics</h3>')[1]!;
    assert.ok(google.includes('eigen doeleinden van Google'));
    const postnl = text.split('<h4>PostNL</h4>')[1]!.split('<h4>')[0]!;
    assert.ok(postnl.includes('zelfstandig verwerkingsverantwoordelijke'));
  });

  it('says that no decision is taken by automated means alone', () => {
    assert.ok(text.includes('Geautomatiseerde besluiten'));
    assert.ok(text.includes('alleen op geautomatiseerde verwerking berusten'));
  });

  it('lists the Google Analytics cookies with their lifetime and the transfer safeguard', () => {
    assert.match(text, /<td>_ga<\/td><td>Google<\/td><td>[^<]+<\/td><td>2 jaar<\/td>/);
    assert.ok(html.includes('<td>_ga_&lt;container-id></td>'));
    assert.ok(text.includes('EU-VS-gegevensprivacykader'));
  });
});

describe('renderPolicy in English', () => {
  const policy = loadExample();

  it('uses English headings and dates in HTML', () => {
    const html = renderPolicy(policy, { lang: 'en', format: 'html' });
    assert.match(html, /<html lang="en">/);
    const headings = headingsOf(html);
    for (const heading of [
      'Privacy policy Balkonzon b.v.',
      'About our privacy policy',
      'About the processing of your data',
      'Purpose of the processing',
      'Retention periods',
      'Your rights',
      'Right to erasure',
      'Changes to the privacy policy',
      'Contact details',
      'Contact person for privacy matters',
    ]) {
      assert.ok(headings.includes(heading), heading);
    }
    assert.ok(html.includes('1 November 2026'));
    assert.ok(html.includes('within 30 days'));
    for (const words of [
      'Must you provide this data?',
      'Required to enter into the contract',
      'From another party: WebwinkelKeur',
      'processor, and an independent controller for a purpose of its own',
      'based solely on automated processing',
    ]) {
      assert.ok(visibleText(html).includes(words), words);
    }
  });

  it('writes the same sections as Markdown', () => {
    const md = renderPolicy(policy, { lang: 'en', format: 'md' });
    assert.match(md, /^# Privacy policy Balkonzon b\.v\.\n/);
    assert.match(md, /^## Your rights$/m);
    assert.match(md, /^\| Name \| Provider \| Purpose \| Lifetime \|$/m);
    assert.ok(
      md.includes(
        '7 years after the end of the financial year in which the invoice was issued (our financial year ends on 31 December)',
      ),
    );
  });
});

describe('renderPolicy as Dutch Markdown', () => {
  const md = renderPolicy(loadExample(), { lang: 'nl', format: 'md' });

  it('has every seed heading as a Markdown heading', () => {
    const headings = [...md.matchAll(/^#{1,4} (.*)$/gm)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
    for (const heading of SEED_HEADINGS_NL) assert.ok(headings.includes(heading), heading);
  });

  it('has the purposes, retention and cookie tables and the answer time', () => {
    assert.match(md, /^\| Doel \| Grondslag \| Gegevens \|$/m);
    assert.match(md, /^\| Gegevens \| Bewaartermijn \| Toelichting \|$/m);
    assert.match(md, /^\| \\_ga \| Google \| .+ \| 2 jaar \|$/m);
    assert.ok(md.includes('binnen 30 dagen'));
    assert.ok(md.includes('[enrico@balkonzon.nl](mailto:enrico@balkonzon.nl)'));
  });
});

describe('escaping', () => {
  const hostile = (): Policy => {
    const policy = loadExample();
    policy.introduction.text.nl = 'Hallo <script>alert("x")</script> | *vet*';
    policy.controller.name = 'Evil <img src=x onerror=alert(1)>';
    policy.rights.complaintAuthority.website = 'javascript:alert(1)';
    return policy;
  };

  it('escapes policy text in HTML', () => {
    const html = renderPolicy(hostile(), { lang: 'nl', format: 'html' });
    assert.doesNotMatch(html, /<script|<img/);
    assert.ok(html.includes('Hallo &lt;script>alert(&quot;x&quot;)&lt;/script> | *vet*'));
    assert.doesNotMatch(html, /href="javascript:/);
  });

  it('escapes policy text in Markdown', () => {
    const md = renderPolicy(hostile(), { lang: 'nl', format: 'md' });
    assert.ok(md.includes('Hallo \\<script\\>alert("x")\\</script\\> \\| \\*vet\\*'));
    assert.doesNotMatch(md, /\]\(javascript:/);
  });

  it('escapes a table pipe and line-start markup in Markdown text', () => {
    assert.equal(escapeMarkdown('a | b'), 'a \\| b');
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
  });
});

describe('renderPolicyBody', () => {
  it('returns the content without the page around it, for embedding', () => {
    const fragment = renderToStaticMarkup(renderPolicyBody(loadExample(), 'nl'));
    assert.match(fragment, /^<article class="policy">/);
    assert.doesNotMatch(fragment, /<html|<style/);
  });
});

describe('labels', () => {
  it('names all six legal bases in Dutch and English', () => {
    for (const basis of LegalBasis.options) {
      assert.ok(legalBasisLabel(basis, 'nl').length > 0);
      assert.ok(legalBasisLabel(basis, 'en').length > 0);
    }
    assert.equal(legalBasisLabel('legitimate-interests', 'nl'), 'Gerechtvaardigd belang');
  });

  it('writes terms and dates in words', () => {
    assert.equal(formatTerm({ years: 1, months: 6 }, 'nl'), '1 jaar en 6 maanden');
    assert.equal(formatTerm({ days: 1 }, 'en'), '1 day');
    assert.equal(formatDate('2026-11-01', 'nl'), '1 november 2026');
    assert.equal(formatDate('2023-03-06', 'en'), '6 March 2023');
    assert.equal(
      formatRetention({ whileClient: false, term: { years: 7 }, from: 'issued' }, 'nl'),
      '7 jaar vanaf de factuurdatum',
    );
  });

  it("says a fiscal term counts from the end of the controller's financial year, in both languages", () => {
    const fiscal = { whileClient: false, term: { years: 7 }, from: 'issued', until: 'end-of-financial-year' } as const;
    assert.equal(
      formatRetention(fiscal, 'nl', '06-30'),
      '7 jaar na het einde van het boekjaar waarin de factuur is opgemaakt (ons boekjaar eindigt op 30 juni)',
    );
    assert.equal(
      formatRetention(fiscal, 'en', '02-29'),
      '7 years after the end of the financial year in which the invoice was issued (our financial year ends on the last day of February)',
    );
  });
});
