import type { RequestType } from '../../requests/request.types.ts';
import type { Lang } from '../lang.ts';
import type { CorrectionRole, FieldErrorKey } from './request-input.ts';

/** What the portal says about one right: its name, what happens, the button. */
export interface RightTexts {
  /** The short name in the table of contents and the section heading. */
  name: string;
  /** For a right the policy does not describe on its own (closure). */
  lead?: string;
  /** What happens after the person confirms. */
  next: string;
  submit: string;
}

const nl = {
  home: {
    title: 'Uw privacy',
    intro: (shop: string) =>
      `Hier leest u wat ${shop} met uw persoonsgegevens doet en kunt u uw rechten uitoefenen: inzage, overdracht, correctie, beperking, bezwaar en verwijdering.`,
    answer: (days: number) => `Wij beantwoorden elk verzoek binnen ${days} dagen, de meeste binnen enkele seconden.`,
    how: 'Zo werkt het: kies hieronder uw verzoek en vul op de pagina daarvan uw e-mailadres in. U krijgt een e-mail met een link; daarmee bevestigt u met één klik dat het adres van u is. Daarna behandelen wij uw verzoek.',
    policy: 'Lees ons privacybeleid',
    toc: 'Kies uw verzoek',
    back: 'Ander verzoek kiezen',
  },
  rights: {
    access: {
      name: 'Inzage',
      next: 'U krijgt per e-mail een downloadlink naar al uw gegevens, met een overzicht van de verwerkers die ze onder zich hebben.',
      submit: 'Vraag inzage aan',
    },
    portability: {
      name: 'Overdracht',
      next: 'U krijgt per e-mail een downloadlink naar uw gegevens in een machineleesbaar formaat (JSON en CSV), om aan een andere partij te geven.',
      submit: 'Vraag overdracht aan',
    },
    rectification: {
      name: 'Correctie',
      next: 'Vul alleen in wat anders moet. Wij controleren de wijziging en laten u per e-mail weten wanneer uw gegevens zijn aangepast.',
      submit: 'Vraag correctie aan',
    },
    restriction: {
      name: 'Beperking',
      next: 'Direct na uw bevestiging verwerken wij uw gegevens niet verder, tot u de beperking opheft.',
      submit: 'Vraag beperking aan',
    },
    objection: {
      name: 'Bezwaar',
      next: 'Bezwaar tegen direct marketing voeren wij direct na uw bevestiging uit, voorgoed. Voor de andere doelen beperken wij de verwerking direct en beslist onze privacyverantwoordelijke over uw bezwaar.',
      submit: 'Maak bezwaar',
    },
    erasure: {
      name: 'Verwijdering (vergeetverzoek)',
      next: 'Wat wij wettelijk moeten bewaren, zoals facturen, bewaren wij afgesloten tot de termijn voorbij is. U leest per e-mail wat er is gewist en wat wij tot wanneer bewaren.',
      submit: 'Vraag verwijdering aan',
    },
    closure: {
      name: 'Account opheffen',
      lead: 'Wilt u geen gebruik meer maken van onze diensten? Dan heffen wij uw account op.',
      next: 'Wij behandelen dit als een vergeetverzoek: wij wissen uw gegevens, behalve wat wij wettelijk moeten bewaren.',
      submit: 'Hef mijn account op',
    },
  } satisfies Record<RequestType, RightTexts>,
  form: {
    optional: '(niet verplicht)',
    email: 'E-mailadres',
    emailHint: 'Hierheen sturen wij de bevestigingslink. Gebruik het adres dat wij van u kennen.',
    name: 'Naam',
    message: 'Toelichting: waarom maakt u bezwaar? (niet verplicht)',
    purposes: 'Tegen welke verwerking maakt u bezwaar?',
    purposesHint: 'Kies een of meer doelen uit ons privacybeleid.',
    directMarketing: '(direct marketing: wij stoppen direct)',
    corrections: 'Wat moet er gecorrigeerd worden?',
    correctionsHint: 'Vul de juiste gegevens in en laat leeg wat klopt; minstens één veld.',
    deliverTo: 'Andere bezorging (ander e-mailadres of per post)',
    deliverToHint:
      'Niet verplicht. Laat leeg om het antwoord op het e-mailadres hierboven te ontvangen. Vult u iets in, dan vragen wij u eerst zich te legitimeren.',
    roles: {
      first_name: 'Voornaam',
      last_name: 'Achternaam',
      phone: 'Telefoonnummer',
      street: 'Straat',
      house_number: 'Huisnummer',
      postal_code: 'Postcode',
      city: 'Woonplaats',
    } satisfies Record<CorrectionRole, string>,
  },
  errors: {
    summary: 'Controleer uw invoer',
    titlePrefix: 'Fout:',
    emailRequired: 'Vul uw e-mailadres in.',
    emailInvalid: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    correctionsRequired: 'Vul minstens één gegeven in dat gecorrigeerd moet worden.',
    objectionRequired: 'Kies minstens één doel waartegen u bezwaar maakt.',
    typeUnknown: 'Kies een van de formulieren hieronder.',
    tooLong: 'Dit is te lang.',
    controlCharacters: 'Hier staat een onzichtbaar stuurteken in (zoals NUL); haal het weg en probeer het opnieuw.',
  } satisfies Record<FieldErrorKey | 'summary' | 'titlePrefix', string>,
  pages: {
    sent: {
      title: 'Controleer uw e-mail',
      request: (right: string) => `Uw verzoek: ${right}.`,
      body: [
        'Wij hebben uw verzoek ontvangen. Om het te bevestigen sturen wij een e-mail met een link naar het e-mailadres dat u opgaf, meestal binnen een minuut. Klik op de link en bevestig uw verzoek met één knop. De link is 48 uur geldig, gerekend vanaf het eerste verzoek.',
        'Loopt er voor dit adres al een verzoek van deze soort, en vraagt u nu niets meer dan daarin? Dan hoort uw verzoek daarbij en behandelen wij het één keer. Wacht dat verzoek nog op bevestiging, dan sturen wij de link opnieuw, hoogstens eens per kwartier; de link uit de eerdere e-mail werkt ook. Is het al bevestigd, dan krijgt u geen nieuwe e-mail: wij behandelen het al en sturen u het antwoord per e-mail.',
        'Vraagt u iets wat het lopende verzoek niet vraagt (bezwaar tegen andere verwerking, andere correcties, of het antwoord naar een ander adres), of is uw eerdere verzoek al afgehandeld, dan is dit een nieuw verzoek met een eigen e-mail.',
        'Naar één e-mailadres sturen wij hoogstens vijf bevestigingsmails per uur. Zijn er voor dit adres het afgelopen uur veel verzoeken gedaan, dan kan de e-mail daarom tot een uur later komen.',
        'Geen e-mail ontvangen? Kijk ook in de map met ongewenste e-mail (spam). Staat hij daar niet, controleer dan of u het juiste adres gebruikte.',
      ],
    },
    ready: {
      title: 'Bevestig uw verzoek',
      request: (right: string) => `U heeft een verzoek gedaan: ${right}.`,
      body: 'Bevestig met de knop hieronder dat dit e-mailadres van u is. Daarna behandelen wij uw verzoek.',
      elsewhere:
        'U vroeg om bezorging op een ander adres of per post. Na uw bevestiging nemen wij contact met u op om uw identiteit te controleren.',
      button: 'Bevestig mijn verzoek',
      notYou: 'Heeft u dit verzoek niet gedaan? Dan hoeft u niets te doen: het vervalt vanzelf na 48 uur.',
    },
    expired: {
      title: 'Deze link is verlopen',
      body: 'Een bevestigingslink is 48 uur geldig. Uw verzoek is niet bevestigd en wordt daarom niet behandeld.',
      link: 'Doe een nieuw verzoek',
    },
    used: {
      title: 'Deze link is al gebruikt',
      body: 'Uw verzoek is al bevestigd en wordt behandeld. U ontvangt het antwoord per e-mail.',
    },
    unknown: {
      title: 'Onbekende link',
      body: 'Deze link kennen wij niet. Controleer of u de volledige link uit de e-mail heeft geopend.',
    },
    confirmed: {
      title: 'Uw verzoek is bevestigd',
      body: (days: number) =>
        `Wij behandelen uw verzoek nu. De meeste antwoorden ontvangt u binnen enkele seconden per e-mail, in elk geval binnen ${days} dagen. Duurt het langer (moet onze privacycontactpersoon eerst beslissen, of volgen partijen zonder koppeling met onze systemen nog), dan krijgt u een e-mail met een kenmerk en een link naar een pagina waarop u kunt volgen hoe het ermee staat.`,
    },
    identity: {
      title: 'Wij nemen contact met u op',
      body: 'Uw e-mailadres is bevestigd. U vroeg om bezorging op een ander adres of per post; daarom controleren wij eerst uw identiteit. Wij nemen daarvoor contact met u op via uw e-mailadres. Zo voorkomen wij dat uw gegevens bij iemand anders terechtkomen.',
    },
    download: {
      title: 'Uw gegevens downloaden',
      body: (until: string, left: number) =>
        `Uw gegevens staan klaar in een zip-bestand. Deze link is geldig tot ${until} en werkt nog ${left === 1 ? 'één keer' : `${left} keer`}.`,
      button: 'Download het zip-bestand',
      note: 'Elke klik op de knop telt als een download. Deel deze link niet: wie hem heeft, kan uw gegevens downloaden.',
    },
    downloadExpired: {
      title: 'Deze downloadlink werkt niet meer',
      body: 'Deze downloadlink is verlopen of al vijf keer gebruikt; vraag opnieuw inzage aan.',
      link: 'Vraag opnieuw inzage aan',
    },
    home: 'Naar de startpagina',
  },
};

