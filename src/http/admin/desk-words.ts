import type { Decision, Urgency } from '../../admin/desk.ts';
import { formatDateTime, formatDay, formatLastDay } from '../../notify/templates/words.ts';
import type { RequestStatus, RequestType } from '../../requests/request.types.ts';
import type { DeskLang } from './desk-lang.ts';

/**
 * The words the back office uses for the engine's codes — rights, statuses, channels, events, outcomes,
 * what a system did — in Dutch and in English. One page speaks one language: every code shown to the
 * officer passes through here, and a code without words is shown as a neutral phrase, never as its slug.
 */

type Words = Record<DeskLang, Record<string, string>>;

const pick = (table: Words, lang: DeskLang, code: string, otherwise: Record<DeskLang, string>): string =>
  table[lang][code] ?? otherwise[lang];

const TYPES: Record<DeskLang, Record<RequestType, string>> = {
  nl: {
    access: 'Inzage',
    portability: 'Overdracht',
    rectification: 'Correctie',
    restriction: 'Beperking',
    objection: 'Bezwaar',
    erasure: 'Verwijdering',
    closure: 'Account opzeggen',
  },
  en: {
    access: 'Access',
    portability: 'Portability',
    rectification: 'Rectification',
    restriction: 'Restriction',
    objection: 'Objection',
    erasure: 'Erasure',
    closure: 'Account closure',
  },
};
export const typeLabel = (type: RequestType, lang: DeskLang): string => TYPES[lang][type] ?? type;

const STATUS: Record<DeskLang, Record<RequestStatus, string>> = {
  nl: {
    awaiting_verification: 'wacht op bevestiging door de persoon',
    awaiting_identity: 'identiteit controleren',
    verified: 'bevestigd',
    in_progress: 'in behandeling',
    awaiting_decision: 'wacht op uw besluit',
    waiting_on_tasks: 'wacht op taken bij verwerkers',
    completed: 'afgerond',
    rejected: 'afgewezen',
    expired: 'verlopen (niet bevestigd)',
  },
  en: {
    awaiting_verification: 'waiting for the person to confirm',
    awaiting_identity: 'check identity',
    verified: 'confirmed',
    in_progress: 'in progress',
    awaiting_decision: 'waiting for your decision',
    waiting_on_tasks: 'waiting for tasks at processors',
    completed: 'completed',
    rejected: 'declined',
    expired: 'expired (not confirmed)',
  },
};
export const statusLabel = (status: RequestStatus, lang: DeskLang): string =>
  STATUS[lang][status] ?? { nl: 'onbekende status', en: 'unknown status' }[lang];

const CHANNELS: Words = {
  nl: {
    email: 'per e-mail',
    post: 'per post',
    phone: 'telefonisch',
    'in-person': 'persoonlijk (aan de balie)',
    shop: 'via de webwinkel (account opgezegd)',
    shopify: 'via Shopify (namens de klant, door Shopify geverifieerd)',
  },
  en: {
    email: 'by e-mail',
    post: 'by post',
    phone: 'by phone',
    'in-person': 'in person (at the counter)',
    shop: 'through the web shop (account closed)',
    shopify: 'through Shopify (on behalf of the customer, verified by Shopify)',
  },
};
/** How a request reached the shop; online requests have none. */
export const channelLabel = (channel: string, lang: DeskLang): string =>
  pick(CHANNELS, lang, channel, { nl: 'via een ander kanaal', en: 'through another channel' });

export const day = (iso: string | null | undefined, lang: DeskLang): string => (iso ? formatDay(iso, lang) : '—');
/**
 * The last day of a hold that ends at an instant (the archive stores midnight after the last day, e.g. the
 * fiscal hold's 1 January 2034 00:00): "31 december 2033", as the person's letter says it (lastDayHeld).
 */
export const lastDay = (iso: string | null | undefined, lang: DeskLang): string =>
  iso ? formatLastDay(iso, lang) : '—';
export const moment = (iso: string | null | undefined, lang: DeskLang): string =>
  iso ? formatDateTime(iso, lang) : '—';

