import { type Lang, link, list, type MailContent, type MailContext, p, quote } from './model.ts';
import { complaintBlock, formatDateTime, questionsBlock } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

const policyUrl = (ctx: MailContext, lang: Lang) => `${ctx.baseUrl.replace(/\/+$/, '')}/privacy?lang=${lang}`;

/** Purposes in the person's words (names from the policy, never ids). */
export interface PurposesData {
  purposes: string[];
}

/** Art. 18(3): sent before a restriction ends; `liftsAt` is when it does. */
export interface RestrictionLiftedData {
  liftsAt: string;
}

export const restrictionLifted: Letter<RestrictionLiftedData> = {
  nl: (d, ctx) => ({
    subject: 'Wij heffen de beperking van de verwerking op',
    blocks: [
      p(
        'Wij laten u weten dat wij de beperking van de verwerking van uw persoonsgegevens opheffen. De beperking ' +
          `geldt nog tot ${formatDateTime(d.liftsAt, 'nl')}; daarna verwerken wij uw gegevens weer zoals ons ` +
          'privacybeleid beschrijft: ',
        link(policyUrl(ctx, 'nl')),
      ),
      p(
        'Bent u het hier niet mee eens? Laat het ons voor die datum weten, dan kijken wij opnieuw. U kunt ook een ' +
          'klacht indienen:',
      ),
      complaintBlock('nl', ctx),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We are lifting the restriction of processing',
    blocks: [
      p(
        'We are letting you know that we are lifting the restriction of the processing of your personal data. The ' +
          `restriction still applies until ${formatDateTime(d.liftsAt, 'en')}; after that we process your data again ` +
          'as our privacy policy describes: ',
        link(policyUrl(ctx, 'en')),
      ),
      p('Do you disagree? Let us know before that date and we will look again. You can also lodge a complaint:'),
      complaintBlock('en', ctx),
      questionsBlock('en', ctx),
    ],
  }),
};

/** An objection to legitimate interests, received: those purposes are restricted pending the decision. */
export const objectionReceived: Letter<PurposesData> = {
  nl: (d, ctx) => ({
    subject: 'Wij hebben uw bezwaar ontvangen',
    blocks: [
      p('Wij hebben uw bezwaar ontvangen tegen de verwerking van uw persoonsgegevens voor:'),
      list(d.purposes.map((x) => [x])),
      p(
        'In afwachting van ons besluit hebben wij de verwerking van uw gegevens direct beperkt: wij bewaren ze, ' +
          'maar gebruiken ze niet (artikel 18 AVG).',
      ),
      p(
        'Wij beoordelen nu of wij dwingende gerechtvaardigde gronden hebben die zwaarder wegen dan uw belangen ' +
          '(artikel 21 lid 1 AVG). Wijzen wij uw bezwaar toe, dan stoppen wij die verwerking voorgoed en ' +
          'verwijderen wij de gegevens die wij alleen daarvoor bewaren. Wijzen wij het af, dan laten wij u weten ' +
          'waarom, en wanneer de beperking eindigt.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We have received your objection',
    blocks: [
      p('We have received your objection to the processing of your personal data for:'),
      list(d.purposes.map((x) => [x])),
      p(
        'Pending our decision we restricted the processing of your data at once: we keep it, but do not use it ' +
          '(GDPR Article 18).',
      ),
      p(
        'We are now assessing whether we have compelling legitimate grounds that override your interests (GDPR ' +
          'Article 21(1)). If we uphold your objection, we stop that processing for good and erase the data we keep ' +
          'only for it. If we reject it, we will tell you why, and when the restriction ends.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

/** Art. 21(3): an objection to direct marketing, honoured at once and for good. */
export const objectionHonoured: Letter<PurposesData> = {
  nl: (d, ctx) => ({
    subject: 'Wij gebruiken uw gegevens niet meer voor direct marketing',
    blocks: [
      p('U heeft bezwaar gemaakt tegen het gebruik van uw gegevens voor:'),
      list(d.purposes.map((x) => [x])),
      p(
        'Tegen direct marketing kunt u altijd bezwaar maken, zonder reden (artikel 21 lid 2 en 3 AVG). Wij hebben ' +
          'uw bezwaar daarom direct uitgevoerd: wij gebruiken uw gegevens hier niet meer voor. Dat blijft zo, ook ' +
          'als wij een oudere toestemming van u zouden terugvinden; alleen als u ons later zelf opnieuw toestemming ' +
          'geeft, verandert dat.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We no longer use your data for direct marketing',
    blocks: [
      p('You objected to the use of your data for:'),
      list(d.purposes.map((x) => [x])),
      p(
        'You can always object to direct marketing, without giving a reason (GDPR Article 21(2) and (3)). We have ' +
          'therefore carried out your objection at once: we no longer use your data for this. That stays so, even ' +
          'if we were to find an older consent of yours; only a new consent you give us yourself later changes it.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface ObjectionUpheldData extends PurposesData {
  /** Records erased because they were kept only for these purposes (Art. 17(1)(c)). */
  erased: number;
}

export const objectionUpheld: Letter<ObjectionUpheldData> = {
  nl: (d, ctx) => ({
    subject: 'Wij wijzen uw bezwaar toe',
    blocks: [
      p('Wij hebben uw bezwaar beoordeeld en wijzen het toe. Wij verwerken uw gegevens voortaan niet meer voor:'),
      list(d.purposes.map((x) => [x])),
      p(
        d.erased > 0
          ? `Gegevens die wij alleen hiervoor bewaarden, hebben wij verwijderd (${d.erased === 1 ? '1 record' : `${d.erased} records`}). `
          : 'Wij bewaarden geen gegevens alleen hiervoor; er viel daarom niets te verwijderen. ',
        'Voor de andere doelen in ons privacybeleid verwerken wij uw gegevens zoals daar staat.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We uphold your objection',
    blocks: [
      p('We have assessed your objection and uphold it. From now on we no longer process your data for:'),
      list(d.purposes.map((x) => [x])),
      p(
        d.erased > 0
          ? `Data we kept only for this has been erased (${d.erased === 1 ? '1 record' : `${d.erased} records`}). `
          : 'We kept no data only for this, so there was nothing to erase. ',
        'For the other purposes in our privacy policy we process your data as described there.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface ObjectionRejectedData extends PurposesData {
  reason: string;
  /** When the restriction that waited for the decision ends (Art. 18(3)). */
  liftsAt?: string;
}

export const objectionRejected: Letter<ObjectionRejectedData> = {
  nl: (d, ctx) => ({
    subject: 'Besluit over uw bezwaar',
    blocks: [
      p('Wij hebben uw bezwaar zorgvuldig beoordeeld en wijzen het af. Onze redenen:'),
      quote(d.reason),
      ...(d.liftsAt
        ? [
            p(
              'De beperking die wij in afwachting van dit besluit hadden ingesteld, blijft gelden tot ' +
                `${formatDateTime(d.liftsAt, 'nl')}. Daarna verwerken wij uw gegevens weer zoals ons privacybeleid beschrijft.`,
            ),
          ]
        : []),
      complaintBlock('nl', ctx),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'Decision on your objection',
    blocks: [
      p('We have carefully assessed your objection and reject it. Our reasons:'),
      quote(d.reason),
      ...(d.liftsAt
        ? [
            p(
              'The restriction we put in place pending this decision still applies until ' +
                `${formatDateTime(d.liftsAt, 'en')}. After that we process your data again as our privacy policy describes.`,
            ),
          ]
        : []),
      complaintBlock('en', ctx),
      questionsBlock('en', ctx),
    ],
  }),
};
