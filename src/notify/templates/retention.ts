import { formatTerm } from '../../policy/labels.ts';
import type { Term } from '../../policy/policy.schema.ts';
import { button, type Lang, link, type MailContent, type MailContext, p } from './model.ts';
import { questionsBlock } from './words.ts';

/**
 * To a customer whose profile reaches the end of its term soon (the policy's optional reminder). It invites
 * them to log in or order, so it is sent only to people who consented to later contact (Telecommunicatiewet
 * art. 11.7(1)), and each one says how to stop such messages (art. 11.7(4)(b)).
 */
export interface RetentionReminderData {
  /** The profile reaches the end of its term within this many days. */
  withinDays: number;
  /** Where to log in or order: the shop's website. */
  shopUrl?: string;
  /** The policy's term for the profile, e.g. two years. */
  term: Term;
}

export const retentionReminder: Record<Lang, (data: RetentionReminderData, ctx: MailContext) => MailContent> = {
  nl: (d, ctx) => {
    const term = formatTerm(d.term, 'nl');
    return {
      subject: `Uw klantprofiel bij ${ctx.shopName} wordt binnenkort verwijderd`,
      blocks: [
        p(
          `U heeft al bijna ${term} niet bij ons besteld, ingelogd of contact met ons gehad. Zoals ons privacybeleid belooft, bewaren wij uw klantprofiel niet langer dan ${term} na het laatste contactmoment of de laatste transactie.`,
        ),
        p(
          `Binnen ${d.withinDays} dagen verwijderen wij daarom uw profiel. Facturen bewaren wij zolang de wet dat vraagt, afgeschermd voor onze medewerkers.`,
        ),
        p('Wilt u uw account houden? Log dan binnenkort in of plaats een bestelling. U hoeft verder niets te doen.'),
        ...(d.shopUrl ? [button('Naar de webwinkel', d.shopUrl)] : []),
        p(
          'U ontvangt dit bericht omdat u ons toestemming gaf u later te benaderen. Wilt u zulke berichten niet meer? Trek uw toestemming in via ',
          link(withdrawUrl(ctx)),
          '.',
        ),
        questionsBlock('nl', ctx),
      ],
    };
  },
  en: (d, ctx) => {
    const term = formatTerm(d.term, 'en');
    return {
      subject: `Your customer profile at ${ctx.shopName} will be deleted soon`,
      blocks: [
        p(
          `You have not ordered, logged in or been in touch with us for almost ${term}. As our privacy policy promises, we keep your customer profile no longer than ${term} after the last contact or transaction.`,
        ),
        p(
          `Within ${d.withinDays} days we will therefore delete your profile. Invoices are kept for as long as the law requires, out of our staff's reach.`,
        ),
        p('Would you like to keep your account? Log in or place an order soon. Otherwise you need not do anything.'),
        ...(d.shopUrl ? [button('Go to the shop', d.shopUrl)] : []),
        p(
          'You receive this message because you agreed that we may contact you later. To stop such messages, withdraw your consent at ',
          link(withdrawUrl(ctx)),
          '.',
        ),
        questionsBlock('en', ctx),
      ],
    };
  },
};

/** The portal's page where a person withdraws contact consent. */
const withdrawUrl = (ctx: MailContext) => `${ctx.baseUrl.replace(/\/$/, '')}/consent/withdraw`;
