import { z } from 'zod';
import { emailAddress } from '../lib/email-address.ts';
import { multiLine, oneLine } from '../lib/text-input.ts';

/** Where a choice was made; the portal's own withdrawals say `portal`. */
const Source = oneLine()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be a short lower-case word, e.g. "checkout", "account"' });

/** A consent or its withdrawal as the shop reports it (`POST /api/v1/subjects/consents`). */
export const NewContactConsent = z.object({
  email: oneLine()
    .trim()
    .max(254)
    .pipe(emailAddress({ error: 'must be an e-mail address' }))
    .meta({ description: 'The address the choice is about' }),
  purpose: oneLine()
    .trim()
    .min(1)
    .max(100)
    .meta({ description: 'A purpose id from the policy whose legal basis is consent, e.g. "later-contact"' }),
  granted: z.boolean().meta({ description: 'true: consent given; false: consent refused or withdrawn' }),
  text: multiLine()
    .trim()
    .min(1, { error: 'is required: the exact text the person saw' })
    .max(10_000)
    .meta({ description: 'The exact text shown next to the choice, word for word' }),
  textVersion: oneLine().trim().min(1).max(100).optional().meta({ description: 'The version of that text' }),
  source: Source.meta({ description: 'Where the choice was made: "checkout", "account", …' }),
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-11-26T14:03:00Z' })
    .optional()
    .meta({ description: 'When the person chose; now when left out' }),
});
export type NewContactConsent = z.output<typeof NewContactConsent>;

/** What `record()` takes: the API's input, or the portal's own withdrawal. */
export interface ConsentChoice {
  email: string;
  purpose: string;
  granted: boolean;
  text: string;
  textVersion?: string;
  source: string;
  /** ISO 8601; now when left out. */
  at?: string;
}

/** One row of a person's history, as the officer and the person may see it: no subject_ref. */
export interface ConsentHistoryEntry {
  id: string;
  purpose: string;
  granted: boolean;
  text: string;
  textVersion: string | null;
  source: string;
  at: string;
  recordedAt: string;
}

/** One consent in the access export's data.json and index.html. */
export interface ConsentRecord {
  purpose: string;
  granted: boolean;
  text: string;
  version: string | null;
  source: string;
  at: string;
}

/** The state per purpose: the newest choice. */
export type CurrentConsents = Record<string, { granted: boolean; at: string }>;
