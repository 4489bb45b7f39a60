import { z } from 'zod';
import { emailAddress } from '../lib/email-address.ts';

/**
 * The privacy policy as a structured file. The schema is lenient about substance
 * (a processor may lack an agreement, a section may be empty) so that such a file
 * still loads and the linter can say what is wrong and why; it is strict about
 * shape (unknown keys, wrong types), which the loader reports with line and path.
 */

const isoDate = z.iso.date({ error: 'must be a date written as YYYY-MM-DD' });
/** Only web addresses: a `javascript:` URL in a policy file must never become a link. */
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a lower-case id (letters, digits, dashes), e.g. "google-analytics"' });

/**
 * A host a party's code or pixels are loaded from or send to, as a browser sees it: `www.googletagmanager.com`,
 * or `*.google-analytics.com` for every subdomain (not the domain itself); `:port` only where it matters.
 */
const hostPattern = z
  .string()
  .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, {
    error: 'must be a lower-case host name such as "www.googletagmanager.com" or "*.google-analytics.com"',
  });

/** `MM-DD` naming a day that exists in a leap year. */
function isMonthDay(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [m, d] = [Number(match[1]), Number(match[2])];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(2000, m, 0)).getUTCDate();
}

/** A text in Dutch and English. Dutch is the policy's own language; English is a translation. */
export const LocalizedText = z.strictObject({ nl: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A term written as years, months and days (any may be left out). */
export const Term = z.strictObject({
  years: z.int().min(0).optional(),
  months: z.int().min(0).optional(),
  days: z.int().min(0).optional(),
});
export type Term = z.infer<typeof Term>;

/** GDPR Art. 6(1) legal bases. */
export const LegalBasis = z.enum([
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
]);
export type LegalBasis = z.infer<typeof LegalBasis>;

const Address = z.strictObject({
  street: z.string(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});

export const Controller = z.strictObject({
  name: z.string().min(1),
  website: webUrl.optional(),
  address: Address,
  phone: z.string().optional(),
  email: emailAddress(),
  chamberOfCommerce: z.string().optional(),
  /**
   * The last day of the financial year (boekjaar), `MM-DD`: fiscal holds count from the end of the
   * financial year a record was made in (AWR art. 52(4)). `02-29` is the last day of February.
   */
  financialYearEnd: z
    .string()
    .refine(isMonthDay, { error: 'must be a day of the year written as MM-DD, e.g. "12-31"' })
    .default('12-31'),
  privacyContact: z.strictObject({
    name: z.string().min(1),
    email: emailAddress(),
    phone: z.string().optional(),
  }),
});

/**
 * GDPR Art. 13(2)(e): whether the person must provide the data (by law, by contract, or to conclude a
 * contract) or may choose not to, and what follows if they do not.
 */
export const Provision = z.strictObject({
  requirement: z.enum(['statutory', 'contractual', 'pre-contractual', 'voluntary']),
  /** What happens when the person does not provide it, e.g. "then we cannot deliver your order". */
  ifNotProvided: LocalizedText,
});
export type Provision = z.infer<typeof Provision>;

/**
 * Where the data comes from. `person`: the person gave it to us (or to a processor acting for us);
 * `observed`: recorded from their use of the website or service (IP address, log-in times); `derived`:
 * made by us from other data (an invoice number, a delivery status); `third-party`: obtained from another
 * party, which GDPR Art. 14(2)(f) requires naming. Portability (Art. 20(1)) covers `person` and `observed`.
 */
export const DataOrigin = z.enum(['person', 'observed', 'derived', 'third-party']);
export type DataOrigin = z.infer<typeof DataOrigin>;

export const DataSource = z.strictObject({
  origin: DataOrigin,
  /** The party it comes from: a processor id of the policy (e.g. `webwinkelkeur`). */
  party: id.optional(),
  /** The source in words, when it is not (only) a party of the policy. */
  description: LocalizedText.optional(),
  /** Art. 14(2)(f): whether it came from a publicly accessible source. */
  publiclyAvailable: z.boolean().default(false),
});
export type DataSource = z.infer<typeof DataSource>;

export const Category = z.strictObject({
  id,
  name: LocalizedText,
  description: LocalizedText.optional(),
  /** Examples of what falls in the category, e.g. "IP-adres". */
  examples: z.array(LocalizedText).default([]),
  /** The policy's claim; the linter checks it against the law. */
  personalData: z.boolean().default(true),
  /** GDPR Art. 9 special category. */
  special: z.boolean().default(false),
  /** Art. 13(2)(e); required (by the linter) for data collected from the person. */
  provision: Provision.optional(),
  /** Where the data comes from; absent means from the person (Art. 13). Art. 14(2)(f) for `third-party`. */
  source: DataSource.optional(),
});
export type Category = z.infer<typeof Category>;

export const Purpose = z.strictObject({
  id,
  name: LocalizedText,
  description: LocalizedText.optional(),
  legalBasis: LegalBasis.optional(),
  /** Why the basis applies, e.g. which legitimate interest. */
  legalBasisNote: LocalizedText.optional(),
  categories: z.array(id).default([]),
  /**
   * Direct marketing (contact to sell or promote, review invitations): an objection to it is absolute
   * and honoured at once (GDPR Art. 21(2)-(3)).
   */
  directMarketing: z.boolean().default(false),
});
export type Purpose = z.infer<typeof Purpose>;

export const Processor = z.strictObject({
  id,
  name: z.string().min(1),
  /** The legal entity, when it differs from the trade name. */
  legalName: z.string().optional(),
  /** What the party does for the shop, e.g. "Webshop software". */
  service: LocalizedText,
  role: z.enum(['processor', 'controller', 'joint-controller']).default('processor'),
  /**
   * What the party decides itself, as a controller in its own right, although it is our processor for the
   * rest: a payment institution's own duties under anti-money-laundering law, an analytics vendor's own
   * use under its terms. The public policy and the access answer say "verwerker, en zelf
   * verantwoordelijk voor …" (GDPR Art. 13(1)(e), 28(10)).
   */
  controllerFor: z
    .array(
      z.strictObject({
        purpose: LocalizedText,
        /** The law or ground the party relies on, e.g. "Wwft". */
        basis: LocalizedText.optional(),
      }),
    )
    .default([]),
  /** The party's own privacy statement, for what it does as a controller. */
  privacyStatement: webUrl.optional(),
  /** Data categories the party receives. */
  categories: z.array(id).default([]),
  purpose: LocalizedText.optional(),
  /** The purposes (ids) the party serves; the Art. 30 register lists it as a recipient of those only. */
  purposes: z.array(id).default([]),
  legalBasis: LegalBasis.optional(),
  /** ISO 3166 alpha-2 codes of the countries where the data is processed or stored. */
  locations: z
    .array(z.string().regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166 country code such as NL or US' }))
    .default([]),
  transferSafeguard: z
    .strictObject({
      mechanism: z.enum(['adequacy', 'dpf', 'scc', 'bcr', 'derogation']),
      description: LocalizedText.optional(),
    })
    .optional(),
  agreement: z
    .strictObject({
      status: z.enum(['signed', 'pending', 'none']),
      signedOn: isoDate.optional(),
      reference: z.string().optional(),
    })
    .optional(),
  website: webUrl.optional(),
  /** Hosts the shop's pages reach for this party (scripts, pixels, widgets); `inzage scan` checks them. */
  hosts: z.array(hostPattern).default([]),
  /** The paragraph the public policy shows for this party. */
  description: LocalizedText.optional(),
});
export type Processor = z.infer<typeof Processor>;

/** A heading under "Over de gegevensverwerking" and the parties listed under it. */
export const ProcessingSection = z.strictObject({
  id,
  title: LocalizedText,
  text: LocalizedText.optional(),
  processors: z.array(id).default([]),
});
export type ProcessingSection = z.infer<typeof ProcessingSection>;

/** A titled block of free text. */
export const TextSection = z.strictObject({
  id: id.optional(),
  title: LocalizedText,
  text: LocalizedText,
});
export type TextSection = z.infer<typeof TextSection>;

export const RetentionRule = z.strictObject({
  id,
  title: LocalizedText,
  categories: z.array(id).default([]),
  /** Kept while the person is a client (until they say they no longer want the service). */
  whileClient: z.boolean().default(false),
  /** How long, counted from `from`. */
  term: Term.optional(),
  from: z.enum(['last-activity', 'created', 'issued', 'completed', 'withdrawn', 'collected']).optional(),
  /**
   * `end-of-financial-year`: the term counts from the end of the controller's financial year in which
   * the record was made (the fiscal hold, AWR art. 52(4)), not from the record's own date.
   */
  until: z.enum(['end-of-financial-year']).optional(),
  /** The legal hold that keeps records this long against an erasure request, e.g. `fiscal`. */
  legalHold: id.optional(),
  legalBasis: LocalizedText.optional(),
  /** `approve`: the retention sweep waits for the officer; `auto`: it runs by itself. */
  mode: z.enum(['auto', 'approve']).default('approve'),
  /** Staff lose access to held records (the policy's "medewerkers hebben geen toegang meer"). */
  sealed: z.boolean().default(false),
  /** Optional reminder e-mail this many days before the term ends. */
  reminderDaysBefore: z.int().positive().optional(),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

export const RightId = z.enum([
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'automated-decisions',
]);
export type RightId = z.infer<typeof RightId>;

export const Rights = z.strictObject({
  intro: LocalizedText,
  /** The promised answer time; the law allows one month (GDPR Art. 12(3)). */
  answerWithinDays: z.int().positive(),
  /**
   * Days between telling the person that a restriction will be lifted and lifting it (GDPR Art. 18(3):
   * the person is informed before the restriction is lifted).
   */
  restrictionLiftNoticeDays: z.int().min(1).default(7),
  delivery: z.strictObject({
    /** Copies only to the e-mail address the shop already knows. */
    knownEmailOnly: z.boolean(),
    /** Another address or channel needs identification first. */
    otherChannelRequiresIdentification: z.boolean(),
  }),
  register: z.strictObject({
    keep: z.boolean(),
    /** Forget requests are recorded without identity. */
    anonymiseErasures: z.boolean(),
  }),
  exportFormats: z.array(z.enum(['json', 'csv', 'html'])).default(['json', 'csv', 'html']),
  complaintAuthority: z.strictObject({ name: z.string(), website: webUrl.optional() }),
  items: z.array(z.strictObject({ right: RightId, title: LocalizedText, text: LocalizedText })),
});

export const CookieEntry = z.strictObject({
  name: z.string().min(1),
  purpose: LocalizedText,
  /** `session`, or a term. */
  lifetime: z.union([z.literal('session'), Term]),
});

export const CookieService = z.strictObject({
  id,
  name: z.string().min(1),
  provider: z.string().min(1),
  /** The processor entry this service corresponds to, if any. */
  processor: id.optional(),
  category: id,
  purpose: LocalizedText,
  description: LocalizedText.optional(),
  cookies: z.array(CookieEntry).default([]),
  /** Set by the policy; the linter checks that analytics needs consent unless configured privacy-friendly. */
  consentRequired: z.boolean(),
  /** IP anonymised, no data sharing, processor agreement: the Dutch regulator's conditions for consent-free analytics. */
  privacyFriendly: z.boolean().default(false),
  /** Google Consent Mode: `basic` loads no Google tag before consent; `advanced` loads it with signals denied. */
  consentMode: z.enum(['basic', 'advanced']).optional(),
  /** Hosts the service's tags load from or send to; `inzage scan` checks them against its consent. */
  hosts: z.array(hostPattern).default([]),
});
export type CookieService = z.infer<typeof CookieService>;

export const Cookies = z.strictObject({
  intro: LocalizedText.optional(),
  /** How long a stored choice holds before the banner asks again. */
  consentValidFor: Term.default({ months: 12 }),
  categories: z.array(
    z.strictObject({ id, title: LocalizedText, description: LocalizedText, required: z.boolean().default(false) }),
  ),
  services: z.array(CookieService).default([]),
  thirdParty: TextSection.optional(),
});

export const Policy = z.strictObject({
  /** Version label, e.g. "2026-11-01" or "3". */
  version: z.union([z.string(), z.number()]).transform(String),
  effectiveDate: isoDate,
  controller: Controller,
  /** "Over ons privacybeleid". */
  introduction: TextSection,
  /** "Over de gegevensverwerking": intro text and the parties by heading. */
  processing: z.strictObject({ intro: LocalizedText, sections: z.array(ProcessingSection) }),
  processors: z.array(Processor),
  categories: z.array(Category),
  /** "Doel van de gegevensverwerking": the general purpose and the purposes with legal basis. */
  purposes: z.strictObject({ sections: z.array(TextSection).default([]), items: z.array(Purpose) }),
  /** "Medewerking aan fiscaal en strafrechtelijk onderzoek". */
  disclosures: TextSection.extend({ resistWherePossible: z.boolean().default(true) }),
  retention: z.strictObject({ intro: LocalizedText, rules: z.array(RetentionRule) }),
  rights: Rights,
  cookies: Cookies,
  /** "Wijzigingen in het privacybeleid". */
  changes: TextSection.extend({ notifyAffectedByEmail: z.boolean().default(true) }),
  /** Security measures, for the Art. 30 record. */
  security: z.array(LocalizedText).default([]),
  /** Categories of people whose data is processed, for the Art. 30 record. */
  dataSubjects: z.array(LocalizedText).default([]),
  /**
   * GDPR Art. 13(2)(f), 15(1)(h): whether decisions are made about people by automated means alone
   * (Art. 22), and if so the logic involved and what it means for them.
   */
  automatedDecisions: z
    .strictObject({
      used: z.boolean(),
      /** When used: the logic, and the significance and consequences for the person. */
      description: LocalizedText.optional(),
    })
    .optional(),
});
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;
