import type { Lang } from '../lang.ts';

/** The portal's words for withdrawing contact consent, in Dutch and English. */

export type ConsentErrorKey = 'emailRequired' | 'emailInvalid' | 'purposesRequired' | 'tooLong';

const nl = {
  form: {
    title: 'Toestemming intrekken',
    intro: (shop: string) =>
      `Heeft u ${shop} toestemming gegeven om later contact met u op te nemen? Die kunt u hier altijd intrekken, net zo makkelijk als u haar gaf.`,
    how: 'Vul het e-mailadres in waarvoor u toestemming gaf en kies waarvoor u haar intrekt. U krijgt een e-mail met een link; daarmee bevestigt u met één klik dat het adres van u is.',
    none: 'Wij vragen voor niets uw toestemming om contact met u op te nemen. Er is daarom niets in te trekken.',
    email: 'Uw e-mailadres',
    emailHint: 'Het adres waarvoor u toestemming gaf; daar sturen wij de bevestigingslink heen.',
    purposes: 'Waarvoor trekt u uw toestemming in?',
    submit: 'Stuur mij de bevestigingslink',
    summary: 'Er is iets niet goed ingevuld',
    errors: {
      emailRequired: 'Vul uw e-mailadres in.',
      emailInvalid: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
      purposesRequired: 'Kies ten minste één doel.',
      tooLong: 'Dit veld is te lang.',
    } satisfies Record<ConsentErrorKey, string>,
    titlePrefix: 'Fout:',
  },
  sent: {
    title: 'Kijk in uw e-mail',
    body: [
      'Als dit adres bij ons bekend is of niet: wij hebben er een e-mail heen gestuurd met een link. Open de link en klik op de knop om uw toestemming in te trekken.',
      'De link is 48 uur geldig en werkt één keer. Geen e-mail ontvangen? Kijk dan ook in uw map met ongewenste e-mail.',
    ],
  },
  ready: {
    title: 'Bevestig het intrekken van uw toestemming',
    body: 'Klik op de knop om dit te bevestigen. Het intrekken gaat direct in.',
    button: 'Toestemming intrekken',
    notYou: 'Heeft u dit niet gevraagd? Sluit dan deze pagina; er verandert niets.',
  },
  withdrawn: {
    title: 'Uw toestemming is ingetrokken',
    body: 'U krijgt hiervan een bevestiging per e-mail. Wij gebruiken uw gegevens hier niet meer voor en nemen hiervoor geen contact meer met u op.',
  },
  expired: {
    title: 'Deze link is verlopen',
    body: 'De link was 48 uur geldig. Vraag hieronder een nieuwe link aan.',
    link: 'Opnieuw toestemming intrekken',
  },
  unknown: {
    title: 'Deze link werkt niet (meer)',
    body: 'De link is al gebruikt, of klopt niet. Heeft u de knop al gebruikt? Dan is uw toestemming ingetrokken en heeft u daarvan een e-mail gekregen.',
  },
  rateLimited: {
    title: 'Even geduld',
    body: 'Voor dit adres zijn in het afgelopen uur al meerdere links verstuurd. Kijk in uw e-mail, of probeer het over een uur opnieuw.',
  },
  back: 'Naar de startpagina',
};

export type ConsentTexts = typeof nl;

const en: ConsentTexts = {
  form: {
    title: 'Withdraw consent',
    intro: (shop: string) =>
      `Did you give ${shop} consent to contact you at a later time? You can withdraw it here at any time, as easily as you gave it.`,
    how: 'Enter the e-mail address you gave consent for and choose what you withdraw it for. You will get an e-mail with a link; with one click you confirm that the address is yours.',
    none: 'We do not ask your consent to contact you for anything, so there is nothing to withdraw.',
    email: 'Your e-mail address',
    emailHint: 'The address you gave consent for; we send the confirmation link there.',
    purposes: 'What do you withdraw your consent for?',
    submit: 'Send me the confirmation link',
    summary: 'Something is not filled in correctly',
    errors: {
      emailRequired: 'Enter your e-mail address.',
      emailInvalid: 'Enter a valid e-mail address, such as name@example.com.',
      purposesRequired: 'Choose at least one purpose.',
      tooLong: 'This field is too long.',
    },
    titlePrefix: 'Error:',
  },
  sent: {
    title: 'Check your e-mail',
    body: [
      'Whether or not we know this address: we have sent it an e-mail with a link. Open the link and press the button to withdraw your consent.',
      'The link is valid for 48 hours and works once. No e-mail? Please also check your spam folder.',
    ],
  },
  ready: {
    title: 'Confirm withdrawing your consent',
    body: 'Press the button to confirm. The withdrawal takes effect at once.',
    button: 'Withdraw consent',
    notYou: 'Did you not ask for this? Then close this page; nothing changes.',
  },
  withdrawn: {
    title: 'Your consent has been withdrawn',
    body: 'You will get a confirmation by e-mail. We no longer use your data for this and will not contact you for it again.',
  },
  expired: {
    title: 'This link has expired',
    body: 'The link was valid for 48 hours. Ask for a new link below.',
    link: 'Withdraw consent again',
  },
  unknown: {
    title: 'This link does not work (any more)',
    body: 'The link has been used already, or is not right. Did you press the button already? Then your consent is withdrawn and you received an e-mail about it.',
  },
  rateLimited: {
    title: 'Please wait',
    body: 'Several links were sent to this address in the past hour. Please check your e-mail, or try again in an hour.',
  },
  back: 'Go to the start page',
};

export const consentTexts: Record<Lang, ConsentTexts> = { nl, en };
