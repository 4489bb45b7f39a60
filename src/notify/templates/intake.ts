import { type AccessAnswerSummary, answerBlocks, complaintRoute, pendingBlocks } from './answer.ts';
import { type Block, button, type Lang, list, type MailContent, type MailContext, p } from './model.ts';
import { count, formatDateTime, formatDay, questionsBlock, type RequestType, requestPhrase } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

export interface VerifyData {
  type: RequestType;
  /** The confirmation page; it asks for one click, because mail scanners open every link. */
  link: string;
  expiresAt: string | Date;
}

/**
 * The same words whether or not the shop knows the address: nothing in this message may tell
 * a stranger who is a customer. It therefore takes no data about the person at all.
 */
export const verify: Letter<VerifyData> = {
  nl: (d, ctx) => ({
    subject: `Bevestig ${requestPhrase(d.type, 'nl')}`,
    blocks: [
      p(
        `${ctx.shopName} heeft ${requestPhrase(d.type, 'nl')} ontvangen voor dit e-mailadres. ` +
          'Bevestig met de link hieronder dat het verzoek van u komt. De link opent een pagina met één knop; ' +
          'pas als u op die knop klikt, nemen wij uw verzoek in behandeling.',
      ),
      button('Verzoek bevestigen', d.link),
      p(`De link is 48 uur geldig, tot ${formatDateTime(d.expiresAt, 'nl')}, en werkt één keer.`),
      p('Heeft u dit verzoek niet gedaan? Dan kunt u deze e-mail negeren. Zonder uw bevestiging gebeurt er niets.'),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: `Confirm ${requestPhrase(d.type, 'en')}`,
    blocks: [
      p(
        `${ctx.shopName} has received ${requestPhrase(d.type, 'en')} for this e-mail address. ` +
          'Please confirm with the link below that the request comes from you. The link opens a page with ' +
          'one button; we only start on your request once you press it.',
      ),
      button('Confirm the request', d.link),
      p(`The link is valid for 48 hours, until ${formatDateTime(d.expiresAt, 'en')}, and works once.`),
      p('Did you not make this request? Then you can ignore this e-mail. Nothing happens without your confirmation.'),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface AwaitingIdentityData {
  type: RequestType;
}

export const awaitingIdentity: Letter<AwaitingIdentityData> = {
  nl: (d, ctx) => ({
    subject: 'Wij vragen u zich te legitimeren',
    blocks: [
      p(
        `Dank u voor het bevestigen van ${requestPhrase(d.type, 'nl')}. U heeft gevraagd het antwoord ergens anders ` +
          'heen te sturen dan naar dit e-mailadres. Om te voorkomen dat uw gegevens bij een ander terechtkomen, ' +
          'vragen wij u eerst zich te legitimeren. Wij nemen daarvoor contact met u op.',
      ),
      p(
        'Stuur ons geen kopie van uw identiteitsbewijs voordat wij daarom vragen. Vragen wij erom, maak dan uw ' +
          'burgerservicenummer (BSN) en pasfoto onleesbaar.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'We will ask you to confirm your identity',
    blocks: [
      p(
        `Thank you for confirming ${requestPhrase(d.type, 'en')}. You asked us to send the answer somewhere other ` +
          'than this e-mail address. To make sure your data does not reach someone else, we will first ask you to ' +
          'identify yourself. We will contact you about this.',
      ),
      p(
        'Please do not send us a copy of your ID before we ask for it. If we do, black out your citizen service ' +
          'number (BSN) and your photo.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface AccessReadyData {
  type: RequestType;
  /** The download link: its page has one button, whose POST returns the zip (opening the link downloads nothing). */
  link: string;
  expiresAt: string | Date;
  maxDownloads: number;
  /** How many records the package holds. */
  records: number;
  /** The processors and other recipients that hold some of the person's data. */
  processors: string[];
  /** Processors that could not be reached: their part follows separately. */
  unavailable?: string[];
  /**
   * What the answer tells besides the data (GDPR Art. 15), in the person's language; from
   * `accessAnswerSummary` in requests/export-package.ts. Without it only the processors are named.
   */
  answer?: AccessAnswerSummary;
}

/** Whether this is the whole answer: nothing still to come from a processor. */
const complete = (d: AccessReadyData) => !d.answer?.pending.length && !d.unavailable?.length;

/** After the download: the Art. 15 facts when given, else the processors' names (older messages in the outbox). */
function factsBlocks(d: AccessReadyData, lang: Lang, ctx: MailContext): Block[] {
  if (!d.answer) return processorsBlocks(d.processors, lang);
  return [...pendingBlocks(d.answer, lang), ...answerBlocks(d.answer, lang), complaintRoute(lang, ctx)];
}

export const accessReady: Letter<AccessReadyData> = {
  nl: (d, ctx) => ({
    subject: 'Uw gegevens staan klaar',
    blocks: [
      p(
        (complete(d)
          ? `Wij hebben ${requestPhrase(d.type, 'nl')} afgehandeld. Alle persoonsgegevens die wij over u verwerken `
          : `Hier is het eerste deel van ons antwoord op ${requestPhrase(d.type, 'nl')}. De persoonsgegevens die wij nu over u hebben `) +
          `(${count(d.records, 'record', 'records')}) staan voor u klaar in een zip-bestand` +
          (d.type === 'portability'
            ? ', in een gangbaar, machineleesbaar formaat dat u aan een andere organisatie kunt geven.'
            : '.'),
      ),
      button('Gegevens downloaden', d.link),
      p(
        `De link is geldig tot ${formatDateTime(d.expiresAt, 'nl')} en werkt hoogstens ${d.maxDownloads} keer; ` +
          'daarna vernietigen wij het bestand. Deel de link niet: wie hem heeft, kan uw gegevens downloaden.',
      ),
      p('In het zip-bestand vindt u:'),
      list([
        ['index.html: een leesbare brief over uw gegevens, per soort gegevens, te openen in uw browser;'],
        ['data.json: alle gegevens, machineleesbaar, om mee te nemen naar een andere partij;'],
        ['een CSV-bestand per soort gegevens, dat goed opent in Excel of LibreOffice.'],
      ]),
      ...factsBlocks(d, 'nl', ctx),
      ...unavailableBlocks(d.unavailable, 'nl'),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'Your data is ready',
    blocks: [
      p(
        (complete(d)
          ? `We have completed ${requestPhrase(d.type, 'en')}. All personal data we process about you `
          : `Here is the first part of our answer to ${requestPhrase(d.type, 'en')}. The personal data we have about you now `) +
          `(${count(d.records, 'record', 'records')}) is ready for you in a zip file` +
          (d.type === 'portability'
            ? ', in a common, machine-readable format that you can give to another organisation.'
            : '.'),
      ),
      button('Download your data', d.link),
      p(
        `The link is valid until ${formatDateTime(d.expiresAt, 'en')} and works at most ${d.maxDownloads} ` +
          `${d.maxDownloads === 1 ? 'time' : 'times'}; then we destroy the file. Do not share the link: anyone who ` +
          'has it can download your data.',
      ),
      p('The zip file contains:'),
      list([
        ['index.html: a readable letter about your data, by kind of data, to open in your browser;'],
        ['data.json: all data, machine-readable, to take to another party;'],
        ['one CSV file per kind of data, which opens right in Excel or LibreOffice.'],
      ]),
      ...factsBlocks(d, 'en', ctx),
      ...unavailableBlocks(d.unavailable, 'en'),
      questionsBlock('en', ctx),
    ],
  }),
};

/** Processors reached by hand: nobody has asked them yet when this is sent, so it says what will happen. */
function pendingPartsBlocks(pending: NoDataData['pending'], lang: Lang) {
  if (!pending?.length) return [];
  return [
    p(
      lang === 'nl'
        ? 'Deze partijen hebben geen koppeling met onze systemen. Wij gaan bij hen opvragen welke gegevens zij over u hebben, en sturen u hun deel zodra wij het hebben:'
        : 'These parties have no connection to our systems. We will ask them which data they hold about you, and send you their part as soon as we have it:',
    ),
    list(
      pending.map((x) => [
        lang === 'nl'
          ? `${x.name}, uiterlijk ${formatDay(x.dueAt, 'nl')}`
          : `${x.name}, by ${formatDay(x.dueAt, 'en')}`,
      ]),
    ),
  ];
}

/** A processor that was down: the export is without its part, which we ask for by hand and send on. */
function unavailableBlocks(unavailable: string[] | undefined, lang: Lang) {
  if (!unavailable?.length) return [];
  const names = unavailable.join(', ');
  return [
    p(
      lang === 'nl'
        ? `${names} was niet bereikbaar. Hun deel van uw gegevens zit nog niet in het zip-bestand; wij gaan het apart opvragen en sturen het u na.`
        : `${names} could not be reached. Their part of your data is not in the zip file yet; we will ask for it separately and send it on.`,
    ),
  ];
}

function processorsBlocks(processors: string[], lang: Lang) {
  if (processors.length === 0) {
    return [
      p(
        lang === 'nl'
          ? 'Geen andere partij verwerkt uw gegevens voor ons.'
          : 'No other party processes your data for us.',
      ),
    ];
  }
  return [
    p(
      lang === 'nl'
        ? 'Deze partijen verwerken (een deel van) uw gegevens; index.html laat zien welke categorieën elk ervan ontvangt:'
        : 'These parties process (some of) your data; index.html shows which categories each of them receives:',
    ),
    list(processors.map((name) => [name])),
  ];
}

/**
 * "We process no data about you": sent only when the answer has nothing at all to tell
 * (`answerHasContent` in requests/export-model.ts is false) — never when records are sealed under a
 * legal hold or a processor's part is still to come; those get the package.
 */
export interface NoDataData {
  type: RequestType;
  /** Processors that could not be reached: then "nothing found" is not yet the whole answer. */
  unavailable?: string[];
  /** Processors reached by hand, still to be asked (with the day their answer is due): not yet the whole answer. */
  pending?: Array<{ name: string; dueAt: string }>;
}

export const noData: Letter<NoDataData> = {
  nl: (d, ctx) => {
    const pending = d.unavailable?.length ? d.unavailable.join(', ') : undefined;
    const incomplete = !!pending || !!d.pending?.length;
    return {
      subject: incomplete
        ? 'Wij vonden geen gegevens over u (nog niet compleet)'
        : 'Wij verwerken geen gegevens over u',
      blocks: [
        p(
          `Naar aanleiding van ${requestPhrase(d.type, 'nl')} hebben wij in al onze systemen gezocht naar gegevens bij ` +
            (pending
              ? `dit e-mailadres, en niets gevonden. ${pending} was niet bereikbaar; wij vragen het daar apart na en laten u weten wat zij over u hebben.`
              : d.pending?.length
                ? 'dit e-mailadres, en niets gevonden.'
                : 'dit e-mailadres, en niets gevonden. Wij verwerken geen persoonsgegevens over u, behalve de registratie van dit verzoek zelf.'),
        ),
        ...pendingPartsBlocks(d.pending, 'nl'),
        p(
          incomplete
            ? 'Dit antwoord is dus nog niet compleet.'
            : d.type === 'access' || d.type === 'portability'
              ? 'Dit is het volledige antwoord op uw verzoek.'
              : 'Er is daarom niets uit te voeren; uw verzoek is hiermee afgehandeld.',
        ),
        p(
          'Van uw verzoek houden wij een registratie bij, zoals de wet ons vraagt: welk soort verzoek het was, ' +
            'wanneer het binnenkwam en wanneer het is afgehandeld.',
        ),
        p('Heeft u bij ons een ander e-mailadres gebruikt? Doe dan een nieuw verzoek met dat adres.'),
        questionsBlock('nl', ctx),
      ],
    };
  },
  en: (d, ctx) => {
    const pending = d.unavailable?.length ? d.unavailable.join(', ') : undefined;
    const incomplete = !!pending || !!d.pending?.length;
    return {
      subject: incomplete ? 'We found no data about you (not yet complete)' : 'We do not process any data about you',
      blocks: [
        p(
          `Following ${requestPhrase(d.type, 'en')}, we have searched all our systems for data linked to this ` +
            (pending
              ? `e-mail address, and found none. ${pending} could not be reached; we are asking there separately and will let you know what they hold about you.`
              : d.pending?.length
                ? 'e-mail address, and found none.'
                : 'e-mail address, and found none. We do not process any personal data about you, apart from the record of this request itself.'),
        ),
        ...pendingPartsBlocks(d.pending, 'en'),
        p(
          incomplete
            ? 'This answer is therefore not yet complete.'
            : d.type === 'access' || d.type === 'portability'
              ? 'This is the complete answer to your request.'
              : 'There is therefore nothing to carry out; your request is complete.',
        ),
        p(
          'Of your request we keep a record, as the law asks of us: what kind of request it was, when it arrived ' +
            'and when it was completed.',
        ),
        p('Did you use another e-mail address with us? Then please make a new request with that address.'),
        questionsBlock('en', ctx),
      ],
    };
  },
};
