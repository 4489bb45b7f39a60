import type { Decision, Urgency } from '../../admin/desk.ts';
import { capitalize, formatDateTime, formatDay, requestTypeName } from '../../notify/templates/words.ts';
import type { RequestStatus, RequestType } from '../../requests/request.types.ts';

/** The back office speaks Dutch: the officer and the staff are Balkonzon's own people. */
export const typeLabel = (type: RequestType): string => capitalize(requestTypeName(type, 'nl'));

const STATUS: Record<RequestStatus, string> = {
  awaiting_verification: 'wacht op bevestiging door de persoon',
  awaiting_identity: 'identiteit controleren',
  verified: 'bevestigd',
  in_progress: 'in behandeling',
  awaiting_decision: 'wacht op uw besluit',
  waiting_on_tasks: 'wacht op taken bij verwerkers',
  completed: 'afgerond',
  rejected: 'afgewezen',
  expired: 'verlopen (niet bevestigd)',
};
export const statusLabel = (status: RequestStatus): string => STATUS[status] ?? status;

const CHANNELS: Record<string, string> = {
  email: 'per e-mail',
  post: 'per post',
  phone: 'telefonisch',
  'in-person': 'persoonlijk (aan de balie)',
  shop: 'de webwinkel (account opgezegd)',
  shopify: 'Shopify (namens de klant, door Shopify geverifieerd)',
};
/** How a request reached the shop; online requests have none. */
export const channelLabel = (channel: string): string => CHANNELS[channel] ?? channel;

export const day = (iso: string | null | undefined): string => (iso ? formatDay(iso, 'nl') : '—');
export const moment = (iso: string | null | undefined): string => (iso ? formatDateTime(iso, 'nl') : '—');

/** The deadline in words, so that urgency never rests on colour alone. */
export function urgencyText(urgency: Urgency, daysLeft: number): string {
  if (urgency === 'overdue') return daysLeft === -1 ? 'te laat: 1 dag' : `te laat: ${-daysLeft} dagen`;
  if (daysLeft <= 0) return 'vandaag';
  if (urgency === 'soon') return daysLeft === 1 ? 'morgen' : `binnen ${daysLeft} dagen`;
  return `nog ${daysLeft} dagen`;
}

export const DECISION_LABEL: Record<Decision, string> = {
  approve: 'Goedkeuren',
  reject: 'Afwijzen',
  extend: 'Termijn verlengen',
  'verify-identity': 'Identiteit is gecontroleerd',
  lift: 'Beperking opheffen',
};

const EVENTS: Record<string, string> = {
  received: 'ontvangen',
  joined: 'nogmaals ingediend en hierbij gevoegd',
  verification_resent: 'bevestigingslink opnieuw gestuurd',
  verification_delayed: 'bevestigingsmail later gestuurd (veel e-mail naar dit adres)',
  verified: 'bevestigd door de persoon',
  exported: 'gegevens verzameld en klaargezet',
  downloaded: 'gedownload door de persoon',
  export_destroyed: 'exportbestand vernietigd',
  awaiting_decision: 'wacht op besluit',
  approved: 'goedgekeurd',
  rejected: 'afgewezen',
  extended: 'termijn verlengd',
  identity_verified: 'identiteit gecontroleerd',
  restriction_lifted: 'beperking opgeheven',
  task_done: 'taak afgerond',
  waiting_on_tasks: 'wacht op taken bij verwerkers',
  completed: 'afgerond',
  expired: 'verlopen',
  processor_unavailable: 'verwerker niet bereikbaar; volgt later opnieuw',
  system_unavailable: 'systeem niet bereikbaar; volgt later opnieuw',
  resumed: 'opnieuw gestart',
};
export const eventLabel = (event: string): string => EVENTS[event] ?? event.replaceAll('_', ' ');

const ACTIONS: Record<string, string> = {
  access: 'opvragen',
  erase: 'verwijderen',
  rectify: 'corrigeren',
  restrict: 'beperken',
};
export const actionLabel = (action: string): string => ACTIONS[action] ?? action;

/** `2026-11` → "nov 2026" (short: it labels a bar). */
export function monthLabel(month: string): string {
  const names = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
  const [y, m] = month.split('-');
  return `${names[Number(m) - 1] ?? m} ${y}`;
}
