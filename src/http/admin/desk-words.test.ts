import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { loadExamplePolicy } from '../../../test/helpers/app.ts';
import { CONTROL_CHARACTERS_MESSAGE, oneLine } from '../../lib/text-input.ts';
import { answerText, retainedWhy } from './desk-answers.ts';
import { deskNames } from './desk-names.ts';
import { issueText, problemText } from './desk-problems.ts';
import { channelLabel, eventLabel, lastDay, statusLabel, systemOutcomeLabel, urgencyText } from './desk-words.ts';

const policy = loadExamplePolicy();

describe("the desk's words for the engine's codes", () => {
  it('says the last day a hold keeps something, as the person’s letter does, not the moment after it', () => {
    // The fiscal hold of a 2026 invoice ends at 1 January 2034, 00:00 in Amsterdam (23:00 UTC the day before).
    assert.equal(lastDay('2033-12-31T23:00:00.000Z', 'nl'), '31 december 2033');
    assert.equal(lastDay('2033-12-31T23:00:00.000Z', 'en'), '31 December 2033');
    // A hold ending in summer time (UTC+2); a plain date, the first day no longer kept, as a processor's
    // report gives it (fiscalRetainedUntil: '2034-01-01'), also across a month's and a leap day's end.
    assert.equal(lastDay('2031-06-30T22:00:00.000Z', 'nl'), '30 juni 2031');
    assert.equal(lastDay('2034-01-01', 'nl'), '31 december 2033');
    assert.equal(lastDay('2028-03-01', 'nl'), '29 februari 2028');
    assert.equal(lastDay(null, 'nl'), '—');
  });

  it('says every status, outcome and event in the page’s language, and an unknown code as a neutral phrase', () => {
    assert.equal(statusLabel('awaiting_decision', 'nl'), 'wacht op uw besluit');
    assert.equal(statusLabel('awaiting_decision', 'en'), 'waiting for your decision');
    assert.equal(systemOutcomeLabel('nothing-found', 'nl'), 'niets gevonden');
    assert.equal(systemOutcomeLabel('manual', 'en'), 'by hand (task)');
    assert.equal(systemOutcomeLabel('something-new', 'nl'), 'onbekend', 'never the slug');
    assert.equal(eventLabel('brand_new_event', 'en'), 'event');
    assert.equal(channelLabel('fax', 'nl'), 'via een ander kanaal');
    assert.equal(urgencyText('overdue', -1, 'nl'), 'te laat: 1 dag');
    assert.equal(urgencyText('soon', 3, 'en'), 'within 3 days');
  });

  it('names processors, systems and kinds of data as the policy and the data map do, never by their ids', () => {
    const nl = deskNames(policy, undefined, 'nl');
    assert.equal(nl.processor('google-analytics'), 'Google Analytics');
    assert.equal(
      nl.collection('shop.contact_moments'),
      'Contactmomenten in MyOnlineStore'.replace('MyOnlineStore', nl.system('shop')),
    );
    assert.equal(
      deskNames(policy, undefined, 'en').collection('shop', 'order_lines').startsWith('Order lines in '),
      true,
    );
    assert.equal(nl.category('invoice'), 'Factuurgegevens');
    assert.equal(nl.processor('not-in-the-policy'), 'not-in-the-policy', 'an unknown id is shown rather than hidden');
  });

  it("says the engine's own part of a processor's answer in the page's language, and marks an API's English", () => {
    const collection = (c: string) => deskNames(policy, undefined, 'nl').collection('mollie', c);
    assert.deepEqual(answerText('no API connected: handed to the officer as a manual task', 'nl', collection), {
      text: 'geen koppeling: als taak aan u doorgegeven',
    });
    assert.deepEqual(answerText('unreachable for 24 hours: handed to the officer as a manual task', 'nl', collection), {
      text: '24 uur niet bereikbaar: als taak aan u doorgegeven',
    });
    assert.match(
      answerText('customers: 1 deleted; payments: 2 retained', 'nl', collection).text,
      /1 verwijderd.*2 bewaard/,
    );
    assert.deepEqual(answerText('Mollie holds no customer with this address.', 'nl', collection), {
      text: 'Mollie holds no customer with this address.',
      lang: 'en',
    });
    assert.deepEqual(answerText('Mollie holds no customer with this address.', 'en', collection), {
      text: 'Mollie holds no customer with this address.',
    });
  });

  it('says why records were kept from the policy’s legal hold, in the page’s language', () => {
    const rules = policy.retention.rules;
    assert.match(
      retainedWhy('fiscal: Algemene wet inzake rijksbelastingen, art. 52', 'en', rules).text,
      /^legal duty to keep: Dutch General Tax Act/,
    );
    assert.equal(retainedWhy('fiscal hold (AWR art. 52)', 'nl', rules).text, 'fiscale bewaarplicht (AWR art. 52)');
  });
});

describe("the desk's words for a form's problems", () => {
  it("translates the engine's English messages, and never shows one it does not know", () => {
    assert.equal(problemText('must be an e-mail address', 'nl'), 'moet een e-mailadres zijn');
    assert.equal(
      problemText('categories: "x" is not a category of the policy', 'nl', 'categories'),
      'is geen soort gegevens uit het privacybeleid',
    );
    assert.equal(
      problemText(`request 12 is completed; this needs awaiting_decision`, 'nl'),
      'het verzoek heeft nu de status “afgerond”',
    );
    assert.equal(problemText('some brand-new English sentence', 'nl'), 'klopt niet; controleer wat u invulde');
    assert.equal(problemText('some brand-new English sentence', 'en'), 'is not valid; check what you entered');
  });

  it('words a zod issue by its code and limits, also where the schema has English words of its own', () => {
    const Form = z.object({ a: oneLine().min(1), b: oneLine().max(3), c: z.email(), d: z.enum(['x']) });
    const issues = Form.safeParse({ a: '', b: 'abcd', c: 'geen', d: 'y' }).error!.issues;
    assert.deepEqual(
      issues.map((i) => issueText(i, 'nl')),
      ['is verplicht', 'mag ten hoogste 3 tekens lang zijn', 'moet een e-mailadres zijn', 'is geen van de keuzes'],
    );
    const control = oneLine().safeParse('a\u0000').error!.issues[0]!;
    assert.equal(control.message, CONTROL_CHARACTERS_MESSAGE);
    assert.equal(issueText(control, 'nl'), 'mag geen onzichtbare stuurtekens bevatten (zoals NUL)');
    assert.equal(issueText(control, 'en'), 'must not contain invisible control characters (such as NUL)');
  });
});
