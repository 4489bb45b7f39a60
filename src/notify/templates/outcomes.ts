import { type Lang, list, type MailContent, type MailContext, p, quote } from './model.ts';
import { capitalize, complaintBlock, formatDay, questionsBlock, type RequestType, requestPhrase } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

const _policyUrl = (ctx: MailContext, lang: Lang) => `${ctx.baseUrl.replace(/\/+$/, '')}/privacy?lang=${lang}`;

export interface RejectedData {
  type: RequestType;
  reason: string;
}

export const rejected: Letter<RejectedData> = {
  nl: (d, ctx) => ({
    subject: `${capitalize(requestPhrase(d.type, 'nl'))} is afgewezen`,
    blocks: [
      p(`Wij hebben ${requestPhrase(d.type, 'nl')} zorgvuldig bekeken en kunnen er niet aan voldoen. Onze reden:`),
      quote(d.reason),
      complaintBlock('nl', ctx),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: `${capitalize(requestPhrase(d.type, 'en'))} has been declined`,
    blocks: [
      p(`We have carefully considered ${requestPhrase(d.type, 'en')} and cannot grant it. Our reason:`),
      quote(d.reason),
      complaintBlock('en', ctx),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface ExtendedData {
  type: RequestType;
  reason: string;
  /** The new due date. */
  dueAt: string | Date;
}

/** GDPR Art. 12(3): the person hears within the first month that, and why, the answer takes longer. */
export const extended: Letter<ExtendedData> = {
  nl: (d, ctx) => ({
    subject: `Wij hebben meer tijd nodig voor ${requestPhrase(d.type, 'nl')}`,
    blocks: [
      p(
        `Wij kunnen ${requestPhrase(d.type, 'nl')} niet binnen de gewone termijn van één maand afhandelen. ` +
          'De AVG (artikel 12, derde lid) staat toe die termijn met ten hoogste twee maanden te verlengen als een ' +
          `verzoek ingewikkeld is of als er veel verzoeken zijn. Wij verlengen de termijn tot ${formatDay(d.dueAt, 'nl')}. ` +
          'De reden:',
      ),
      quote(d.reason),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: `We need more time for ${requestPhrase(d.type, 'en')}`,
    blocks: [
      p(
        `We cannot complete ${requestPhrase(d.type, 'en')} within the usual period of one month. The GDPR ` +
          '(Article 12(3)) allows that period to be extended by up to two further months where a request is complex ' +
          `or requests are numerous. We are extending it until ${formatDay(d.dueAt, 'en')}. The reason:`,
      ),
      quote(d.reason),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface CompletedData {
  type: RequestType;
}

export const completed: Letter<CompletedData> = {
  nl: (d, ctx) => ({
    subject: `${capitalize(requestPhrase(d.type, 'nl'))} is afgehandeld`,
    blocks: [
      p(
        `Wij hebben ${requestPhrase(d.type, 'nl')} volledig afgehandeld. Alle stappen zijn uitgevoerd, ook bij de ` +
          'partijen die namens ons uw gegevens verwerken.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: `${capitalize(requestPhrase(d.type, 'en'))} has been completed`,
    blocks: [
      p(
        `We have fully completed ${requestPhrase(d.type, 'en')}. Every step has been carried out, including by ` +
          'the parties that process your data on our behalf.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface RectifiedData {
  /** The fields corrected, in words ("adres", "telefoonnummer"). */
  fields: string[];
  /** False when no system held data at this address to correct (absent: true, as in older messages). */
  found?: boolean;
  /** Processors without a connection to us, whom the officer asks to correct it too (nobody has yet). */
  pendingProcessors?: string[];
}

export const rectified: Letter<RectifiedData> = {
  nl: (d, ctx) => ({
    subject:
      d.found === false && !d.pendingProcessors?.length
        ? 'Wij vonden geen gegevens om te corrigeren'
        : d.pendingProcessors?.length
          ? 'Uw verzoek om correctie: enkele verwerkers volgen nog'
          : 'Uw gegevens zijn gecorrigeerd',
    blocks: [
      d.found === false
        ? p(
            'Wij hebben in onze systemen gezocht naar gegevens bij dit e-mailadres om te corrigeren, en niets ' +
              'gevonden. Heeft u bij ons een ander e-mailadres gebruikt? Doe dan een nieuw verzoek met dat adres.',
          )
        : p(
            d.fields.length > 0
              ? 'Wij hebben uw verzoek om correctie uitgevoerd in onze systemen. Deze gegevens zijn aangepast:'
              : 'Wij hebben uw verzoek om correctie uitgevoerd in onze systemen.',
          ),
      ...(d.found !== false && d.fields.length > 0 ? [list(d.fields.map((f) => [f]))] : []),
      ...(d.pendingProcessors?.length
        ? [
            p(
              'Deze partijen verwerken gegevens namens ons en hebben geen koppeling met onze systemen; wij gaan hen ' +
                'vragen de correctie ook door te voeren:',
            ),
            list(d.pendingProcessors.map((x) => [x])),
          ]
        : []),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject:
      d.found === false && !d.pendingProcessors?.length
        ? 'We found no data to correct'
        : d.pendingProcessors?.length
          ? 'Your request for rectification: some processors are still to follow'
          : 'Your data has been corrected',
    blocks: [
      d.found === false
        ? p(
            'We searched our systems for data linked to this e-mail address to correct, and found none. Did you ' +
              'use another e-mail address with us? Then please make a new request with that address.',
          )
        : p(
            d.fields.length > 0
              ? 'We have carried out your request for rectification in our systems. These details were corrected:'
              : 'We have carried out your request for rectification in our systems.',
          ),
      ...(d.found !== false && d.fields.length > 0 ? [list(d.fields.map((f) => [f]))] : []),
      ...(d.pendingProcessors?.length
        ? [
            p(
              'These parties process data on our behalf and have no connection to our systems; we will ask them to ' +
                'make the correction as well:',
            ),
            list(d.pendingProcessors.map((x) => [x])),
          ]
        : []),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface RectificationReceivedData {
  /** The fields to correct, in words ("Achternaam", "Straat"). */
  fields: string[];
  /** By when the correction is done at the latest. */
  dueAt: string;
}

/**
 * After the person confirmed a correction: it waits for the privacy officer to check it (a wrong address
 * is easy to ask for), so nothing is corrected yet, and the e-mail says so.
 */
export const rectificationReceived: Letter<RectificationReceivedData> = {
  nl: (d, ctx) => ({
    subject: 'Wij hebben uw verzoek om correctie ontvangen',
    blocks: [
      p(
        d.fields.length > 0
          ? 'Dank u voor het bevestigen van uw verzoek om correctie. U vroeg ons deze gegevens te corrigeren:'
          : 'Dank u voor het bevestigen van uw verzoek om correctie.',
      ),
      ...(d.fields.length > 0 ? [list(d.fields.map((f) => [f]))] : []),
      p(
        'Er is nog niets aangepast. Onze privacycontactpersoon controleert eerst of de correctie klopt, zodat er ' +
          'geen onjuiste gegevens in onze systemen komen. Daarna voeren wij de correctie door, ook bij de partijen ' +
          `die namens ons uw gegevens verwerken, en laten wij u weten wat er is aangepast. Dat is uiterlijk op ` +
          `${formatDay(d.dueAt, 'nl')} gebeurd.`,
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We have received your request for rectification',
    blocks: [
      p(
        d.fields.length > 0
          ? 'Thank you for confirming your request for rectification. You asked us to correct these details:'
          : 'Thank you for confirming your request for rectification.',
      ),
      ...(d.fields.length > 0 ? [list(d.fields.map((f) => [f]))] : []),
      p(
        'Nothing has been changed yet. Our privacy contact first checks that the correction is right, so that no ' +
          'wrong data enters our systems. Then we make the correction, also at the parties that process your data ' +
          `on our behalf, and tell you what was changed. This will have happened by ${formatDay(d.dueAt, 'en')} ` +
          'at the latest.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

/** For templates that take no data: pass `{}`. */
export type NoData = Record<string, never>;

export const restricted: Letter<NoData> = {
  nl: (_d, ctx) => ({
    subject: 'De verwerking van uw gegevens is beperkt',
    blocks: [
      p(
        'Wij hebben de verwerking van uw persoonsgegevens beperkt. Zolang de beperking geldt, bewaren wij uw ' +
          'gegevens wel, maar gebruiken wij ze alleen met uw toestemming, voor een rechtsvordering of om de rechten ' +
          'van een ander te beschermen (artikel 18 AVG).',
      ),
      p(
        'De beperking geldt totdat u of wij haar opheffen. Heffen wij haar op, dan laten wij u dat vooraf weten. ' +
          `Wilt u de beperking zelf opheffen? Stuur dan een e-mail naar ${ctx.privacyEmail}.`,
      ),
    ],
  }),
  en: (_d, ctx) => ({
    subject: 'Processing of your data has been restricted',
    blocks: [
      p(
        'We have restricted the processing of your personal data. While the restriction lasts, we keep your ' +
          'data but use it only with your consent, for legal claims or to protect the rights of another person ' +
          '(GDPR Article 18).',
      ),
      p(
        'The restriction lasts until you or we lift it. If we lift it, we will tell you beforehand. ' +
          `Would you like to lift it yourself? E-mail us at ${ctx.privacyEmail}.`,
      ),
    ],
  }),
};