export type RequestTexts = Omit<typeof nl, 'rights'> & { rights: Record<RequestType, RightTexts> };

const en: RequestTexts = {
  home: {
    title: 'Your privacy',
    intro: (shop) =>
      `Here you can read what ${shop} does with your personal data and exercise your rights: access, portability, correction, restriction, objection and erasure.`,
    answer: (days) => `We answer every request within ${days} days, most within seconds.`,
    how: 'How it works: choose your request below and enter your e-mail address on its page. You receive an e-mail with a link; with one click you confirm that the address is yours. Then we handle your request.',
    policy: 'Read our privacy policy',
    toc: 'Choose your request',
    back: 'Choose another request',
  },
  rights: {
    access: {
      name: 'Access',
      next: 'You receive by e-mail a download link to all your data, with an overview of the processors that hold it.',
      submit: 'Request access',
    },
    portability: {
      name: 'Portability',
      next: 'You receive by e-mail a download link to your data in a machine-readable format (JSON and CSV), to give to another party.',
      submit: 'Request portability',
    },
    rectification: {
      name: 'Correction',
      next: 'Fill in only what should change. We check the change and tell you by e-mail when your data has been corrected.',
      submit: 'Request correction',
    },
    restriction: {
      name: 'Restriction',
      next: 'Right after you confirm, we stop processing your data until you lift the restriction.',
      submit: 'Request restriction',
    },
    objection: {
      name: 'Objection',
      next: 'An objection to direct marketing is carried out right after you confirm, for good. For the other purposes we restrict the processing at once and our privacy officer decides on your objection.',
      submit: 'Object',
    },
    erasure: {
      name: 'Erasure (right to be forgotten)',
      next: 'What the law requires us to keep, such as invoices, we keep locked away until the term ends. Our e-mail tells you what was erased and what we keep until when.',
      submit: 'Request erasure',
    },
    closure: {
      name: 'Close my account',
      lead: 'No longer want to use our services? Then we close your account.',
      next: 'We treat this as an erasure request: we erase your data, except what the law requires us to keep.',
      submit: 'Close my account',
    },
  },
  form: {
    optional: '(optional)',
    email: 'E-mail address',
    emailHint: 'We send the confirmation link here. Use the address we know you by.',
    name: 'Name',
    message: 'Why do you object? (optional)',
    purposes: 'Which processing do you object to?',
    purposesHint: 'Choose one or more purposes from our privacy policy.',
    directMarketing: '(direct marketing: we stop at once)',
    corrections: 'What should be corrected?',
    correctionsHint: 'Enter the correct data and leave empty what is right; at least one field.',
    deliverTo: 'Other delivery (another e-mail address or by post)',
    deliverToHint:
      'Optional. Leave empty to receive the answer at the e-mail address above. If you fill this in, we will first ask you to identify yourself.',
    roles: {
      first_name: 'First name',
      last_name: 'Last name',
      phone: 'Phone number',
      street: 'Street',
      house_number: 'House number',
      postal_code: 'Postcode',
      city: 'Town or city',
    },
  },
  errors: {
    summary: 'Please check your input',
    titlePrefix: 'Error:',
    emailRequired: 'Enter your e-mail address.',
    emailInvalid: 'Enter a valid e-mail address, such as name@example.com.',
    correctionsRequired: 'Enter at least one item that should be corrected.',
    objectionRequired: 'Choose at least one purpose you object to.',
    typeUnknown: 'Choose one of the forms below.',
    tooLong: 'This is too long.',
    controlCharacters: 'This holds an invisible control character (such as NUL); remove it and try again.',
  },
  pages: {
    sent: {
      title: 'Check your e-mail',
      request: (right) => `Your request: ${right}.`,
      body: [
        'We have received your request. To confirm it, we send an e-mail with a link to the address you gave, usually within a minute. Click the link and confirm your request with one button. The link is valid for 48 hours from the first request.',
        'Is a request of this kind already open for this address, and do you ask nothing more than it does? Then yours is added to it and we handle it once. If that request still waits for confirmation, we send the link again, at most once every fifteen minutes; the link in the earlier e-mail works too. If it is confirmed already, you get no new e-mail: we are handling it and will send you the answer by e-mail.',
        'If you ask for something the open request does not (an objection to other processing, other corrections, or the answer sent elsewhere), or your earlier request has been completed, this is a new request with an e-mail of its own.',
        'We send at most five confirmation e-mails an hour to one address. If many requests were made for this address in the past hour, the e-mail may therefore take up to an hour.',
        'No e-mail? Look in your spam or junk folder too. If it is not there, check that you used the right address.',
      ],
    },
    ready: {
      title: 'Confirm your request',
      request: (right) => `You made a request: ${right}.`,
      body: 'Confirm with the button below that this e-mail address is yours. Then we handle your request.',
      elsewhere:
        'You asked for delivery to another address or by post. After you confirm, we will contact you to check your identity.',
      button: 'Confirm my request',
      notYou: 'Did you not make this request? Then you need not do anything: it lapses by itself after 48 hours.',
    },
    expired: {
      title: 'This link has expired',
      body: 'A confirmation link is valid for 48 hours. Your request was not confirmed and will therefore not be handled.',
      link: 'Make a new request',
    },
    used: {
      title: 'This link has already been used',
      body: 'Your request has already been confirmed and is being handled. You will receive the answer by e-mail.',
    },
    unknown: {
      title: 'Unknown link',
      body: 'We do not know this link. Check that you opened the complete link from the e-mail.',
    },
    confirmed: {
      title: 'Your request is confirmed',
      body: (days) =>
        `We are handling your request now. Most answers arrive by e-mail within seconds, and always within ${days} days. If it takes longer (our privacy contact has to decide first, or parties without a connection to our systems still follow), you get an e-mail with a reference and a link to a page where you can follow your request.`,
    },
    identity: {
      title: 'We will contact you',
      body: 'Your e-mail address is confirmed. You asked for delivery to another address or by post, so we first check your identity. We will contact you about this at your e-mail address. This way your data does not end up with someone else.',
    },
    download: {
      title: 'Download your data',
      body: (until, left) =>
        `Your data is ready in a zip file. This link is valid until ${until} and works ${left === 1 ? 'once more' : `${left} more times`}.`,
      button: 'Download the zip file',
      note: 'Every click on the button counts as a download. Do not share this link: anyone who has it can download your data.',
    },
    downloadExpired: {
      title: 'This download link no longer works',
      body: 'This download link has expired or has already been used five times; please request access again.',
      link: 'Request access again',
    },
    home: 'Go to the start page',
  },
};

export const requestTexts: Record<Lang, RequestTexts> = { nl, en };
