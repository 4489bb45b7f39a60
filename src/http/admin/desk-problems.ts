import { z } from 'zod';
import { CONTROL_CHARACTERS_IN_TEXT_MESSAGE, CONTROL_CHARACTERS_MESSAGE } from '../../lib/text-input.ts';
import type { DeskLang } from './desk-lang.ts';
import { statusLabel } from './desk-words.ts';

/**
 * What is wrong with a form field, or why a decision cannot be taken, in the page's language. The engine's
 * schemas and services explain themselves in English for the API and the CLI (their messages are part of
 * the contract there); the back office says the same in Dutch or English. A zod issue is worded from its
 * code and limits (zod's own locale as the last resort); a known message from the engine by its pattern;
 * anything else by a plain sentence in the page's language, never by the English text.
 */

type Say = string | ((m: RegExpMatchArray, lang: DeskLang) => string);
interface Known {
  re: RegExp;
  nl: Say;
  en: Say;
}

const DUTCH_MONTH: Record<string, string> = {
  January: 'januari',
  February: 'februari',
  March: 'maart',
  April: 'april',
  May: 'mei',
  June: 'juni',
  July: 'juli',
  August: 'augustus',
  September: 'september',
  October: 'oktober',
  November: 'november',
  December: 'december',
};

const K = (re: RegExp, nl: Say, en: Say): Known => ({ re, nl, en });
const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const KNOWN: Known[] = [
  K(/^is required$/, 'is verplicht', 'is required'),
  K(
    /^is required: give the reasons/,
    'is verplicht: geef de reden, die gaat naar de persoon',
    'is required: give the reasons, they go to the person',
  ),
  K(
    /^is required: the reasons for the delay/,
    'is verplicht: de reden van de vertraging gaat naar de persoon (AVG art. 12 lid 3)',
    'is required: the reasons for the delay go to the person (GDPR Art. 12(3))',
  ),
  K(
    /^is required for rectification/,
    'is verplicht bij een correctie: zeg wat er gecorrigeerd moet worden',
    'is required for rectification: say what should be corrected',
  ),
  K(
    /^is required for an objection: name the purposes objected to, or say/,
    'is verplicht bij bezwaar: vink de doelen aan, of zeg in de toelichting waartegen het bezwaar is',
    'is required for an objection: tick the purposes, or say in the message what it is about',
  ),
  K(
    /^is required for an objection/,
    'is verplicht bij bezwaar: kies de doelen waartegen bezwaar wordt gemaakt',
    'is required for an objection: choose the purposes objected to',
  ),
  K(/^name at least one purpose/, 'kies ten minste één doel', 'choose at least one purpose'),
  K(/not a purpose you can object to/, 'tegen dit doel is geen bezwaar mogelijk', 'this purpose cannot be objected to'),
  K(
    /^must be an e-mail address$|^That is not an e-mail address\.$/,
    'moet een e-mailadres zijn',
    'must be an e-mail address',
  ),
  K(
    exact(CONTROL_CHARACTERS_MESSAGE),
    'mag geen onzichtbare stuurtekens bevatten (zoals NUL)',
    'must not contain invisible control characters (such as NUL)',
  ),
  K(
    exact(CONTROL_CHARACTERS_IN_TEXT_MESSAGE),
    'mag geen onzichtbare stuurtekens bevatten (zoals NUL); tab en nieuwe regel mogen wel',
    'must not contain invisible control characters (such as NUL); tab and new line are fine',
  ),
  K(
    /^(?:may be )?at most (\d+) characters$/,
    (m) => `mag ten hoogste ${m[1]} tekens lang zijn`,
    (m) => `may be at most ${m[1]} characters long`,
  ),
  K(
    /^write no e-mail address here; give it in the subject field/,
    'hier geen e-mailadres: vul het in bij het e-mailadres van de persoon, waar alleen een sleutel-hash wordt bewaard',
    'no e-mail address here: give it in the field for the person’s address, where only a keyed hash is kept',
  ),
  K(/^write no e-mail address here$/, 'hier geen e-mailadres', 'no e-mail address here'),
  K(
    /^must be a date and time/,
    'moet een datum en tijd zijn, bijvoorbeeld 26-11-2026 14:30',
    'must be a date and time, for example 26-11-2026 14:30',
  ),
  K(
    /^must be a whole number/,
    'moet een heel getal zijn (een schatting mag)',
    'must be a whole number (an estimate is fine)',
  ),
  K(/^choose at least one category$/, 'kies ten minste één soort gegevens', 'choose at least one kind of data'),
  K(
    /is not a category of the policy$/,
    'is geen soort gegevens uit het privacybeleid',
    'is not a kind of data in the privacy policy',
  ),
  K(
    /^is before the breach was discovered$/,
    'ligt vóór het ontdekken van het datalek',
    'is before the breach was discovered',
  ),
  K(
    /^a closed breach needs the date the Autoriteit/,
    'een gesloten datalek heeft de datum van de melding bij de Autoriteit Persoonsgegevens nodig, of de reden om niet te melden',
    'a closed breach needs the date the Autoriteit Persoonsgegevens was told, or why it was not',
  ),
  K(
    /^a closed breach needs the date the people/,
    'een gesloten datalek heeft de datum nodig waarop de betrokkenen zijn geïnformeerd, of de reden om dat niet te doen',
    'a closed breach needs the date the people were told, or why they were not',
  ),
  K(
    /^must be a date, e\.g\./,
    'moet een datum zijn, bijvoorbeeld 26-11-2026',
    'must be a date, for example 26-11-2026',
  ),
  K(
    /^must be a day of the calendar/,
    'moet een datum zijn: de dag waarop het verzoek binnenkwam',
    'must be a date: the day the request arrived',
  ),
  K(/^is in the future/, 'ligt in de toekomst', 'is in the future'),
  K(/^must be a request id$/, 'moet het kenmerk van een verzoek zijn', 'must be the reference of a request'),
  K(/^no request with this id$/, 'er is geen verzoek met dit kenmerk', 'there is no request with this reference'),
  K(/^say how the request was resisted$/, 'zeg hoe het verzoek is aangevochten', 'say how the request was resisted'),
  K(/^must be one of /, 'is geen van de keuzes', 'is not one of the choices'),
  K(
    /^must be written as field=value/,
    'schrijf elke correctie als veld=nieuwe waarde, bijvoorbeeld last_name=Jansen',
    'write each correction as field=new value, for example last_name=Jansen',
  ),
  K(
    /^an access task needs what the processor gave/,
    'vul in wat de verwerker over de persoon heeft, of vink aan dat hij niets heeft; de persoon krijgt dat als deel van het antwoord',
    'fill in what the processor holds about the person, or tick that it holds nothing; the person gets it as part of the answer',
  ),
  // Conflicts: a decision the request's state no longer allows.
  K(
    /^request changed meanwhile$/,
    'het verzoek is intussen veranderd; bekijk de pagina opnieuw',
    'the request changed meanwhile; look at the page again',
  ),
  K(
    /^request \S+ is (\w+);/,
    (m, l) => `het verzoek heeft nu de status “${statusLabel(m[1] as never, l)}”`,
    (m, l) => `the request’s status is now “${statusLabel(m[1] as never, l)}”`,
  ),
  K(
    /^this request was extended already/,
    'de termijn is al verlengd; de wet staat één verlenging van twee maanden toe',
    'the deadline was extended already; the law allows one extension of two months',
  ),
  K(
    /^the legal deadline of (\d{1,2}) (\w+) (\d{4}) has passed/,
    (m) =>
      `de wettelijke termijn van ${m[1]} ${DUTCH_MONTH[m[2]!] ?? m[2]} ${m[3]} is voorbij: verlengen kan alleen binnen een maand na ontvangst (AVG art. 12 lid 3)`,
    (m) =>
      `the legal deadline of ${m[1]} ${m[2]} ${m[3]} has passed: an extension is only possible within one month of receipt (GDPR Art. 12(3))`,
  ),
  K(
    /^this request no longer knows whom/,
    'dit verzoek weet niet meer over wie het ging',
    'this request no longer knows whom it was about',
  ),
  K(
    /^processing is not restricted/,
    'de verwerking is voor deze persoon niet beperkt',
    'processing is not restricted for this person',
  ),
  K(/^the lift was announced already/, 'de opheffing is al aangekondigd', 'the lift was announced already'),
  K(
    /^this plan is no longer waiting/,
    'dit plan wacht niet meer: een nieuwer plan of een run heeft het vervangen',
    'this plan is no longer waiting: a newer plan or a run replaced it',
  ),
  K(
    /^this plan was approved already/,
    'dit plan is al goedgekeurd: de run staat in de wachtrij of is klaar',
    'this plan was approved already: its run is queued or done',
  ),
  K(/^no retention plan /, 'dit plan bestaat niet', 'there is no such plan'),
  // The password rules (src/admin/passwords.ts) and the setup's second factor (src/admin/users.ts).
  K(
    /^Het wachtwoord is te kort: minstens (\d+)/,
    (m) => `Het wachtwoord is te kort: minstens ${m[1]} tekens.`,
    (m) => `The password is too short: at least ${m[1]} characters.`,
  ),
  K(
    /^Het wachtwoord is te lang: hoogstens (\d+)/,
    (m) => `Het wachtwoord is te lang: hoogstens ${m[1]} tekens.`,
    (m) => `The password is too long: at most ${m[1]} characters.`,
  ),
  K(
    /^Het wachtwoord herhaalt/,
    'Het wachtwoord herhaalt te weinig verschillende tekens.',
    'The password repeats too few different characters.',
  ),
  K(
    /^Het wachtwoord bestaat alleen uit cijfers/,
    'Het wachtwoord bestaat alleen uit cijfers of tekens; kies een zin of een mengsel.',
    'The password is only digits or symbols; choose a sentence or a mix.',
  ),
  K(
    /^Dit wachtwoord staat op de lijsten/,
    'Dit wachtwoord staat op de lijsten die aanvallers eerst proberen; kies iets anders.',
    'This password is on the lists attackers try first; choose another.',
  ),
  K(
    /^Het wachtwoord lijkt op het e-mailadres/,
    'Het wachtwoord lijkt op het e-mailadres; kies iets anders.',
    'The password is too close to the e-mail address; choose another.',
  ),
  K(
    /^Een functionaris moet een tweede factor/,
    'Een functionaris moet een tweede factor instellen: voer de code uit uw authenticator-app in.',
    'An officer must set up a second factor: enter the code from your authenticator app.',
  ),
  K(
    /^De code klopt niet; controleer de tijd/,
    'De code klopt niet; controleer de tijd op uw telefoon en probeer de volgende code.',
    'The code is wrong; check the time on your phone and try the next code.',
  ),
];

