import type { Category, DataOrigin, LegalBasis, Policy, Processor, RetentionRule, Term } from './policy.schema.ts';

/**
 * Words for the policy's codes in Dutch and English. The renderer, the register export and the
 * portal all say the same thing about a legal basis or a term, so the wording lives here once.
 */
export type Lang = 'nl' | 'en';

type Words = Record<Lang, string>;

const LEGAL_BASES: Record<LegalBasis, { label: Words; article: Words }> = {
  consent: {
    label: { nl: 'Toestemming', en: 'Consent' },
    article: { nl: 'art. 6 lid 1 sub a AVG', en: 'GDPR Art. 6(1)(a)' },
  },
  contract: {
    label: { nl: 'Uitvoering van de overeenkomst', en: 'Performance of a contract' },
    article: { nl: 'art. 6 lid 1 sub b AVG', en: 'GDPR Art. 6(1)(b)' },
  },
  'legal-obligation': {
    label: { nl: 'Wettelijke verplichting', en: 'Legal obligation' },
    article: { nl: 'art. 6 lid 1 sub c AVG', en: 'GDPR Art. 6(1)(c)' },
  },
  'vital-interests': {
    label: { nl: 'Vitaal belang', en: 'Vital interests' },
    article: { nl: 'art. 6 lid 1 sub d AVG', en: 'GDPR Art. 6(1)(d)' },
  },
  'public-task': {
    label: { nl: 'Taak van algemeen belang', en: 'Task in the public interest' },
    article: { nl: 'art. 6 lid 1 sub e AVG', en: 'GDPR Art. 6(1)(e)' },
  },
  'legitimate-interests': {
    label: { nl: 'Gerechtvaardigd belang', en: 'Legitimate interests' },
    article: { nl: 'art. 6 lid 1 sub f AVG', en: 'GDPR Art. 6(1)(f)' },
  },
};

/** The legal basis in words, e.g. "Uitvoering van de overeenkomst". */
export function legalBasisLabel(basis: LegalBasis, lang: Lang): string {
  return LEGAL_BASES[basis].label[lang];
}

/** The article the basis comes from, e.g. "art. 6 lid 1 sub b AVG". */
export function legalBasisArticle(basis: LegalBasis, lang: Lang): string {
  return LEGAL_BASES[basis].article[lang];
}

const UNITS = {
  years: { nl: ['jaar', 'jaar'], en: ['year', 'years'] },
  months: { nl: ['maand', 'maanden'], en: ['month', 'months'] },
  days: { nl: ['dag', 'dagen'], en: ['day', 'days'] },
} as const;

/** A term in words: `{ years: 2 }` → "2 jaar" / "2 years"; `{ years: 1, months: 6 }` → "1 jaar en 6 maanden". */
export function formatTerm(term: Term, lang: Lang): string {
  const parts: string[] = [];
  for (const unit of ['years', 'months', 'days'] as const) {
    const n = term[unit];
    if (!n) continue;
    const [one, many] = UNITS[unit][lang];
    parts.push(`${n} ${n === 1 ? one : many}`);
  }
  if (parts.length === 0) return lang === 'nl' ? '0 dagen' : '0 days';
  return formatList(parts, lang);
}

/** Joins words as a sentence does: "a, b en c" / "a, b and c". */
export function formatList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items[0] ?? '';
  const and = lang === 'nl' ? ' en ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${and}${items[items.length - 1]}`;
}

