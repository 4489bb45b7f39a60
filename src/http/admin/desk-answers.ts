import type { DeskLang } from './desk-lang.ts';
import { isSystemOutcome, systemOutcomeLabel } from './desk-words.ts';

/**
 * A processor's answer as the Art. 19 record keeps it. The engine writes its own part in fixed English
 * phrases (a manual task, an outage, counts per collection); those are said in the page's language.
 * What a processor's API told us is kept as the connector summarised it, in English: the page shows it as
 * such (`lang="en"`), so that a screen reader reads it right and nobody takes it for the desk's own words.
 */
export interface AnswerText {
  text: string;
  /** Set when the text is the recorded English answer, not the page's language. */
  lang?: 'en';
}

const COUNTS: Record<DeskLang, Record<string, string>> = {
  nl: { deleted: 'verwijderd', anonymised: 'geanonimiseerd', retained: 'bewaard', found: 'gevonden' },
  en: { deleted: 'deleted', anonymised: 'anonymised', retained: 'kept', found: 'found' },
};

/** "customers: 1 deleted, 2 anonymised; payments: 3 retained" from an erasure without an API answer. */
const ERASURE_PARTS = /^[a-z_]+: \d+ (?:deleted|anonymised|retained|found)(?:, \d+ (?:deleted|anonymised|retained))*$/;

export function answerText(
  answer: string | null | undefined,
  lang: DeskLang,
  collection: (c: string) => string,
): AnswerText {
  if (!answer) return { text: '—' };
  const nl = lang === 'nl';
  if (answer === 'no API connected: handed to the officer as a manual task')
    return { text: nl ? 'geen koppeling: als taak aan u doorgegeven' : 'not connected: handed to you as a task' };
  if (answer.startsWith('no API for access'))
    return {
      text: nl
        ? 'geen koppeling voor inzage: het antwoord noemt deze verwerker en de soorten gegevens die hij ontvangt'
        : 'no connection for access: the answer names this processor and the kinds of data it receives',
    };
  const unreachable = /^unreachable for (\d+) hours/.exec(answer);
  if (unreachable)
    return {
      text: nl
        ? `${unreachable[1]} uur niet bereikbaar: als taak aan u doorgegeven`
        : `unreachable for ${unreachable[1]} hours: handed to you as a task`,
    };
  if (answer.startsWith('refused ('))
    return {
      text: nl
        ? 'geweigerd door de verwerker: als taak aan u doorgegeven'
        : 'refused by the processor: handed to you as a task',
    };
  if (answer === 'nothing found') return { text: systemOutcomeLabel('nothing-found', lang) };
  if (isSystemOutcome(answer)) return { text: systemOutcomeLabel(answer, lang) };
  const parts = answer.split('; ');
  if (parts.every((p) => ERASURE_PARTS.test(p)))
    return {
      text: parts
        .map((p) => {
          const [name, counts] = p.split(': ') as [string, string];
          const said = counts.replace(
            /(\d+) (\w+)/g,
            (_m, n: string, what: string) => `${n} ${COUNTS[lang][what] ?? what}`,
          );
          return `${collection(name)}: ${said}`;
        })
        .join('; '),
    };
  return lang === 'en' ? { text: answer } : { text: answer, lang: 'en' };
}

/** Why records were kept, from an erasure's result: the policy's legal hold in words, or the processor's reason. */
export function retainedWhy(
  why: string,
  lang: DeskLang,
  holds: ReadonlyArray<{
    legalHold?: string;
    legalBasis?: Partial<Record<DeskLang, string>>;
    title: Record<DeskLang, string>;
  }>,
): AnswerText {
  const nl = lang === 'nl';
  for (const rule of holds) {
    if (rule.legalHold && (why === rule.legalHold || why.startsWith(`${rule.legalHold}: `)))
      return {
        text: `${nl ? 'wettelijke bewaarplicht' : 'legal duty to keep'}: ${rule.legalBasis?.[lang] ?? rule.title[lang]}`,
      };
  }
  if (why.startsWith('fiscal hold'))
    return { text: nl ? 'fiscale bewaarplicht (AWR art. 52)' : 'fiscal duty to keep (AWR art. 52)' };
  if (!why) return { text: nl ? 'eigen bewaartermijn van de verwerker' : 'the processor’s own retention term' };
  return lang === 'en' ? { text: why } : { text: why, lang: 'en' };
}
