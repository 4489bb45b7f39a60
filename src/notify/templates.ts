import {
  type ConsentWithdrawnData,
  type ConsentWithdrawVerifyData,
  consentWithdrawn,
  consentWithdrawVerify,
} from './templates/consent.ts';
import {
  type AccessPartReadyData,
  type AccessPostedData,
  accessPartReady,
  accessPosted,
} from './templates/delivery.ts';
import { type ErasedData, erased } from './templates/erasure.ts';
import { renderHtml } from './templates/html.tsx';
import {
  type AccessReadyData,
  type AwaitingIdentityData,
  accessReady,
  awaitingIdentity,
  type NoDataData,
  noData,
  type VerifyData,
  verify,
} from './templates/intake.ts';
import { type Lang, type MailContent, type MailContext, p, type RenderedMail } from './templates/model.ts';
import {
  type ObjectionRejectedData,
  type ObjectionUpheldData,
  objectionHonoured,
  objectionReceived,
  objectionRejected,
  objectionUpheld,
  type PurposesData,
  type RestrictionLiftedData,
  restrictionLifted,
} from './templates/objection.ts';
import { type OfficerReminderData, officerReminder } from './templates/officer.ts';
import {
  type CompletedData,
  completed,
  type ExtendedData,
  extended,
  type NoData,
  type RectificationReceivedData,
  type RectifiedData,
  type RejectedData,
  rectificationReceived,
  rectified,
  rejected,
  restricted,
} from './templates/outcomes.ts';
import { type PolicyChangedData, policyChanged } from './templates/policy.ts';
import { type RetentionReminderData, retentionReminder } from './templates/retention.ts';
import { type ScanFindingsData, scanFindings } from './templates/scan.ts';
import { extractLinks, renderText } from './templates/text.ts';
import { formatDay } from './templates/words.ts';

export type { ConsentWithdrawnData, ConsentWithdrawVerifyData } from './templates/consent.ts';
export type { AccessPartReadyData, AccessPostedData } from './templates/delivery.ts';
export type { ErasedData } from './templates/erasure.ts';
export type { AccessReadyData, AwaitingIdentityData, NoDataData, VerifyData } from './templates/intake.ts';
export type { Lang, MailContext, RenderedMail } from './templates/model.ts';
export type {
  ObjectionRejectedData,
  ObjectionUpheldData,
  PurposesData,
  RestrictionLiftedData,
} from './templates/objection.ts';
export type { DueRequest, OfficerReminderData } from './templates/officer.ts';
export type {
  CompletedData,
  ExtendedData,
  NoData,
  RectificationReceivedData,
  RectifiedData,
  RejectedData,
} from './templates/outcomes.ts';
export type { PolicyChangedData } from './templates/policy.ts';
export type { RetentionReminderData } from './templates/retention.ts';
export type { ScanFindingsData } from './templates/scan.ts';
export {
  AUTORITEIT_PERSOONSGEGEVENS,
  formatDateTime,
  type RequestType,
  requestPhrase,
  requestTypeName,
} from './templates/words.ts';

/** Every message Inzage sends, with the data each one needs. */
export interface MailData {
  verify: VerifyData;
  'awaiting-identity': AwaitingIdentityData;
  'access-ready': AccessReadyData;
  'no-data': NoDataData;
  rectified: RectifiedData;
  'rectification-received': RectificationReceivedData;
  'access-part-ready': AccessPartReadyData;
  'access-posted': AccessPostedData;
  restricted: NoData;
  'restriction-lifted': RestrictionLiftedData;
  'objection-received': PurposesData;
  'objection-honoured': PurposesData;
  'objection-upheld': ObjectionUpheldData;
  'objection-rejected': ObjectionRejectedData;
  erased: ErasedData;
  rejected: RejectedData;
  extended: ExtendedData;
  completed: CompletedData;
  'officer-reminder': OfficerReminderData;
  'consent-withdraw-verify': ConsentWithdrawVerifyData;
  'consent-withdrawn': ConsentWithdrawnData;
  'policy-changed': PolicyChangedData;
  'retention-reminder': RetentionReminderData;
  'scan-findings': ScanFindingsData;
}

export type MailTemplate = keyof MailData;

type Letters = { [T in MailTemplate]: Record<Lang, (data: MailData[T], ctx: MailContext) => MailContent> };

