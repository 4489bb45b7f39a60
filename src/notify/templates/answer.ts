import { type Block, type Lang, link, list, type MailContext, p } from './model.ts';
import { AUTORITEIT_PERSOONSGEGEVENS } from './words.ts';

/**
 * What the access e-mail tells besides the download (GDPR Art. 15(1)(a)-(h), 15(2)), already in words
 * of the person's language: the request handling derives it from the policy (requests/export-answer.ts)
 * with the package, so the e-mail and index.html say the same. Never table names, columns or ids.
 */
export interface AccessAnswerSummary {
  /** "Doel: grondslag". */
  purposes: string[];
  categories: string[];
  /** "Naam (rol)". */
  recipients: string[];
  /** "Gegevens: hoe lang". */
  retention: string[];
  /** Data that does not come from the person: "Beoordelingen: van WebwinkelKeur …". */
  sources: string[];
  /** "Partij (land): waarborg"; empty when nothing leaves the EEA. */
  transfers: string[];
  /** "Wat: aantal, tot en met datum (waarom)". */
  sealed: string[];
  /** What happens to the parts still to come, truthfully: asked already, or the officer will ask. */
  pending: string[];
  /** Absent when the policy does not say. */
  automatedDecisions?: string;
  /** The titles of the rights. */
  rights: string[];
}

const WORDS = {
  nl: {
    purposes: 'Waarvoor wij uw gegevens gebruiken, en op welke grond:',
    categories: 'Welke soorten gegevens wij over u hebben:',
    recipients: 'Wie uw gegevens ontvangt of kan hebben:',
    retention: 'Hoe lang wij ze bewaren:',
    sources: 'Gegevens die niet van uzelf komen, en waar ze vandaan komen:',
    transfers: 'Doorgifte buiten de Europese Economische Ruimte, met de waarborg:',
    noTransfers: 'Geen van deze partijen verwerkt uw gegevens buiten de Europese Economische Ruimte.',
    sealed:
      'Deze gegevens moeten wij bewaren; ze staan in een afgesloten archief waartoe medewerkers geen toegang hebben, en worden aan het eind van de termijn vernietigd:',
    pending: 'Nog niet in het pakket:',
    rights: 'Uw rechten:',
  },
  en: {
    purposes: 'What we use your data for, and on what ground:',
    categories: 'The kinds of data we hold about you:',
    recipients: 'Who receives your data or may hold it:',
    retention: 'How long we keep it:',
    sources: 'Data that does not come from you, and where it comes from:',
    transfers: 'Transfers outside the European Economic Area, with the safeguard:',
    noTransfers: 'None of these parties processes your data outside the European Economic Area.',
    sealed:
      'We must keep this data; it is in a closed archive that our staff cannot access, and it is destroyed at the end of the term:',
    pending: 'Not in the package yet:',
    rights: 'Your rights:',
  },
} as const;

const section = (heading: string, items: string[]): Block[] =>
  items.length > 0 ? [p(heading), list(items.map((i) => [i]))] : [];

/** The parts still to come, first: they change what "your data" in the package means. */
export function pendingBlocks(a: AccessAnswerSummary, lang: Lang): Block[] {
  return section(WORDS[lang].pending, a.pending);
}

/** The blocks of the summary, in the order GDPR Art. 15(1) lists them. */
export function answerBlocks(a: AccessAnswerSummary, lang: Lang): Block[] {
  const w = WORDS[lang];
  return [
    ...section(w.purposes, a.purposes),
    ...section(w.categories, a.categories),
    ...section(w.recipients, a.recipients),
    ...(a.recipients.length > 0
      ? a.transfers.length > 0
        ? section(w.transfers, a.transfers)
        : [p(w.noTransfers)]
      : []),
    ...section(w.retention, a.retention),
    ...section(w.sealed, a.sealed),
    ...section(w.sources, a.sources),
    ...(a.automatedDecisions ? [p(a.automatedDecisions)] : []),
    ...section(w.rights, a.rights),
  ];
}

/** GDPR Art. 15(1)(f): the right to complain, said plainly (not as after a refusal). */
export function complaintRoute(lang: Lang, ctx: MailContext): Block {
  const authority = ctx.complaintAuthority ?? AUTORITEIT_PERSOONSGEGEVENS;
  const where = authority.website ? [' (', link(authority.website), ')'] : [];
  return lang === 'nl'
    ? p(`U kunt altijd een klacht indienen bij de ${authority.name}`, ...where, '.')
    : p(`You can always lodge a complaint with the ${authority.name}`, ...where, '.');
}
