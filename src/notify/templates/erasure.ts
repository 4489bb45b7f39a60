import { type Lang, list, type MailContent, type MailContext, p } from './model.ts';
import { formatDay, formatLastDay, questionsBlock } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

export interface ErasedData {
  /** What was erased, in words, with how many records ("bestellingen", 12). */
  erased: Array<{ what: string; count: number }>;
  /**
   * What the law (or a claim) makes us or a processor keep: until when, and why. Without `until` the
   * processor keeps it for its own term (MoneyBird's archived contact, Mollie's mandates).
   */
  retained: Array<{ what: string; until?: string; why: string }>;
  /**
   * Processors without a connection to us: the officer asks them to erase too, after this e-mail (nobody has
   * yet when it is sent), and by when they should have.
   */
  pendingProcessors: Array<{ name: string; dueAt: string }>;
}

export const erased: Letter<ErasedData> = {
  nl: (d, ctx) => ({
    subject:
      d.pendingProcessors.length > 0
        ? 'Uw gegevens zijn bij ons verwijderd; enkele verwerkers volgen nog'
        : 'Uw gegevens zijn verwijderd',
    blocks: [
      ...(d.erased.length > 0
        ? [
            p('Wij hebben uw verzoek uitgevoerd. Dit hebben wij verwijderd:'),
            list(d.erased.map((e) => [`${e.what}: ${e.count}`])),
          ]
        : [p('Wij hebben uw verzoek uitgevoerd. Er waren geen gegevens die wij konden verwijderen.')]),
      ...(d.retained.length > 0
        ? [
            p(
              'Sommige gegevens moeten wij of een verwerker nog bewaren. Ze worden alleen gebruikt voor het doel ' +
                'hieronder en vernietigd aan het eind van de termijn:',
            ),
            list(d.retained.map((r) => [keptLine(r, 'nl')])),
          ]
        : []),
      ...(d.pendingProcessors.length > 0
        ? [
            p(
              'Deze partijen verwerken gegevens namens ons en hebben geen koppeling met onze systemen. Wij gaan hen ' +
                'vragen uw gegevens ook te verwijderen, en zorgen dat het uiterlijk op deze dag is gebeurd:',
            ),
            list(d.pendingProcessors.map((x) => [`${x.name}, uiterlijk ${formatDay(x.dueAt, 'nl')}`])),
            p('U ontvangt bericht zodra dat is gebeurd.'),
          ]
        : []),
      p(
        'Van uw verzoek houden wij alleen een registratie bij zonder uw naam of e-mailadres: welk soort verzoek ' +
          'het was, wanneer het binnenkwam en wanneer het is afgehandeld.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject:
      d.pendingProcessors.length > 0
        ? 'Your data has been erased from our systems; some processors are still to follow'
        : 'Your data has been erased',
    blocks: [
      ...(d.erased.length > 0
        ? [
            p('We have carried out your request. This is what we erased:'),
            list(d.erased.map((e) => [`${e.what}: ${e.count}`])),
          ]
        : [p('We have carried out your request. There was no data we could erase.')]),
      ...(d.retained.length > 0
        ? [
            p(
              'Some data we or a processor must still keep. It is used only for the purpose below and destroyed ' +
                'at the end of the term:',
            ),
            list(d.retained.map((r) => [keptLine(r, 'en')])),
          ]
        : []),
      ...(d.pendingProcessors.length > 0
        ? [
            p(
              'These parties process data on our behalf and have no connection to our systems. We will ask them to ' +
                'erase your data as well, and see to it that this has happened by the day shown:',
            ),
            list(d.pendingProcessors.map((x) => [`${x.name}, by ${formatDay(x.dueAt, 'en')}`])),
            p('We will let you know once they have done so.'),
          ]
        : []),
      p(
        'Of your request we keep only a record without your name or e-mail address: what kind of request it ' +
          'was, when it arrived and when it was completed.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

/** "facturen, tot en met 31 december 2033: fiscale bewaarplicht"; without a date, the processor's own term. */
function keptLine(r: ErasedData['retained'][number], lang: Lang): string {
  const until = r.until
    ? `${lang === 'nl' ? 'tot en met' : 'up to and including'} ${formatLastDay(r.until, lang)}`
    : lang === 'nl'
      ? 'tot de eigen bewaartermijn van de verwerker afloopt'
      : "until the processor's own term ends";
  return `${r.what}, ${until}${r.why ? `: ${r.why}` : ''}`;
}