/** Zod's own English, when a schema gives no words of its own: for messages that arrive as text only. */
const ZOD_DEFAULTS: Known[] = [
  K(
    /^Too big: expected string to have <=(\d+) characters?$/,
    (m) => `mag ten hoogste ${m[1]} tekens lang zijn`,
    (m) => `may be at most ${m[1]} characters long`,
  ),
  K(/^Too small: expected string to have >=1 characters?$/, 'is verplicht', 'is required'),
  K(/^Invalid option/, 'is geen van de keuzes', 'is not one of the choices'),
  K(/^Invalid input/, 'ontbreekt of klopt niet', 'is missing or not valid'),
];

const say = (s: Say, m: RegExpMatchArray, lang: DeskLang) => (typeof s === 'string' ? s : s(m, lang));

/** An engine message (a field's problem or a conflict) in the page's language. */
export function problemText(message: string, lang: DeskLang, field?: string): string {
  // The registers prefix their messages with the field: "categories: …".
  const bare = field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
  for (const k of [...KNOWN, ...ZOD_DEFAULTS]) {
    const m = bare.match(k.re);
    if (m) return say(k[lang], m, lang);
  }
  return lang === 'nl' ? 'klopt niet; controleer wat u invulde' : 'is not valid; check what you entered';
}

/** A zod issue in the page's language: a known message, else its code and limits, else zod's locale. */
export function issueText(issue: z.core.$ZodIssue, lang: DeskLang): string {
  for (const k of KNOWN) {
    const m = issue.message.match(k.re);
    if (m) return say(k[lang], m, lang);
  }
  const nl = lang === 'nl';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return nl ? 'is verplicht' : 'is required';
      if (issue.origin === 'string')
        return nl
          ? `moet minstens ${issue.minimum} tekens lang zijn`
          : `must be at least ${issue.minimum} characters long`;
      break;
    case 'too_big':
      if (issue.origin === 'string')
        return nl
          ? `mag ten hoogste ${issue.maximum} tekens lang zijn`
          : `may be at most ${issue.maximum} characters long`;
      break;
    case 'invalid_format':
      if (issue.format === 'email') return nl ? 'moet een e-mailadres zijn' : 'must be an e-mail address';
      return nl ? 'bevat tekens die hier niet mogen' : 'contains characters that are not allowed here';
    case 'invalid_value':
      return nl ? 'is geen van de keuzes' : 'is not one of the choices';
    case 'invalid_type':
      return nl ? 'ontbreekt of is meer dan eens gegeven' : 'is missing or given more than once';
  }
  const locale = (lang === 'nl' ? z.locales.nl : z.locales.en)().localeError(issue as never);
  return typeof locale === 'string' ? locale : (locale?.message ?? problemText('', lang));
}

/** The first problem of a failed parse: the field it names, and what is wrong, in the page's language. */
export function firstIssue(error: z.ZodError, lang: DeskLang): { field: string; message: string } {
  const issue = error.issues[0];
  return {
    field: issue ? String(issue.path[0] ?? 'form') : 'form',
    message: issue ? issueText(issue, lang) : problemText('', lang),
  };
}
