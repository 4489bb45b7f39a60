import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { type Finding, LINT_RULES, type LintOptions, lintPolicy, lintPolicyFile, lintPolicyText } from './lint.ts';
import { findNotPersonalDataClaim, findTemplateText } from './lint-text.ts';
import { Policy, type PolicyInput } from './policy.schema.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/policy/${name}`, import.meta.url));
const MINIMAL = parse(readFileSync(fixture('valid-minimal.yaml'), 'utf8')) as PolicyInput;

/** Lints a deep copy of the minimal policy after `mutate`, written out and loaded as YAML so lines are known. */
function lintVariant(mutate: (p: PolicyInput) => void = () => {}, options?: LintOptions) {
  const copy = structuredClone(MINIMAL);
  mutate(copy);
  const text = stringify(copy);
  return { text, ...lintPolicyText(text, 'variant.yaml', options) };
}

interface Case {
  rule: string;
  does: string;
  mutate: (p: PolicyInput) => void;
  path: string;
  severity?: Finding['severity'];
  /** Text expected on the line the finding points at. */
  lineHas?: string;
  options?: LintOptions;
}

const longText = (nl: string, en = 'English text.') => ({ nl, en });

/** One defect per case: the minimal policy with it has the finding; without it, it does not. */
const CASES: Case[] = [
  // template-text
  {
    rule: 'template-text',
    does: 'finds VOORBEELD in a text',
    mutate: (p) => {
      p.introduction.text = longText('VOORBEELD: Wij verwerken gegevens.');
    },
    path: 'introduction.text.nl',
    lineHas: 'VOORBEELD',
  },
  {
    rule: 'template-text',
    does: 'finds an [AANBIEDER] placeholder in a processor description',
    mutate: (p) => {
      p.processors[0]!.description = longText('Wij delen uw adres met [AANBIEDER].');
    },
    path: 'processors[0].description.nl',
    lineHas: '[AANBIEDER]',
  },
  {
    rule: 'template-text',
    does: 'finds TODO in an English text',
    mutate: (p) => {
      p.changes.text = longText('Wij mailen u.', 'TODO translate');
    },
    path: 'changes.text.en',
    lineHas: 'TODO',
  },
  // empty-section
  {
    rule: 'empty-section',
    does: 'reports a processing section with no parties and no text',
    mutate: (p) => {
      p.processing.sections.push({
        id: 'external-sales',
        title: { nl: 'Externe verkoopkanalen', en: 'External sales channels' },
      });
    },
    path: 'processing.sections[1]',
    lineHas: 'external-sales',
  },
  {
    rule: 'empty-section',
    does: 'reports an introduction whose English is only whitespace',
    mutate: (p) => {
      p.introduction.text.en = '   ';
    },
    path: 'introduction.text.en',
    lineHas: 'en:',
  },
  {
    rule: 'empty-section',
    does: 'reports a right with an empty text',
    mutate: (p) => {
      p.rights.items[0]!.text = { nl: '', en: '' };
    },
    path: 'rights.items[0].text',
    lineHas: 'nl: ""',
  },
  // missing-translation
  {
    rule: 'missing-translation',
    does: 'reports a category name without English',
    mutate: (p) => {
      p.categories[0]!.name.en = '';
    },
    path: 'categories[0].name.en',
    severity: 'warning',
    lineHas: 'en:',
  },
  // processor-incomplete
  {
    rule: 'processor-incomplete',
    does: 'reports a processor without categories',
    mutate: (p) => {
      p.processors[0]!.categories = [];
    },
    path: 'processors[0].categories',
    lineHas: 'categories',
  },
  {
    rule: 'processor-incomplete',
    does: 'reports a processor without a purpose',
    mutate: (p) => {
      delete p.processors[0]!.purpose;
    },
    path: 'processors[0].purpose',
    lineHas: 'shop-host',
  },
  {
    rule: 'processor-incomplete',
    does: 'reports a processor without an agreement under Art. 28(3)',
    mutate: (p) => {
      delete p.processors[0]!.agreement;
    },
    path: 'processors[0].agreement',
    lineHas: 'shop-host',
  },
  {
    rule: 'processor-incomplete',
    does: 'reports an agreement with status none as an error',
    mutate: (p) => {
      p.processors[0]!.agreement = { status: 'none' };
    },
    path: 'processors[0].agreement.status',
    lineHas: 'none',
  },
  {
    rule: 'processor-incomplete',
    does: 'reports a pending agreement as a warning',
    mutate: (p) => {
      p.processors[0]!.agreement = { status: 'pending' };
    },
    path: 'processors[0].agreement.status',
    severity: 'warning',
    lineHas: 'pending',
  },
  {
    rule: 'processor-incomplete',
    does: 'asks an independent controller for categories',
    mutate: (p) => {
      Object.assign(p.processors[0]!, { role: 'controller', categories: [] });
      delete p.processors[0]!.agreement;
    },
    path: 'processors[0].categories',
  },
  // transfer-without-safeguard
  {
    rule: 'transfer-without-safeguard',
    does: 'reports a US processor without a safeguard',
    mutate: (p) => {
      delete p.processors[1]!.transferSafeguard;
    },
    path: 'processors[1].locations[1]',
    lineHas: 'US',
  },
  {
    rule: 'transfer-without-safeguard',
    does: 'reports the cookie service that sends data through that processor',
    mutate: (p) => {
      delete p.processors[1]!.transferSafeguard;
    },
    path: 'cookies.services[0].processor',
    lineHas: 'analytics-vendor',
  },
  {
    rule: 'transfer-without-safeguard',
    does: 'treats Switzerland as outside the EEA',
    mutate: (p) => {
      p.processors[0]!.locations = ['NL', 'CH'];
    },
    path: 'processors[0].locations[1]',
    lineHas: 'CH',
  },
  // transfer-safeguard-mismatch
  {
    rule: 'transfer-safeguard-mismatch',
    does: 'warns when adequacy is claimed for the US',
    mutate: (p) => {
      p.processors[1]!.transferSafeguard = { mechanism: 'adequacy' };
    },
    path: 'processors[1].transferSafeguard.mechanism',
    severity: 'warning',
    lineHas: 'adequacy',
  },
  // unknown-reference
  {
    rule: 'unknown-reference',
    does: 'reports a purpose naming an undefined category',
    mutate: (p) => {
      p.purposes.items[0]!.categories!.push('health');
    },
    path: 'purposes.items[0].categories[2]',
    lineHas: 'health',
  },
  {
    rule: 'unknown-reference',
    does: 'reports a section naming an undefined processor',
    mutate: (p) => {
      p.processing.sections[0]!.processors!.push('postnl');
    },
    path: 'processing.sections[0].processors[1]',
    lineHas: 'postnl',
  },
  {
    rule: 'unknown-reference',
    does: 'reports a cookie service in an undefined cookie category',
    mutate: (p) => {
      p.cookies.services![0]!.category = 'marketing';
    },
    path: 'cookies.services[0].category',
    lineHas: 'marketing',
  },
  {
    rule: 'unknown-reference',
    does: 'reports a duplicate category id',
    mutate: (p) => {
      p.categories.push({ id: 'contact', name: { nl: 'Nog eens', en: 'Again' } });
    },
    path: 'categories[3].id',
    lineHas: 'contact',
  },
  {
    rule: 'unknown-reference',
    does: 'reports a legal hold the data map does not define',
    mutate: (p) => {
      p.retention.rules[1]!.legalHold = 'fiscal-10y';
    },
    path: 'retention.rules[1].legalHold',
    lineHas: 'fiscal-10y',
    options: { legalHolds: ['fiscal'] },
  },
  // processor-not-listed
  {
    rule: 'processor-not-listed',
    does: 'warns about a processor shown in no section',
    mutate: (p) => {
      p.processing.sections[0]!.text = longText('Wij gebruiken eigen software.', 'We use our own software.');
      p.processing.sections[0]!.processors = [];
    },
    path: 'processors[0].id',
    severity: 'warning',
    lineHas: 'shop-host',
  },
  // controller-contact
  {
    rule: 'controller-contact',
    does: 'reports an address without a city',
    mutate: (p) => {
      p.controller.address.city = ' ';
    },
    path: 'controller.address.city',
    lineHas: 'city',
  },
  // category-without-retention, category-without-purpose
  {
    rule: 'category-without-retention',
    does: 'reports a category no retention rule covers',
    mutate: (p) => {
      p.categories.push({ id: 'reviews', name: { nl: 'Reviews', en: 'Reviews' } });
      p.purposes.items[0]!.categories!.push('reviews');
    },
    path: 'categories[3].id',
    lineHas: 'reviews',
  },
  {
    rule: 'category-without-purpose',
    does: 'warns about a category no purpose uses',
    mutate: (p) => {
      p.purposes.items[2]!.categories = [];
    },
    path: 'categories[2].id',
    severity: 'warning',
    lineHas: 'usage',
  },
  // retention
  {
    rule: 'retention-without-term',
    does: 'reports a rule with neither whileClient nor a term',
    mutate: (p) => {
      delete p.retention.rules[2]!.term;
    },
    path: 'retention.rules[2]',
    lineHas: 'statistics',
  },
  {
    rule: 'retention-without-term',
    does: 'reports a legal hold without a term',
    mutate: (p) => {
      p.retention.rules[0]!.legalHold = 'fiscal';
      delete p.retention.rules[0]!.term;
      delete p.retention.rules[0]!.from;
    },
    path: 'retention.rules[0].legalHold',
    lineHas: 'fiscal',
  },
  {
    rule: 'retention-without-executor',
    does: 'warns about a term that no executor enforces (counted from creation)',
    mutate: (p) => {
      p.retention.rules[2]!.from = 'created';
    },
    path: 'retention.rules[2]',
    severity: 'warning',
    lineHas: 'statistics',
  },
  {
    rule: 'retention-without-executor',
    does: 'warns about an invoice term without a legal hold: nothing destroys invoices then',
    mutate: (p) => {
      delete p.retention.rules[1]!.legalHold;
      delete p.retention.rules[1]!.until;
    },
    path: 'retention.rules[1]',
    severity: 'warning',
    lineHas: 'invoices',
  },
  {
    rule: 'fiscal-hold-from-record-date',
    does: 'warns about a fiscal hold counted from the record date instead of the end of the financial year',
    mutate: (p) => {
      delete p.retention.rules[1]!.until;
    },
    path: 'retention.rules[1].term',
    severity: 'warning',
    lineHas: 'years: 7',
  },
  {
    rule: 'retention-term-without-start',
    does: 'warns about a term that says not where it starts',
    mutate: (p) => {
      delete p.retention.rules[2]!.from;
    },
    path: 'retention.rules[2].term',
    severity: 'warning',
    lineHas: 'months: 14',
  },
  // purposes
  {
    rule: 'purpose-without-legal-basis',
    does: 'reports a purpose without a legal basis',
    mutate: (p) => {
      delete p.purposes.items[0]!.legalBasis;
    },
    path: 'purposes.items[0].legalBasis',
    lineHas: 'fulfil-orders',
  },
  {
    rule: 'purpose-without-legal-basis',
    does: 'warns about legitimate interests that are not named',
    mutate: (p) => {
      p.purposes.items[2]!.legalBasis = 'legitimate-interests';
    },
    path: 'purposes.items[2].legalBasisNote',
    severity: 'warning',
    lineHas: 'statistics',
  },
  {
    rule: 'purpose-without-categories',
    does: 'warns about a purpose with no data categories',
    mutate: (p) => {
      p.purposes.items[1]!.categories = [];
    },
    path: 'purposes.items[1].categories',
    severity: 'warning',
    lineHas: 'categories',
  },
  {
    rule: 'special-category-without-basis',
    does: 'reports special-category data under a contract basis',
    mutate: (p) => {
      p.categories[1]!.special = true;
    },
    path: 'purposes.items[0].legalBasis',
    lineHas: 'contract',
  },
  // rights
  {
    rule: 'answer-time-too-long',
    does: 'reports a promised answer time beyond one month',
    mutate: (p) => {
      p.rights.answerWithinDays = 45;
    },
    path: 'rights.answerWithinDays',
    lineHas: '45',
  },
  {
    rule: 'answer-time-too-long',
    does: 'reports 31 days: one month from 31 March ends on 30 April',
    mutate: (p) => {
      p.rights.answerWithinDays = 31;
    },
    path: 'rights.answerWithinDays',
    lineHas: '31',
  },
  {
    rule: 'answer-time-too-long',
    does: 'warns about 30 days: February is shorter and the month applies then',
    mutate: (p) => {
      p.rights.answerWithinDays = 30;
    },
    path: 'rights.answerWithinDays',
    severity: 'warning',
    lineHas: '30',
  },
  {
    rule: 'answer-time-too-long',
    does: 'warns about 29 days: one month from 31 January ends on 28 February in a common year',
    mutate: (p) => {
      p.rights.answerWithinDays = 29;
    },
    path: 'rights.answerWithinDays',
    severity: 'warning',
    lineHas: '29',
  },
  {
    rule: 'answer-time-too-long',
    does: 'reports a right text promising an answer within 6 weeks',
    mutate: (p) => {
      p.rights.items[0]!.text.nl = 'U krijgt binnen 6 weken antwoord.';
    },
    path: 'rights.items[0].text.nl',
    lineHas: '6 weken',
  },
  {
    rule: 'answer-time-too-long',
    does: 'reports an English text promising an answer within 60 days',
    mutate: (p) => {
      p.rights.items[1]!.text.en = 'We answer within 60 days.';
    },
    path: 'rights.items[1].text.en',
    lineHas: '60 days',
  },
  {
    rule: 'answer-time-mismatch',
    does: 'warns when a text promises other days than answerWithinDays',
    mutate: (p) => {
      p.rights.intro.nl = 'Wij reageren binnen 21 dagen.';
    },
    path: 'rights.intro.nl',
    severity: 'warning',
    lineHas: '21 dagen',
  },
  {
    rule: 'missing-right',
    does: 'warns when the right to erasure is not described',
    mutate: (p) => {
      p.rights.items.splice(2, 1);
    },
    path: 'rights.items',
    severity: 'warning',
    lineHas: 'right: access',
  },
  // ip-not-personal-data, not-personal-data-claim
  {
    rule: 'ip-not-personal-data',
    does: 'reports a category with IP addresses marked as not personal data',
    mutate: (p) => {
      p.categories[2]!.personalData = false;
    },
    path: 'categories[2].personalData',
    lineHas: 'personalData',
  },
  {
    rule: 'ip-not-personal-data',
    does: 'reports the Dutch claim that an IP address is not personal data',
    mutate: (p) => {
      p.introduction.text.nl =
        'Deze gegevens (bijvoorbeeld uw IP-adres, webbrowser en besturingssysteem) zijn geen persoonsgegevens.';
    },
    path: 'introduction.text.nl',
    lineHas: 'nl:',
  },
  {
    rule: 'ip-not-personal-data',
    does: 'reports the English claim that IP addresses are not personal data',
    mutate: (p) => {
      p.introduction.text.en = 'We log IP addresses. These are not personal data.';
    },
    path: 'introduction.text.en',
    lineHas: 'IP addresses',
  },
  {
    rule: 'not-personal-data-claim',
    does: 'warns about metadata said not to be personal data',
    mutate: (p) => {
      p.processors[0]!.description = longText(
        'Wel kan deze partij metagegevens verzamelen. Dit zijn geen persoonsgegevens.',
        'It may collect metadata.',
      );
    },
    path: 'processors[0].description.nl',
    severity: 'warning',
    lineHas: 'metagegevens',
  },
  // cookies
  {
    rule: 'analytics-without-consent',
    does: 'reports analytics cookies set without consent',
    mutate: (p) => {
      p.cookies.services![0]!.consentRequired = false;
    },
    path: 'cookies.services[0].consentRequired',
    lineHas: 'consentRequired',
  },
  {
    rule: 'analytics-without-consent',
    does: 'reports an analytics cookie category marked required',
    mutate: (p) => {
      p.cookies.categories[1]!.required = true;
    },
    path: 'cookies.categories[1].required',
    lineHas: 'required',
  },
  {
    rule: 'analytics-without-consent',
    does: 'reports a marketing cookie without consent',
    mutate: (p) => {
      p.cookies.categories.push({
        id: 'marketing',
        title: { nl: 'Marketing', en: 'Marketing' },
        description: { nl: 'Advertenties', en: 'Ads' },
      });
      Object.assign(p.cookies.services![0]!, { category: 'marketing', consentRequired: false, privacyFriendly: true });
    },
    path: 'cookies.services[0].consentRequired',
    lineHas: 'consentRequired',
  },
  // category-without-provision (GDPR Art. 13(2)(e))
  {
    rule: 'category-without-provision',
    does: 'reports data collected from the person without saying whether it must be provided',
    mutate: (p) => {
      delete p.categories[0]!.provision;
    },
    path: 'categories[0]',
    lineHas: 'id: contact',
  },
  {
    rule: 'category-without-provision',
    does: 'reports observed data without saying what follows if it is not provided',
    mutate: (p) => {
      p.categories[2]!.provision!.ifNotProvided = { nl: ' ', en: '' };
    },
    path: 'categories[2].provision.ifNotProvided',
    lineHas: 'nl:',
  },
  // category-without-source (GDPR Art. 14(2)(f))
  {
    rule: 'category-without-source',
    does: 'reports data from another party that does not name the party',
    mutate: (p) => {
      p.categories[2]!.source = { origin: 'third-party' };
    },
    path: 'categories[2].source',
    lineHas: 'origin: third-party',
  },
  {
    rule: 'category-without-source',
    does: 'reports a source party that is not in the policy',
    mutate: (p) => {
      p.categories[2]!.source = { origin: 'third-party', party: 'nobody' };
    },
    path: 'categories[2].source.party',
    lineHas: 'nobody',
  },
  // automated-decisions-unstated (GDPR Art. 13(2)(f))
  {
    rule: 'automated-decisions-unstated',
    does: 'reports automated decisions without the logic involved',
    mutate: (p) => {
      p.automatedDecisions = { used: true };
    },
    path: 'automatedDecisions.used',
    lineHas: 'used: true',
  },
];