const LETTERS: Letters = {
  verify,
  'awaiting-identity': awaitingIdentity,
  'access-ready': accessReady,
  'no-data': noData,
  rectified,
  'rectification-received': rectificationReceived,
  'access-part-ready': accessPartReady,
  'access-posted': accessPosted,
  restricted,
  'restriction-lifted': restrictionLifted,
  'objection-received': objectionReceived,
  'objection-honoured': objectionHonoured,
  'objection-upheld': objectionUpheld,
  'objection-rejected': objectionRejected,
  erased,
  rejected,
  extended,
  completed,
  'officer-reminder': officerReminder,
  'consent-withdraw-verify': consentWithdrawVerify,
  'consent-withdrawn': consentWithdrawn,
  'policy-changed': policyChanged,
  'retention-reminder': retentionReminder,
  'scan-findings': scanFindings,
};

export const MAIL_TEMPLATES = Object.keys(LETTERS) as MailTemplate[];

export const isMailTemplate = (name: string): name is MailTemplate => Object.hasOwn(LETTERS, name);

const CLOSING = {
  nl: (shop: string) => ['Met vriendelijke groet,', shop],
  en: (shop: string) => ['Kind regards,', shop],
};

/** "Balkonzon b.v." already ends the sentence. */
const sentence = (s: string) => (s.endsWith('.') ? s : `${s}.`);
const FOOTER = {
  nl: (shop: string) => sentence(`Deze e-mail is automatisch verstuurd door Inzage namens ${shop}`),
  en: (shop: string) => sentence(`This e-mail was sent automatically by Inzage on behalf of ${shop}`),
};

/**
 * A request that takes days gets a page to follow it (`status` in the message's data): its reference, the
 * link, and by when it is done, put before the closing questions. The page holds no personal data.
 */
export interface StatusLinkData {
  link: string;
  reference: string;
  /** When the request is answered in full at the latest. */
  dueAt?: string;
}

function withStatusLink(content: MailContent, status: StatusLinkData | undefined, lang: Lang): MailContent {
  if (!status) return content;
  const blocks = [
    p(
      lang === 'nl'
        ? `Uw verzoek heeft het kenmerk ${status.reference}. Noem dat kenmerk als u ons over dit verzoek mailt.`
        : `Your request has the reference ${status.reference}. Please quote it when you e-mail us about this request.`,
    ),
    ...(status.dueAt
      ? [
          p(
            lang === 'nl'
              ? `Wij ronden uw verzoek uiterlijk op ${formatDay(status.dueAt, 'nl')} af.`
              : `We will complete your request by ${formatDay(status.dueAt, 'en')} at the latest.`,
          ),
        ]
      : []),
    p(
      lang === 'nl'
        ? 'Op deze pagina ziet u hoe het met uw verzoek staat en wat er wanneer is gebeurd. Er staan geen persoonsgegevens op:'
        : 'This page shows where your request stands and what happened when. It holds no personal data:',
    ),
    p({ href: status.link }),
  ];
  const at = Math.max(0, content.blocks.length - 1);
  return { ...content, blocks: [...content.blocks.slice(0, at), ...blocks, ...content.blocks.slice(at)] };
}

/** Renders a message in Dutch or English: subject, plain text, HTML and the URLs it contains. */
export function renderMail<T extends MailTemplate>(
  template: T,
  lang: Lang,
  data: MailData[T],
  ctx: MailContext,
): RenderedMail {
  if (!isMailTemplate(template)) throw new Error(`MAIL_TEMPLATE_UNKNOWN: no mail template named ${template}`);
  const letter = LETTERS[template] as Record<Lang, (data: MailData[T], ctx: MailContext) => MailContent>;
  const content = withStatusLink(letter[lang](data, ctx), (data as { status?: StatusLinkData }).status, lang);
  const closing = content.internal ? [] : CLOSING[lang](ctx.shopName);
  const footer = content.internal ? 'Inzage' : FOOTER[lang](ctx.shopName);
  const text = renderText(content, closing, footer);
  return {
    subject: content.subject,
    text,
    html: renderHtml(content, lang, {
      shopName: content.internal ? undefined : ctx.shopName,
      branding: content.internal ? undefined : ctx.branding,
      closing,
      footer,
    }),
    links: extractLinks(text),
  };
}