/** The deadline in words, so that urgency never rests on colour alone. */
export function urgencyText(urgency: Urgency, daysLeft: number, lang: DeskLang): string {
  const n = Math.abs(daysLeft);
  if (lang === 'en') {
    if (urgency === 'overdue') return n === 1 ? 'overdue: 1 day' : `overdue: ${n} days`;
    if (daysLeft <= 0) return 'today';
    if (urgency === 'soon') return daysLeft === 1 ? 'tomorrow' : `within ${daysLeft} days`;
    return `${daysLeft} days left`;
  }
  if (urgency === 'overdue') return n === 1 ? 'te laat: 1 dag' : `te laat: ${n} dagen`;
  if (daysLeft <= 0) return 'vandaag';
  if (urgency === 'soon') return daysLeft === 1 ? 'morgen' : `binnen ${daysLeft} dagen`;
  return `nog ${daysLeft} dagen`;
}

export const DECISION_LABEL: Record<DeskLang, Record<Decision, string>> = {
  nl: {
    approve: 'Goedkeuren',
    reject: 'Afwijzen',
    extend: 'Termijn verlengen',
    'verify-identity': 'Identiteit is gecontroleerd',
    lift: 'Beperking opheffen',
  },
  en: {
    approve: 'Approve',
    reject: 'Decline',
    extend: 'Extend the deadline',
    'verify-identity': 'Identity has been checked',
    lift: 'Lift the restriction',
  },
};

const EVENTS: Words = {
  nl: {
    received: 'ontvangen',
    joined: 'nogmaals ingediend en hierbij gevoegd',
    verification_resent: 'bevestigingslink opnieuw gestuurd',
    verification_delayed: 'bevestigingsmail later gestuurd (veel e-mail naar dit adres)',
    verified: 'bevestigd door de persoon',
    awaiting_identity: 'wacht op controle van de identiteit',
    exported: 'gegevens verzameld en klaargezet',
    no_data: 'geen gegevens gevonden in onze eigen systemen',
    downloaded: 'gedownload door de persoon',
    export_destroyed: 'exportbestand vernietigd',
    awaiting_decision: 'wacht op besluit',
    approved: 'goedgekeurd',
    rejected: 'afgewezen',
    extended: 'termijn verlengd',
    identity_verified: 'identiteit gecontroleerd',
    restriction_lift_announced: 'opheffing van de beperking aangekondigd aan de persoon',
    restriction_lifted: 'beperking opgeheven',
    objection_honoured: 'bezwaar tegen direct marketing direct gehonoreerd',
    closed_by_erasure: 'afgesloten door een verwijdering',
    task_done: 'taak afgerond',
    waiting_on_tasks: 'wacht op taken bij verwerkers',
    completed: 'afgerond',
    expired: 'verlopen',
    processor_unavailable: 'verwerker niet bereikbaar; volgt later opnieuw',
    system_unavailable: 'systeem niet bereikbaar; volgt later opnieuw',
    resumed: 'opnieuw gestart',
  },
  en: {
    received: 'received',
    joined: 'sent again and joined to this one',
    verification_resent: 'confirmation link sent again',
    verification_delayed: 'confirmation e-mail sent later (much e-mail to this address)',
    verified: 'confirmed by the person',
    awaiting_identity: 'waiting for an identity check',
    exported: 'data collected and made ready',
    no_data: 'no data found in our own systems',
    downloaded: 'downloaded by the person',
    export_destroyed: 'export file destroyed',
    awaiting_decision: 'waiting for a decision',
    approved: 'approved',
    rejected: 'declined',
    extended: 'deadline extended',
    identity_verified: 'identity checked',
    restriction_lift_announced: 'lifting of the restriction announced to the person',
    restriction_lifted: 'restriction lifted',
    objection_honoured: 'objection to direct marketing honoured at once',
    closed_by_erasure: 'closed by an erasure',
    task_done: 'task done',
    waiting_on_tasks: 'waiting for tasks at processors',
    completed: 'completed',
    expired: 'expired',
    processor_unavailable: 'processor unreachable; will be tried again',
    system_unavailable: 'system unreachable; will be tried again',
    resumed: 'started again',
  },
};
export const eventLabel = (event: string, lang: DeskLang): string =>
  pick(EVENTS, lang, event, { nl: 'gebeurtenis', en: 'event' });