describe('lintPolicy', () => {
  it('finds nothing wrong in the minimal policy', () => {
    assert.deepEqual(lintVariant().findings, []);
  });

  it('has a test case for every rule', () => {
    const tested = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(
      LINT_RULES.map((r) => r.id).filter((id) => !tested.has(id)),
      [],
    );
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.does}`, () => {
      const before = lintVariant(() => {}, c.options).findings.filter((f) => f.rule === c.rule);
      assert.deepEqual(before, [], 'the minimal policy already has this finding');
      const { text, findings } = lintVariant(c.mutate, c.options);
      const hit = findings.find((f) => f.rule === c.rule && f.path === c.path);
      assert.ok(hit, `no ${c.rule} finding at ${c.path}; got ${JSON.stringify(findings, null, 1)}`);
      assert.equal(hit.severity, c.severity ?? 'error');
      assert.ok(hit.line && hit.column, 'the finding has a line and column');
      if (c.lineHas) assert.match(text.split('\n')[hit.line - 1] ?? '', new RegExp(escapeRegExp(c.lineHas)));
    });
  }

  it('cites GDPR Art. 12(3) with the answer time, and says why 30 days is only a warning', () => {
    const thirty = lintVariant((p) => {
      p.rights.answerWithinDays = 30;
    }).findings.find((f) => f.rule === 'answer-time-too-long');
    assert.match(thirty?.reference ?? '', /GDPR Art\. 12\(3\)/);
    assert.match(thirty?.message ?? '', /February is shorter/);
    const thirtyOne = lintVariant((p) => {
      p.rights.answerWithinDays = 31;
    }).findings.find((f) => f.rule === 'answer-time-too-long');
    assert.equal(thirtyOne?.severity, 'error');
    assert.match(thirtyOne?.reference ?? '', /GDPR Art\. 12\(3\)/);
  });

  it('accepts 28 days and a text promising an answer within one month', () => {
    const { findings } = lintVariant((p) => {
      p.rights.intro.en = 'We respond within 1 months at the latest.';
    });
    assert.deepEqual(
      findings.filter((f) => f.rule === 'answer-time-too-long'),
      [],
    );
  });

  it('asks no provision for data from another party, and accepts it once the party is named', () => {
    const { findings } = lintVariant((p) => {
      delete p.categories[2]!.provision;
      p.categories[2]!.source = { origin: 'third-party', party: 'analytics-vendor' };
    });
    assert.deepEqual(findings, []);
  });

  it('warns, citing Art. 13(2)(f), when the policy is silent about automated decisions', () => {
    const hit = lintVariant((p) => delete p.automatedDecisions).findings;
    assert.deepEqual(
      hit.map((f) => [f.rule, f.severity, f.reference]),
      [['automated-decisions-unstated', 'warning', 'GDPR Art. 13(2)(f), Art. 22']],
    );
  });

  it('cites the article with a provision and a source finding', () => {
    const provision = lintVariant((p) => delete p.categories[1]!.provision).findings[0];
    assert.equal(provision?.reference, 'GDPR Art. 13(2)(e)');
    const source = lintVariant((p) => {
      p.categories[1]!.source = { origin: 'third-party' };
    }).findings[0];
    assert.equal(source?.reference, 'GDPR Art. 14(2)(f)');
  });

  it('finds the Balkonzon example without a provision, source or automated-decision finding', () => {
    const { findings } = lintPolicyFile(
      fileURLToPath(new URL('../../examples/balkonzon/policy.yaml', import.meta.url)),
    );
    const notice = ['category-without-provision', 'category-without-source', 'automated-decisions-unstated'];
    assert.deepEqual(
      findings.filter((f) => notice.includes(f.rule)),
      [],
    );
  });

  it('reports the seed policy for lacking what follows if data is not provided', () => {
    const { findings } = lintPolicyFile(fixture('seed-defects.yaml'));
    assert.ok(findings.some((f) => f.rule === 'category-without-provision' && f.reference === 'GDPR Art. 13(2)(e)'));
  });

  it('gives the GDPR article with a processor agreement finding', () => {
    const hit = lintVariant((p) => delete p.processors[0]!.agreement).findings[0];
    assert.equal(hit?.reference, 'GDPR Art. 28(3)');
  });

  it('cites Breyer with an IP address finding', () => {
    const hit = lintVariant((p) => {
      p.categories[2]!.personalData = false;
    }).findings[0];
    assert.equal(hit?.reference, 'CJEU C-582/14 (Breyer); GDPR recital 30');
  });

  it('asks no processor agreement from an independent controller', () => {
    const { findings } = lintVariant((p) => {
      p.processors[0]!.role = 'controller';
      delete p.processors[0]!.agreement;
    });
    assert.deepEqual(findings, []);
  });

  it('accepts privacy-friendly analytics without consent when the agreement is signed', () => {
    const { findings } = lintVariant((p) =>
      Object.assign(p.cookies.services![0]!, { consentRequired: false, privacyFriendly: true }),
    );
    assert.deepEqual(findings, []);
  });

  it('orders findings by line', () => {
    const { findings } = lintVariant((p) => {
      p.rights.answerWithinDays = 45;
      p.introduction.text.nl = 'TODO';
      delete p.processors[0]!.agreement;
    });
    const lines = findings.map((f) => f.line ?? 0);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    // The rules run in another order (answer-time-too-long before answer-time-mismatch); the output follows the file.
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['template-text', 'processor-incomplete', 'answer-time-mismatch', 'answer-time-mismatch', 'answer-time-too-long'],
    );
  });

  it('works on a policy object without a source, giving paths but no lines', () => {
    const policy = Policy.parse({
      ...structuredClone(MINIMAL),
      controller: { ...MINIMAL.controller, privacyContact: { name: ' ', email: 'privacy@zonnetje.example' } },
    });
    const findings = lintPolicy(policy);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.path, f.line]),
      [['controller-contact', 'controller.privacyContact.name', undefined]],
    );
  });
});

describe('text patterns', () => {
  it('recognises the template leftovers and not ordinary words', () => {
    assert.deepEqual(findTemplateText('VOORBEELD: bij [AANBIEDER] […] [...] lorem ipsum TODO XXX EXAMPLE: {{naam}}'), [
      'VOORBEELD:',
      '[AANBIEDER]',
      '[…]',
      '[...]',
      'lorem ipsum',
      'TODO',
      'XXX',
      'EXAMPLE:',
      '{{naam}}',
    ]);
    assert.deepEqual(
      findTemplateText('Bijvoorbeeld uw naam. Voorbeeld: zie [de site](https://x.nl). XXL, example: a'),
      [],
    );
  });

  it('tells a claim that IP addresses are not personal data from a sentence that merely names both', () => {
    assert.equal(findNotPersonalDataClaim('Wij registreren uw IP-adres. Dit zijn geen persoonsgegevens.')?.kind, 'ip');
    assert.equal(findNotPersonalDataClaim('Your IP address is not considered personal data.')?.kind, 'ip');
    assert.equal(
      findNotPersonalDataClaim('Wij delen geen persoonsgegevens, zoals uw IP-adres, met derden.'),
      undefined,
    );
    assert.equal(findNotPersonalDataClaim('Uw IP-adres is een persoonsgegeven; wij korten het in.'), undefined);
  });
});

describe('lintPolicyFile', () => {
  it('finds the three defects of the seed policy', () => {
    const file = fixture('seed-defects.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const { findings, ok } = lintPolicyFile(file);
    assert.equal(ok, false);
    const at = (rule: string, path: string) => findings.find((f) => f.rule === rule && f.path === path);
    const template = at('template-text', 'processing.sections[5].text.nl');
    assert.match(template?.message ?? '', /VOORBEELD.*\[AANBIEDER\]/);
    assert.match(lines[template!.line!] ?? '', /VOORBEELD/);
    assert.match(lines[at('empty-section', 'processing.sections[7]')!.line! - 1] ?? '', /id: external-sales/);
    const ip = at('ip-not-personal-data', 'purposes.sections[1].text.nl');
    assert.ok(ip?.line);
    assert.match(lines.slice(ip.line - 1, ip.line + 3).join(' '), /IP-adres/);
  });

  it('turns a YAML syntax error into a schema finding with a line', () => {
    const { findings, ok } = lintPolicyText('version: "1"\ncontroller: [oops\n', 'bad.yaml');
    assert.equal(ok, false);
    assert.equal(findings[0]?.rule, 'schema');
    assert.equal(findings[0]?.severity, 'error');
    assert.ok(findings[0]?.line);
  });

  it('reports an unknown key with its path and line', () => {
    const text = stringify({ ...MINIMAL, controller: { ...MINIMAL.controller, fax: '123' } });
    const hit = lintPolicyText(text).findings.find((f) => f.path === 'controller.fax');
    assert.equal(hit?.rule, 'schema');
    assert.match(text.split('\n')[hit!.line! - 1] ?? '', /fax/);
  });

  it('reports a wrong type with its path and line', () => {
    const text = stringify({ ...MINIMAL, rights: { ...MINIMAL.rights, answerWithinDays: 'thirty' } });
    const hit = lintPolicyText(text).findings.find((f) => f.path === 'rights.answerWithinDays');
    assert.equal(hit?.rule, 'schema');
    assert.match(text.split('\n')[hit!.line! - 1] ?? '', /thirty/);
  });

  it('reports a missing file as a finding instead of throwing', () => {
    const { findings, ok } = lintPolicyFile('/nonexistent/policy.yaml');
    assert.equal(ok, false);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.message]),
      [['schema', 'file not found']],
    );
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
