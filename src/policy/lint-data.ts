import { answerDaysWithinMonth, MAX_ANSWER_DAYS, REF, REQUIRED_RIGHTS } from './lint-law.ts';
import { error, isBlankText, type LintRule, label, type RuleFinding, walkStrings, warning } from './lint-support.ts';
import type { Policy, Term } from './policy.schema.ts';

/** Rules about the data itself: purposes, legal bases, retention, rights and cookies. */

function hasTerm(term: Term | undefined): boolean {
  return term !== undefined && (term.years !== undefined || term.months !== undefined || term.days !== undefined);
}

/** Ids of categories that hold personal data (the policy's own claim; `ip-not-personal-data` checks it). */
function personalCategories(policy: Policy) {
  return policy.categories.map((c, i) => ({ c, i })).filter(({ c }) => c.personalData);
}

const categoryWithoutRetention: LintRule = {
  id: 'category-without-retention',
  reason: 'For every kind of personal data the reader must learn how long it is kept, and the shop must erase it then.',
  reference: REF.storageLimitation,
  check(policy) {
    const covered = new Set(policy.retention.rules.flatMap((r) => r.categories));
    return personalCategories(policy)
      .filter(({ c }) => !covered.has(c.id))
      .map(({ c, i }) => error(['categories', i, 'id'], `no retention rule covers category "${c.id}"`));
  },
};

const retentionWithoutTerm: LintRule = {
  id: 'retention-without-term',
  reason: 'A retention rule must end somewhere: while the person is a client, or after a term.',
  reference: REF.storageLimitation,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.retention.rules.forEach((r, i) => {
      const at = ['retention', 'rules', i];
      if (!r.whileClient && !hasTerm(r.term)) {
        out.push(error(at, `retention rule "${r.id}" has neither whileClient nor a term, so nothing is ever erased`));
      } else if (r.legalHold && !hasTerm(r.term)) {
        out.push(
          error([...at, 'legalHold'], `legal hold "${r.legalHold}" has no term, so held records are never erased`),
        );
      }
    });
    return out;
  },
};

const retentionTermWithoutStart: LintRule = {
  id: 'retention-term-without-start',
  reason:
    'A term is counted from a moment (last activity, issue date, ...); without it the sweep cannot compute the date.',
  reference: REF.storageLimitation,
  check(policy) {
    return policy.retention.rules.flatMap((r, i) =>
      hasTerm(r.term) && !r.from
        ? [warning(['retention', 'rules', i, 'term'], `retention rule "${r.id}" has a term but no "from"`)]
        : [],
    );
  },
};

const purposeWithoutLegalBasis: LintRule = {
  id: 'purpose-without-legal-basis',
  reason: 'Processing is lawful only on one of the six bases of Art. 6(1), and the reader must be told which.',
  reference: REF.legalBasis,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.purposes.items.forEach((p, i) => {
      const at = ['purposes', 'items', i];
      if (!p.legalBasis) out.push(error([...at, 'legalBasis'], `purpose "${p.id}" has no legal basis`));
      else if (p.legalBasis === 'legitimate-interests' && isBlankText(p.legalBasisNote)) {
        out.push(
          warning(
            [...at, 'legalBasisNote'],
            `purpose "${p.id}" rests on legitimate interests but does not say which interest`,
            REF.legitimateInterest,
          ),
        );
      }
    });
    return out;
  },
};

const purposeWithoutCategories: LintRule = {
  id: 'purpose-without-categories',
  reason: 'The record of processing lists the data per purpose; a purpose without data cannot be recorded.',
  reference: REF.recordCategories,
  check(policy) {
    return policy.purposes.items.flatMap((p, i) =>
      p.categories.length === 0
        ? [warning(['purposes', 'items', i, 'categories'], `purpose "${p.id}" lists no data categories`)]
        : [],
    );
  },
};