const MONTHS: Record<Lang, readonly string[]> = {
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/**
 * A `YYYY-MM-DD` date in words: "1 november 2026" / "1 November 2026". Written out by hand
 * rather than with Intl so the text does not depend on the ICU data of the Node build.
 */
export function formatDate(isoDate: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  const month = match ? MONTHS[lang][Number(match[2]) - 1] : undefined;
  if (!match || !month) return isoDate;
  return `${Number(match[3])} ${month} ${match[1]}`;
}

const FROM: Record<NonNullable<RetentionRule['from']>, Words> = {
  'last-activity': {
    nl: 'na het laatste contactmoment of de laatste transactie',
    en: 'after the last contact or transaction',
  },
  created: { nl: 'vanaf het moment van vastleggen', en: 'from the moment it is recorded' },
  issued: { nl: 'vanaf de factuurdatum', en: 'from the invoice date' },
  completed: { nl: 'na de afhandeling van het verzoek', en: 'after the request is completed' },
  withdrawn: { nl: 'na het intrekken of verlopen van de toestemming', en: 'after the consent is withdrawn or expires' },
  collected: { nl: 'na het verzamelen', en: 'after collection' },
};

/** Where a retention term starts, in words: "vanaf de factuurdatum". */
export function retentionStartLabel(from: NonNullable<RetentionRule['from']>, lang: Lang): string {
  return FROM[from][lang];
}

/** What happened that a term counts from, as the end of a sentence: "waarin de factuur is opgemaakt". */
const EVENT: Record<NonNullable<RetentionRule['from']>, Words> = {
  'last-activity': {
    nl: 'het laatste contact of de laatste transactie plaatsvond',
    en: 'the last contact or transaction took place',
  },
  created: { nl: 'het gegeven is vastgelegd', en: 'it was recorded' },
  issued: { nl: 'de factuur is opgemaakt', en: 'the invoice was issued' },
  completed: { nl: 'het verzoek is afgehandeld', en: 'the request was completed' },
  withdrawn: { nl: 'de toestemming is ingetrokken of verlopen', en: 'the consent was withdrawn or expired' },
  collected: { nl: 'het gegeven is verzameld', en: 'it was collected' },
};

/** The last day of a financial year in words: "31 december", or "de laatste dag van februari" for 02-29. */
export function formatYearEnd(monthDay: string, lang: Lang): string {
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  const month = MONTHS[lang][m - 1] ?? monthDay;
  if (m === 2 && d === 29) return lang === 'nl' ? `de laatste dag van ${month}` : `the last day of ${month}`;
  return `${d} ${month}`;
}

/**
 * How long a rule keeps data, in words: "Zolang u klant bent, en niet langer dan 2 jaar na het
 * laatste contactmoment of de laatste transactie", "7 jaar vanaf de factuurdatum", or for a term counted
 * from the end of the financial year (AWR art. 52(4)) "7 jaar na het einde van het boekjaar waarin de
 * factuur is opgemaakt (ons boekjaar eindigt op 31 december)".
 */
export function formatRetention(
  rule: Pick<RetentionRule, 'whileClient' | 'term' | 'from' | 'until'>,
  lang: Lang,
  financialYearEnd = '12-31',
): string {
  const span = rule.term
    ? [formatTerm(rule.term, lang), startInWords(rule, lang, financialYearEnd)].filter(Boolean).join(' ')
    : '';
  if (rule.whileClient && span) {
    return lang === 'nl'
      ? `Zolang u klant bent, en niet langer dan ${span}`
      : `While you are a client, and no longer than ${span}`;
  }
  if (rule.whileClient) return lang === 'nl' ? 'Zolang u klant bent' : 'While you are a client';
  if (span) return span.charAt(0).toUpperCase() + span.slice(1);
  return lang === 'nl' ? 'Geen termijn vastgelegd' : 'No term set';
}

function startInWords(rule: Pick<RetentionRule, 'from' | 'until'>, lang: Lang, financialYearEnd: string): string {
  if (rule.until === 'end-of-financial-year') {
    const event = EVENT[rule.from ?? 'created'][lang];
    const yearEnd = formatYearEnd(financialYearEnd, lang);
    return lang === 'nl'
      ? `na het einde van het boekjaar waarin ${event} (ons boekjaar eindigt op ${yearEnd})`
      : `after the end of the financial year in which ${event} (our financial year ends on ${yearEnd})`;
  }
  return rule.from ? retentionStartLabel(rule.from, lang) : '';
}

/** A cookie's lifetime in words: "2 jaar", or "sessie (tot u de browser sluit)". */
export function formatCookieLifetime(lifetime: 'session' | Term, lang: Lang): string {
  if (lifetime === 'session')
    return lang === 'nl' ? 'sessie (tot u de browser sluit)' : 'session (until you close the browser)';
  return formatTerm(lifetime, lang);
}

type Mechanism = NonNullable<Processor['transferSafeguard']>['mechanism'];

const SAFEGUARDS: Record<Mechanism, Words> = {
  adequacy: {
    nl: 'adequaatheidsbesluit van de Europese Commissie',
    en: 'adequacy decision of the European Commission',
  },
  dpf: { nl: 'EU-VS-gegevensprivacykader (Data Privacy Framework)', en: 'EU-U.S. Data Privacy Framework' },
  scc: {
    nl: 'modelcontractbepalingen van de Europese Commissie',
    en: 'standard contractual clauses of the European Commission',
  },
  bcr: { nl: 'bindende bedrijfsvoorschriften', en: 'binding corporate rules' },
  derogation: {
    nl: 'uitzondering voor specifieke situaties (art. 49 AVG)',
    en: 'derogation for specific situations (GDPR Art. 49)',
  },
};

/** The transfer mechanism in words, e.g. "EU-U.S. Data Privacy Framework". */
export function safeguardLabel(mechanism: Mechanism, lang: Lang): string {
  return SAFEGUARDS[mechanism][lang];
}

/** EU member states plus Iceland, Liechtenstein and Norway: transfers among these need no safeguard. */
const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

export function isInEea(countryCode: string): boolean {
  return EEA.has(countryCode);
}

/** A country name for an ISO 3166 code ("US" → "Verenigde Staten"); the code itself if unknown. */
export function countryName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const ROLES: Record<Processor['role'], Words> = {
  processor: { nl: 'verwerker', en: 'processor' },
  controller: { nl: 'zelfstandig verwerkingsverantwoordelijke', en: 'independent controller' },
  'joint-controller': { nl: 'gezamenlijk verwerkingsverantwoordelijke', en: 'joint controller' },
};

export function roleLabel(role: Processor['role'], lang: Lang): string {
  return ROLES[role][lang];
}

/**
 * "Processor, and controller for a purpose of its own": a party that processes for us but decides
 * some processing itself (GDPR Art. 28(10)) is described with both roles.
 */
export function roleDescription(role: Processor['role'], ownPurposes: boolean, lang: Lang): string {
  if (role !== 'processor' || !ownPurposes) return roleLabel(role, lang);
  return lang === 'nl'
    ? 'verwerker, en voor een eigen doel zelfstandig verwerkingsverantwoordelijke'
    : 'processor, and an independent controller for a purpose of its own';
}

type Requirement = NonNullable<Category['provision']>['requirement'];

/** GDPR Art. 13(2)(e) in words: whether the person must provide the data. */
const REQUIREMENTS: Record<Requirement, Words> = {
  statutory: { nl: 'Wettelijk verplicht', en: 'Required by law' },
  contractual: { nl: 'Nodig voor de uitvoering van de overeenkomst', en: 'Required to perform the contract' },
  'pre-contractual': { nl: 'Nodig om de overeenkomst te sluiten', en: 'Required to enter into the contract' },
  voluntary: { nl: 'Niet verplicht', en: 'Not required' },
};

export function requirementLabel(requirement: Requirement, lang: Lang): string {
  return REQUIREMENTS[requirement][lang];
}

const ORIGINS: Record<DataOrigin, Words> = {
  person: { nl: 'Van uzelf', en: 'From you' },
  observed: {
    nl: 'Vastgelegd bij uw gebruik van onze website en winkel',
    en: 'Recorded as you use our website and shop',
  },
  derived: { nl: 'Door ons gemaakt uit andere gegevens', en: 'Made by us from other data' },
  'third-party': { nl: 'Van een andere partij', en: 'From another party' },
};

/** Where data comes from, in words (GDPR Art. 14(2)(f) for another party). */
export function originLabel(origin: DataOrigin, lang: Lang): string {
  return ORIGINS[origin][lang];
}

/** "Geen" / "None": no decisions by automated means alone (GDPR Art. 13(2)(f), 15(1)(h), 22). */
export function noAutomatedDecisions(lang: Lang): string {
  return lang === 'nl'
    ? 'Wij nemen geen besluiten over u die alleen op geautomatiseerde verwerking berusten, ook niet door profilering (art. 22 AVG).'
    : 'We take no decisions about you based solely on automated processing, profiling included (GDPR Art. 22).';
}

/**
 * Where a category comes from, in words: "Van een andere partij: WebwinkelKeur, waar u …", with the
 * party's name or the policy's description, and whether the source is public (GDPR Art. 14(2)(f)).
 */
export function sourceInWords(c: Category, policy: Policy, lang: Lang): string {
  const source = c.source;
  if (!source) return originLabel('person', lang);
  const party = source.party ? policy.processors.find((p) => p.id === source.party)?.name : undefined;
  const detail = source.description?.[lang] ?? party;
  const words = detail ? `${originLabel(source.origin, lang)}: ${detail}` : originLabel(source.origin, lang);
  if (!source.publiclyAvailable) return words;
  return `${words} (${lang === 'nl' ? 'een openbare bron' : 'a public source'})`;
}