const ACTIONS: Words = {
  nl: { access: 'opvragen', erase: 'verwijderen', rectify: 'corrigeren', restrict: 'beperken', deliver: 'bezorgen' },
  en: { access: 'request the data', erase: 'erase', rectify: 'correct', restrict: 'restrict', deliver: 'deliver' },
};
export const actionLabel = (action: string, lang: DeskLang): string =>
  pick(ACTIONS, lang, action, { nl: 'andere actie', en: 'other action' });

/** What a system or processor did (the engine's status of a system, a processor notice, a task). */
const OUTCOME_OF_SYSTEM: Words = {
  nl: {
    erased: 'gewist',
    'nothing-found': 'niets gevonden',
    failed: 'mislukt',
    manual: 'met de hand (taak)',
    'dry-run': 'proefrun',
    rectified: 'gecorrigeerd',
    restricted: 'beperkt',
    done: 'gedaan',
    retained: 'deels bewaard (wettelijke plicht)',
    open: 'nog te doen',
  },
  en: {
    erased: 'erased',
    'nothing-found': 'nothing found',
    failed: 'failed',
    manual: 'by hand (task)',
    'dry-run': 'dry run',
    rectified: 'corrected',
    restricted: 'restricted',
    done: 'done',
    retained: 'partly kept (legal duty)',
    open: 'to do',
  },
};
export const systemOutcomeLabel = (status: string, lang: DeskLang): string =>
  pick(OUTCOME_OF_SYSTEM, lang, status, { nl: 'onbekend', en: 'unknown' });
export const isSystemOutcome = (code: string): boolean => Object.hasOwn(OUTCOME_OF_SYSTEM.en, code);

/** How a request ended. */
const OUTCOMES: Words = {
  nl: {
    exported: 'gegevens verstrekt',
    'no data': 'geen gegevens gevonden',
    erased: 'verwijderd',
    rectified: 'gecorrigeerd',
    restricted: 'verwerking beperkt',
    rejected: 'afgewezen',
    retention: 'verwijderd na de bewaartermijn',
    'objection honoured': 'bezwaar gehonoreerd',
    'objection upheld': 'bezwaar toegekend',
    'closed by erasure': 'afgesloten door een verwijdering',
    'not verified within 48 hours': 'niet binnen 48 uur bevestigd',
  },
  en: {
    exported: 'data provided',
    'no data': 'no data found',
    erased: 'erased',
    rectified: 'corrected',
    restricted: 'processing restricted',
    rejected: 'declined',
    retention: 'erased after the retention period',
    'objection honoured': 'objection honoured',
    'objection upheld': 'objection upheld',
    'closed by erasure': 'closed by an erasure',
    'not verified within 48 hours': 'not confirmed within 48 hours',
  },
};
export const outcomeLabel = (outcome: string, lang: DeskLang): string =>
  pick(OUTCOMES, lang, outcome, { nl: 'afgehandeld', en: 'handled' });

/** Why an export package was destroyed. */
const DESTROYED_WHY: Words = {
  nl: {
    expired: 'de link is verlopen',
    'downloads used': 'alle downloads zijn gebruikt',
    erased: 'de persoon is gewist',
  },
  en: { expired: 'the link expired', 'downloads used': 'every download was used', erased: 'the person was erased' },
};
export const destroyedWhy = (why: string, lang: DeskLang): string | undefined => DESTROYED_WHY[lang][why];

const MONTHS: Record<DeskLang, string[]> = {
  nl: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
/** `2026-11` → "nov 2026" (short: it labels a bar). */
export function monthLabel(month: string, lang: DeskLang): string {
  const [y, m] = month.split('-');
  return `${MONTHS[lang][Number(m) - 1] ?? m} ${y}`;
}

/** "1 verzoek", "3 verzoeken". */
export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