const categoryWithoutPurpose: LintRule = {
  id: 'category-without-purpose',
  reason:
    'Personal data may be collected only for a stated purpose; a category no purpose uses should not be collected.',
  reference: REF.purposeLimitation,
  check(policy) {
    const used = new Set(policy.purposes.items.flatMap((p) => p.categories));
    return personalCategories(policy)
      .filter(({ c }) => !used.has(c.id))
      .map(({ c, i }) => warning(['categories', i, 'id'], `no purpose uses category "${c.id}"`));
  },
};

const specialCategoryWithoutBasis: LintRule = {
  id: 'special-category-without-basis',
  reason:
    'Special categories (health, religion, ...) may be processed only under an Art. 9(2) exception, such as explicit consent.',
  reference: REF.specialCategory,
  check(policy) {
    const special = new Set(policy.categories.filter((c) => c.special).map((c) => c.id));
    const out: RuleFinding[] = [];
    policy.purposes.items.forEach((p, i) => {
      const used = p.categories.filter((id) => special.has(id));
      if (used.length === 0 || p.legalBasis === 'consent' || !isBlankText(p.legalBasisNote)) return;
      out.push(
        error(
          ['purposes', 'items', i, 'legalBasis'],
          `purpose "${p.id}" uses special category ${used.map((u) => `"${u}"`).join(', ')}: use explicit consent or name the Art. 9(2) exception in legalBasisNote`,
        ),
      );
    });
    return out;
  },
};

const DURATION =
  /\b(?:binnen|within)\s+(\d+)\s+(kalenderdagen|werkdagen|dagen|weken|maanden|calendar days|working days|business days|days|weeks|months)\b/gi;

/**
 * A promised answer time written in a text, in calendar days (working days counted as 7 per 5; a month as
 * the longest, 31), with `months` when the text counts in months.
 */
export function promisedDays(
  text: string,
): Array<{ days: number; plainDays: boolean; words: string; months?: number }> {
  return [...text.matchAll(DURATION)].map((m) => {
    const n = Number(m[1]);
    const unit = (m[2] ?? '').toLowerCase();
    const words = m[0];
    const plainDays = /^(?:dagen|kalenderdagen|days|calendar days)$/.test(unit);
    if (/maanden|months/.test(unit)) return { days: n * MAX_ANSWER_DAYS, plainDays, words, months: n };
    if (/werk|working|business/.test(unit)) return { days: Math.ceil((n * 7) / 5), plainDays, words };
    if (/weken|weeks/.test(unit)) return { days: n * 7, plainDays, words };
    return { days: n, plainDays, words };
  });
}

function rightsTexts(policy: Policy, visit: (s: string, path: ReadonlyArray<string | number>) => void): void {
  walkStrings(policy.rights.intro, (s, p) => visit(s, ['rights', 'intro', ...p]));
  for (const [i, item] of policy.rights.items.entries()) {
    walkStrings(item.text, (s, p) => visit(s, ['rights', 'items', i, 'text', ...p]));
  }
}

const answerTimeTooLong: LintRule = {
  id: 'answer-time-too-long',
  reason:
    'A request must be answered within one month of receipt; a promise that can end after that month breaks the law, or, where only February is shorter, holds only until the month ends.',
  reference: REF.answerTime,
  check(policy) {
    const out: RuleFinding[] = [];
    const days = policy.rights.answerWithinDays;
    const path = ['rights', 'answerWithinDays'];
    const within = answerDaysWithinMonth();
    if (days > within.exceptFebruary) {
      out.push(
        error(
          path,
          `promises an answer within ${days} days; one month can be ${within.exceptFebruary} days (received 31 March, due 30 April), so promise at most ${within.everyMonth} days or one month`,
          REF.answerTimeMonth,
        ),
      );
    } else if (days > within.everyMonth) {
      out.push(
        warning(
          path,
          `promises an answer within ${days} days, but February is shorter: one month from 31 January ends on 28 February (29 in a leap year), and then the month applies; Inzage keeps the earlier of the two, so the promise holds in other months only. ${within.everyMonth} days always fits`,
          REF.answerTimeMonth,
        ),
      );
    }
    rightsTexts(policy, (s, path) => {
      for (const p of promisedDays(s)) {
        const tooLong = p.months !== undefined ? p.months > 1 : p.days > within.exceptFebruary;
        if (tooLong) out.push(error(path, `says "${p.words}"; the law allows one month`));
      }
    });
    return out;
  },
};

