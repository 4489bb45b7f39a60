import { type Change, describeChange, type PolicyDiff } from '../../policy/diff.ts';
import { type Lang, link, list, type MailContent, type MailContext, p } from './model.ts';
import { formatDay, questionsBlock } from './words.ts';

type Letter<D> = Record<Lang, (data: D, ctx: MailContext) => MailContent>;

export interface PolicyChangedData {
  /** The new version's number, as /privacy/versions/:n shows it. */
  version: number;
  effectiveAt: string;
  /** The material changes; each is put in plain words in the message's language. */
  changes: Change[];
  names: PolicyDiff['names'];
}

const links = (ctx: MailContext, d: PolicyChangedData, lang: Lang) => {
  const base = ctx.baseUrl.replace(/\/$/, '');
  return {
    policy: `${base}/privacy?lang=${lang}`,
    versions: `${base}/privacy/versions?lang=${lang}`,
    version: `${base}/privacy/versions/${d.version}?lang=${lang}`,
    rights: `${base}/?lang=${lang}`,
  };
};

/**
 * Sent to exactly the people whose data a material change concerns (the policy's "Wijzigingen in het
 * privacybeleid"): what changes, from when, and where to read the old and the new text.
 */
export const policyChanged: Letter<PolicyChangedData> = {
  nl: (d, ctx) => {
    const to = links(ctx, d, 'nl');
    return {
      subject: `Ons privacybeleid verandert per ${formatDay(d.effectiveAt, 'nl')}`,
      blocks: [
        p(
          `${ctx.shopName} past het privacybeleid aan. U krijgt dit bericht omdat de wijziging gaat over ` +
            'gegevens die wij van u hebben. Dit verandert er:',
        ),
        list(d.changes.map((c) => [describeChange(c, 'nl', d.names)])),
        p(`Het nieuwe beleid geldt vanaf ${formatDay(d.effectiveAt, 'nl')}. Lees het hier: `, link(to.version)),
        p('Het beleid dat nu geldt: ', link(to.policy), '. Alle eerdere versies: ', link(to.versions), '.'),
        p(
          'Bent u het niet eens met de wijziging, dan kunt u bezwaar maken of ons vragen uw gegevens te verwijderen: ',
          link(to.rights),
        ),
        questionsBlock('nl', ctx),
      ],
    };
  },
  en: (d, ctx) => {
    const to = links(ctx, d, 'en');
    return {
      subject: `Our privacy policy changes on ${formatDay(d.effectiveAt, 'en')}`,
      blocks: [
        p(
          `${ctx.shopName} is changing its privacy policy. You receive this message because the change ` +
            'concerns data we hold about you. This is what changes:',
        ),
        list(d.changes.map((c) => [describeChange(c, 'en', d.names)])),
        p(`The new policy applies from ${formatDay(d.effectiveAt, 'en')}. Read it here: `, link(to.version)),
        p('The policy in force now: ', link(to.policy), '. Every earlier version: ', link(to.versions), '.'),
        p('If you do not agree with the change, you can object or ask us to erase your data: ', link(to.rights)),
        questionsBlock('en', ctx),
      ],
    };
  },
};
