import { REF } from './lint-law.ts';
import {
  error,
  isBlank,
  isBlankText,
  type LintRule,
  label,
  type Path,
  type RuleFinding,
  walkStrings,
  walkTexts,
  warning,
} from './lint-support.ts';
import type { LocalizedText } from './policy.schema.ts';

/** Rules about the words of the policy: leftovers from a template, empty blocks, false claims. */

const TEMPLATE_PATTERNS: readonly RegExp[] = [
  // Upper case only: "voorbeeld" and "bijvoorbeeld" are ordinary Dutch words.
  /\bVOORBEELD\b:?/g,
  /\bEXAMPLE:/g,
  // [AANBIEDER], [NAAM BEDRIJF], [X]; a Markdown link [text](url) is mixed case and does not match.
  /\[[A-ZÀ-Þ][A-ZÀ-Þ0-9 _./-]*\]/g,
  /\[\s*(?:\.{2,}|…)\s*\]/g,
  /\{\{[^}]*\}\}/g,
  /\blorem ipsum\b/gi,
  /\b(?:TODO|FIXME)\b/g,
  /\bXXX\b/g,
];

/** The template leftovers in a text, each once, in the order they first appear. */
export function findTemplateText(text: string): string[] {
  const hits = TEMPLATE_PATTERNS.flatMap((re) => [...text.matchAll(re)].map((m) => ({ at: m.index, text: m[0] })));
  hits.sort((a, b) => a.at - b.at);
  return [...new Set(hits.map((h) => h.text))];
}

const templateText: LintRule = {
  id: 'template-text',
  reason: 'Text left over from a template ("VOORBEELD", "[AANBIEDER]") tells the reader nothing true about the shop.',
  reference: REF.transparency,
  check(policy) {
    const out: RuleFinding[] = [];
    walkStrings(policy, (s, path) => {
      const hits = findTemplateText(s);
      if (hits.length > 0) {
        const quoted = hits.map((h) => `"${h}"`).join(', ');
        out.push(error(path, `contains template text ${quoted}; replace it with what the shop actually does`));
      }
    });
    return out;
  },
};

/** Reports a text block whose Dutch or English (or both) is empty. */
function checkText(t: LocalizedText, path: Path, what: string): RuleFinding[] {
  if (isBlank(t.nl) && isBlank(t.en)) return [error(path, `${what} has no text`)];
  if (isBlank(t.nl)) return [error([...path, 'nl'], `${what} has no Dutch text`)];
  if (isBlank(t.en)) return [error([...path, 'en'], `${what} has no English text`)];
  return [];
}

const emptySection: LintRule = {
  id: 'empty-section',
  reason: 'A heading with nothing under it promises information the reader does not get.',
  reference: REF.transparency,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.processing.sections.forEach((s, i) => {
      const path = ['processing', 'sections', i];
      const title = label(s.title, s.id);
      if (s.processors.length === 0 && isBlankText(s.text)) {
        out.push(error(path, `section "${title}" lists no parties and has no text; fill it in or remove it`));
      } else if (s.text) {
        out.push(...checkText(s.text, [...path, 'text'], `section "${title}"`));
      }
    });
    const blocks: Array<[LocalizedText | undefined, Path, string]> = [
      [policy.introduction.text, ['introduction', 'text'], 'the introduction'],
      [policy.processing.intro, ['processing', 'intro'], 'the introduction to the processing'],
      [policy.disclosures.text, ['disclosures', 'text'], 'the section on disclosures'],
      [policy.retention.intro, ['retention', 'intro'], 'the introduction to retention'],
      [policy.rights.intro, ['rights', 'intro'], 'the introduction to the rights'],
      [policy.cookies.intro, ['cookies', 'intro'], 'the introduction to cookies'],
      [policy.cookies.thirdParty?.text, ['cookies', 'thirdParty', 'text'], 'the section on third-party cookies'],
      [policy.changes.text, ['changes', 'text'], 'the section on changes'],
    ];
    policy.purposes.sections.forEach((s, i) => {
      blocks.push([s.text, ['purposes', 'sections', i, 'text'], `section "${label(s.title, s.id)}"`]);
    });
    policy.rights.items.forEach((r, i) => {
      blocks.push([r.text, ['rights', 'items', i, 'text'], `the right "${label(r.title, r.right)}"`]);
    });
    for (const [text, path, what] of blocks) if (text) out.push(...checkText(text, path, what));
    return out;
  },
};

/** Keys whose text blocks `empty-section` already checks. */
const TEXT_BLOCK_KEYS = new Set(['text', 'intro']);