const answerTimeMismatch: LintRule = {
  id: 'answer-time-mismatch',
  reason: 'The deadlines the software keeps come from answerWithinDays; a text that promises another number misleads.',
  reference: REF.answerTime,
  check(policy) {
    const out: RuleFinding[] = [];
    const promised = policy.rights.answerWithinDays;
    rightsTexts(policy, (s, path) => {
      const other = promisedDays(s).find((p) => p.plainDays && p.days !== promised && p.days <= MAX_ANSWER_DAYS);
      if (other) out.push(warning(path, `says "${other.words}" but answerWithinDays is ${promised}`));
    });
    return out;
  },
};

const missingRight: LintRule = {
  id: 'missing-right',
  reason: 'The reader must be told of each right: access, rectification, erasure, restriction, portability, objection.',
  reference: REF.rights,
  check(policy) {
    const described = new Set(policy.rights.items.map((r) => r.right));
    return REQUIRED_RIGHTS.filter((r) => !described.has(r)).map((r) =>
      warning(['rights', 'items'], `the right "${r}" is not described`),
    );
  },
};

const ANALYTICS = /analyti|statisti/i;
const TRACKING = /marketing|advert|reclame|tracking|targeting/i;

type CookieCategory = Policy['cookies']['categories'][number];

function isAnalytics(c: CookieCategory): boolean {
  return /analytic/i.test(c.id) || (!c.required && (ANALYTICS.test(c.title.nl) || ANALYTICS.test(c.title.en)));
}

function isTracking(c: CookieCategory): boolean {
  return [c.id, c.title.nl, c.title.en].some((s) => TRACKING.test(s));
}

const analyticsWithoutConsent: LintRule = {
  id: 'analytics-without-consent',
  reason:
    'Analytics cookies need consent unless configured privacy-friendly (IP masked, no data sharing, processor agreement); tracking cookies always do.',
  reference: REF.cookieConsent,
  check(policy) {
    const out: RuleFinding[] = [];
    const categories = new Map(policy.cookies.categories.map((c) => [c.id, c]));
    const processors = new Map(policy.processors.map((p) => [p.id, p]));
    policy.cookies.services.forEach((s, i) => {
      const category = categories.get(s.category);
      if (!category || s.consentRequired) return;
      const at = ['cookies', 'services', i, 'consentRequired'];
      if (isTracking(category)) out.push(error(at, `${s.name} is a ${s.category} cookie but asks no consent`));
      else if (isAnalytics(category) && !s.privacyFriendly) {
        out.push(error(at, `${s.name} is an analytics cookie without consent and not configured privacy-friendly`));
      } else if (isAnalytics(category) && processors.get(s.processor ?? '')?.agreement?.status !== 'signed') {
        out.push(
          warning(
            at,
            `${s.name} runs without consent as privacy-friendly analytics, which needs a signed processor agreement`,
          ),
        );
      }
    });
    policy.cookies.categories.forEach((c, i) => {
      const asksConsent = policy.cookies.services.some((s) => s.category === c.id && s.consentRequired);
      if (c.required && (asksConsent || isAnalytics(c) || isTracking(c))) {
        out.push(
          error(
            ['cookies', 'categories', i, 'required'],
            `cookie category "${label(c.title, c.id)}" needs consent, so it cannot be required (always on)`,
          ),
        );
      }
    });
    return out;
  },
};

export const DATA_RULES: readonly LintRule[] = [
  categoryWithoutRetention,
  retentionWithoutTerm,
  retentionTermWithoutStart,
  purposeWithoutLegalBasis,
  purposeWithoutCategories,
  categoryWithoutPurpose,
  specialCategoryWithoutBasis,
  answerTimeTooLong,
  answerTimeMismatch,
  missingRight,
  analyticsWithoutConsent,
];
