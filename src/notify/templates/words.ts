import { formatDate } from '../../policy/labels.ts';
import { type Block, type Lang, link, type MailContext, p } from './model.ts';

export type RequestType =
  | 'access'
  | 'portability'
  | 'rectification'
  | 'restriction'
  | 'objection'
  | 'erasure'
  | 'closure';

const TYPES: Record<RequestType, { name: Record<Lang, string>; request: Record<Lang, string> }> = {
  access: {
    name: { nl: 'inzage', en: 'access' },
    request: { nl: 'uw verzoek om inzage', en: 'your request for access' },
  },
  portability: {
    name: { nl: 'overdracht', en: 'data portability' },
    request: { nl: 'uw verzoek om overdracht van uw gegevens', en: 'your request for data portability' },
  },
  rectification: {
    name: { nl: 'correctie', en: 'rectification' },
    request: { nl: 'uw verzoek om correctie', en: 'your request for rectification' },
  },
  restriction: {
    name: { nl: 'beperking', en: 'restriction of processing' },
    request: { nl: 'uw verzoek om beperking van de verwerking', en: 'your request to restrict processing' },
  },
  objection: { name: { nl: 'bezwaar', en: 'objection' }, request: { nl: 'uw bezwaar', en: 'your objection' } },
  erasure: {
    name: { nl: 'verwijdering', en: 'erasure' },
    request: { nl: 'uw verzoek om verwijdering', en: 'your request for erasure' },
  },
  closure: {
    name: { nl: 'opzeggen van uw account', en: 'closing your account' },
    request: { nl: 'uw verzoek om uw account op te zeggen', en: 'your request to close your account' },
  },
};

/** The right in words: "inzage", "verwijdering" / "access", "erasure". */
export const requestTypeName = (type: RequestType, lang: Lang): string => TYPES[type].name[lang];

/** The request in a sentence: "uw verzoek om inzage" / "your request for access". */
export const requestPhrase = (type: RequestType, lang: Lang): string => TYPES[type].request[lang];

export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Offset of Europe/Amsterdam from UTC at `at`, in hours: CEST (2) from the last Sunday of March,
 * 01:00 UTC, to the last Sunday of October, 01:00 UTC; CET (1) otherwise. The EU rule, by hand,
 * so that the text does not depend on the time-zone data of the Node build.
 */
export function amsterdamOffset(at: Date): number {
  const year = at.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = new Date(Date.UTC(year, month + 1, 0, 1));
    return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
  };
  const t = at.getTime();
  return t >= lastSunday(2) && t < lastSunday(9) ? 2 : 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment in Dutch time: "28 november 2026 om 14:03" / "28 November 2026 at 14:03". */
export function formatDateTime(at: string | Date, lang: Lang): string {
  const utc = new Date(at);
  if (Number.isNaN(utc.getTime())) return String(at);
  const local = new Date(utc.getTime() + amsterdamOffset(utc) * 3_600_000);
  const day = local.toISOString().slice(0, 10);
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  return `${formatDate(day, lang)} ${lang === 'nl' ? 'om' : 'at'} ${time}`;
}

/** A day: "28 november 2026". A full timestamp is taken as the day it is in Amsterdam. */
export function formatDay(at: string | Date, lang: Lang): string {
  if (typeof at === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(at)) return formatDate(at, lang);
  const utc = new Date(at);
  if (Number.isNaN(utc.getTime())) return String(at);
  return formatDate(new Date(utc.getTime() + amsterdamOffset(utc) * 3_600_000).toISOString(), lang);
}

/**
 * The last day of a term, from its end as stored: holds end at the first moment after them (the fiscal
 * hold of a 2026 invoice ends 1 January 2034, 00:00 in Amsterdam, or the plain day `2034-01-01` a
 * processor's report gives), and a person is told the last day something is kept: "tot en met 31 december
 * 2033". A plain date is the first day no longer kept, as `fiscalRetainedUntil` gives it.
 */
export function formatLastDay(at: string, lang: Lang): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) {
    const day = new Date(`${at}T12:00:00Z`);
    day.setUTCDate(day.getUTCDate() - 1);
    return formatDate(day.toISOString().slice(0, 10), lang);
  }
  const end = Date.parse(at);
  return Number.isNaN(end) ? at : formatDay(new Date(end - 1), lang);
}

export const AUTORITEIT_PERSOONSGEGEVENS = {
  name: 'Autoriteit Persoonsgegevens',
  website: 'https://autoriteitpersoonsgegevens.nl',
} as const;

/** Art. 12(4) GDPR: a person told "no" hears where to complain and that a court is open to them. */
export function complaintBlock(lang: Lang, ctx: MailContext): Block {
  const authority = ctx.complaintAuthority ?? AUTORITEIT_PERSOONSGEGEVENS;
  const where = authority.website ? [' (', link(authority.website), ')'] : [];
  return lang === 'nl'
    ? p(
        `Bent u het hier niet mee eens? Dan kunt u een klacht indienen bij de ${authority.name}`,
        ...where,
        '. U kunt ook naar de rechter stappen.',
      )
    : p(
        `If you disagree, you have the right to lodge a complaint with the ${authority.name}`,
        ...where,
        '. You may also go to court.',
      );
}

/** "Vragen? Mail …": the way back to a person, at the end of every message to the data subject. */
export function questionsBlock(lang: Lang, ctx: MailContext): Block {
  return lang === 'nl'
    ? p(`Heeft u vragen? Stuur dan een e-mail naar ${ctx.privacyEmail}.`)
    : p(`Any questions? E-mail us at ${ctx.privacyEmail}.`);
}

/** "3 records", "1 record": plural by count. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