const missingTranslation: LintRule = {
  id: 'missing-translation',
  reason: 'The policy is published in Dutch and English; a label missing in one language shows as a blank.',
  check(policy) {
    const out: RuleFinding[] = [];
    walkTexts(policy, (t, path) => {
      if (TEXT_BLOCK_KEYS.has(String(path.at(-1)))) return;
      if (isBlank(t.nl) && !isBlank(t.en)) out.push(warning([...path, 'nl'], 'has English text but no Dutch'));
      if (isBlank(t.en) && !isBlank(t.nl)) out.push(warning([...path, 'en'], 'has Dutch text but no English'));
    });
    return out;
  },
};

const IP_ADDRESS = /\bIP[-\s]?(?:adres|address|nummer|number)/i;

/** "... are not personal data": a claim about what counts as personal data. */
const CLASSIFICATION_CLAIMS: readonly RegExp[] = [
  /\b(?:zijn|is|vormen|betreffen|betreft)\s+(?:dus\s+|echter\s+|daarom\s+)?geen\s+persoonsgegeven/i,
  /\bgeen\s+persoonsgegevens?\s+(?:zijn|is)\b/i,
  /\bniet\s+als\s+(?:een\s+)?persoonsgegevens?\b/i,
  /\b(?:is|are)\s+(?:therefore\s+|thus\s+)?not\s+(?:considered\s+(?:to\s+be\s+)?|regarded\s+as\s+)?personal\s+data\b/i,
  /\b(?:is|are)\s+no\s+personal\s+data\b/i,
  /\bnon-personal\s+data\b/i,
  /\bnot\s+personally\s+identifiable\b/i,
];

/** "... no personal data are collected": a claim about what is collected. */
const COLLECTION_CLAIMS: readonly RegExp[] = [
  /\bgeen\s+persoonsgegevens\s+(?:worden\s+)?(?:verzameld|opgeslagen|vastgelegd)/i,
  /\bno\s+personal\s+data\s+(?:is|are|will\s+be)\s+(?:collected|stored|recorded)/i,
];

type Claim = { kind: 'ip' | 'other'; sentence: string };

/** Finds the first sentence in a text that says something is not personal data. */
export function findNotPersonalDataClaim(text: string): Claim | undefined {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/);
  for (const [i, sentence] of sentences.entries()) {
    const classifies = CLASSIFICATION_CLAIMS.some((re) => re.test(sentence));
    const collects = COLLECTION_CLAIMS.some((re) => re.test(sentence));
    if (!classifies && !collects) continue;
    // "Wij registreren uw IP-adres. Dit zijn geen persoonsgegevens." names the IP address one sentence earlier.
    const previous = i > 0 ? (sentences[i - 1] ?? '') : '';
    if (IP_ADDRESS.test(sentence) || (classifies && IP_ADDRESS.test(previous))) return { kind: 'ip', sentence };
    if (classifies || /cookie/i.test(sentence)) return { kind: 'other', sentence };
  }
  return undefined;
}

function excerpt(sentence: string): string {
  const s = sentence.trim();
  return s.length > 140 ? `${s.slice(0, 137)}...` : s;
}

const ipNotPersonalData: LintRule = {
  id: 'ip-not-personal-data',
  reason:
    'An IP address is personal data when the shop or its host can link it to a person, which in practice it can; saying otherwise misleads.',
  reference: REF.ipAddress,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.categories.forEach((c, i) => {
      if (c.personalData) return;
      const texts = [c.name, c.description, ...c.examples].filter((t): t is LocalizedText => t !== undefined);
      if (texts.some((t) => IP_ADDRESS.test(t.nl) || IP_ADDRESS.test(t.en))) {
        out.push(
          error(
            ['categories', i, 'personalData'],
            `category "${c.id}" includes IP addresses but is marked personalData: false; IP addresses are personal data`,
          ),
        );
      }
    });
    walkStrings(policy, (s, path) => {
      const claim = findNotPersonalDataClaim(s);
      if (claim?.kind === 'ip') {
        out.push(error(path, `says IP addresses are not personal data ("${excerpt(claim.sentence)}"); they are`));
      }
    });
    return out;
  },
};

const notPersonalDataClaim: LintRule = {
  id: 'not-personal-data-claim',
  reason:
    'Cookie identifiers, device data and usage metadata are usually personal data; a flat "this is not personal data" needs checking.',
  reference: REF.personalData,
  check(policy) {
    const out: RuleFinding[] = [];
    walkStrings(policy, (s, path) => {
      const claim = findNotPersonalDataClaim(s);
      if (claim?.kind === 'other') {
        out.push(
          warning(
            path,
            `claims data is not personal data ("${excerpt(claim.sentence)}"); online identifiers and usage data linked to a visitor are personal data`,
          ),
        );
      }
    });
    return out;
  },
};

export const TEXT_RULES: readonly LintRule[] = [
  templateText,
  emptySection,
  missingTranslation,
  ipNotPersonalData,
  notPersonalDataClaim,
];
