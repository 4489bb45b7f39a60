import { button, type Lang, list, type MailContent, type MailContext, p } from './model.ts';
import { formatDateTime, questionsBlock } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

export interface ConsentWithdrawVerifyData {
  /** The confirmation page; it asks for one click, because mail scanners open every link. */
  link: string;
  expiresAt: string | Date;
}

/**
 * The same words whether or not the shop knows the address: nothing here may tell a stranger who
 * is a customer, so it names no purpose and no person.
 */
export const consentWithdrawVerify: Letter<ConsentWithdrawVerifyData> = {
  nl: (d, ctx) => ({
    subject: 'Bevestig het intrekken van uw toestemming',
    blocks: [
      p(
        `${ctx.shopName} heeft het verzoek ontvangen om voor dit e-mailadres toestemming in te trekken. ` +
          'Bevestig met de link hieronder dat het verzoek van u komt. De link opent een pagina met één knop; ' +
          'pas als u op die knop klikt, trekken wij uw toestemming in.',
      ),
      button('Toestemming intrekken', d.link),
      p(`De link is 48 uur geldig, tot ${formatDateTime(d.expiresAt, 'nl')}, en werkt één keer.`),
      p('Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren. Zonder uw bevestiging verandert er niets.'),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'Confirm withdrawing your consent',
    blocks: [
      p(
        `${ctx.shopName} has received a request to withdraw consent for this e-mail address. ` +
          'Please confirm with the link below that the request comes from you. The link opens a page with ' +
          'one button; we only withdraw your consent once you press it.',
      ),
      button('Withdraw consent', d.link),
      p(`The link is valid for 48 hours, until ${formatDateTime(d.expiresAt, 'en')}, and works once.`),
      p('Did you not ask for this? Then you can ignore this e-mail. Nothing changes without your confirmation.'),
      questionsBlock('en', ctx),
    ],
  }),
};

export interface ConsentWithdrawnData {
  /** The purposes withdrawn, by name in the message's language. */
  purposes: string[];
}

export const consentWithdrawn: Letter<ConsentWithdrawnData> = {
  nl: (d, ctx) => ({
    subject: 'Uw toestemming is ingetrokken',
    blocks: [
      p('Wij hebben uw toestemming ingetrokken voor:'),
      list(d.purposes.map((name) => [name])),
      p(
        'Wij gebruiken uw gegevens hier niet meer voor en nemen hiervoor geen contact meer met u op. ' +
          'Wat wij deden voordat u uw toestemming introk, blijft rechtmatig. Wilt u later toch weer ' +
          'toestemming geven, dan kan dat altijd.',
      ),
      questionsBlock('nl', ctx),
    ],
  }),
  en: (d, ctx) => ({
    subject: 'Your consent has been withdrawn',
    blocks: [
      p('We have withdrawn your consent for:'),
      list(d.purposes.map((name) => [name])),
      p(
        'We no longer use your data for this and will not contact you for it again. What we did before ' +
          'you withdrew your consent remains lawful. You can always give your consent again later.',
      ),
      questionsBlock('en', ctx),
    ],
  }),
};
