import { button, type Lang, type MailContent, type MailContext, p } from './model.ts';
import { formatDateTime, formatDay, questionsBlock } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

/** A processor's part of an access answer, which the officer asked for by hand (Art. 15). */
export interface AccessPartReadyData {
  /** The processor's name. */
  processor: string;
  link?: string;
  expiresAt?: string;
  /** The processor told us it holds nothing about the person. */
  nothingHeld?: boolean;
}

export const accessPartReady: Letter<AccessPartReadyData> = {
  nl: (d, ctx) => ({
    subject: d.nothingHeld
      ? `${d.processor} heeft geen gegevens over u`
      : `Het deel van ${d.processor} van uw gegevens staat klaar`,
    blocks: d.nothingHeld
      ? [
          p(
            `Wij hebben ${d.processor} gevraagd welke gegevens zij namens ons over u verwerken. Zij hebben ons laten ` +
              'weten dat zij geen gegevens over u hebben.',
          ),
          questionsBlock('nl', ctx),
        ]
      : [
          p(
            `Wij hebben ${d.processor} gevraagd welke gegevens zij namens ons over u verwerken. Hun antwoord staat ` +
              'voor u klaar als aanvulling op het overzicht dat u eerder kreeg.',
          ),
          button('Downloaden', d.link!),
          p(
            `De link is geldig tot ${formatDateTime(d.expiresAt!, 'nl')} en werkt hoogstens 5 keer; daarna ` +
              'vernietigen wij het bestand. Deel de link niet.',
          ),
          questionsBlock('nl', ctx),
        ],
  }),
  en: (d, ctx) => ({
    subject: d.nothingHeld ? `${d.processor} holds no data about you` : `${d.processor}'s part of your data is ready`,
    blocks: d.nothingHeld
      ? [
          p(
            `We asked ${d.processor} which data they process about you on our behalf. They told us they hold no ` +
              'data about you.',
          ),
          questionsBlock('en', ctx),
        ]
      : [
          p(
            `We asked ${d.processor} which data they process about you on our behalf. Their answer is ready for ` +
              'you, in addition to the overview you received earlier.',
          ),
          button('Download', d.link!),
          p(
            `The link is valid until ${formatDateTime(d.expiresAt!, 'en')} and works at most 5 times; then we ` +
              'destroy the file. Do not share the link.',
          ),
          questionsBlock('en', ctx),
        ],
  }),
};

/** Sent when the officer has posted the answer the person asked to receive by post. */
export interface AccessPostedData {
  postedAt: string;
}

export const accessPosted: Letter<AccessPostedData> = {
  nl: (d, ctx) => ({
    subject: 'Wij hebben uw gegevens per post verstuurd',
    blocks: [
      p(
        `Zoals u vroeg, hebben wij het overzicht van uw gegevens op ${formatDay(d.postedAt, 'nl')} per ` +
          'aangetekende post verstuurd naar het adres dat u opgaf.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We have sent your data by post',
    blocks: [
      p(
        `As you asked, we sent the overview of your data by registered mail on ${formatDay(d.postedAt, 'en')} to ` +
          'the address you gave.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};
