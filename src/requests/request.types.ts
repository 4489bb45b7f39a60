import { z } from 'zod';
import { FieldRole } from '../datamap/datamap.schema.ts';
import { emailAddress } from '../lib/email-address.ts';
import { multiLine, oneLine } from '../lib/text-input.ts';

export const REQUEST_TYPES = [
  'access',
  'portability',
  'rectification',
  'restriction',
  'objection',
  'erasure',
  'closure',
] as const;
export const RequestType = z.enum(REQUEST_TYPES);

/** The job that handles a verified request (src/requests/request.jobs.ts). */
export const PROCESS_JOB = 'request.process';
export type RequestType = z.infer<typeof RequestType>;

export type RequestStatus =
  | 'awaiting_verification'
  | 'awaiting_identity'
  | 'verified'
  | 'in_progress'
  | 'awaiting_decision'
  | 'waiting_on_tasks'
  | 'completed'
  | 'rejected'
  | 'expired';

export const CLOSED_STATUSES: ReadonlyArray<RequestStatus> = ['completed', 'rejected', 'expired'];

/** A request as it comes in, from the portal form or the API. */
export const NewRequest = z
  .object({
    type: RequestType.meta({
      description: 'The right: access, portability, rectification, restriction, objection, erasure, closure',
    }),
    email: oneLine()
      .trim()
      .max(254)
      .pipe(emailAddress({ error: 'must be an e-mail address' }))
      .meta({ description: 'The address the request is about; the verification link goes there' }),
    name: oneLine().trim().max(200).optional(),
    message: multiLine()
      .trim()
      .max(5000)
      .optional()
      .meta({ description: 'Free text, optional; for an objection: the grounds relating to the situation' }),
    purposes: z
      .array(z.string().trim().min(1).max(100))
      .max(50)
      .optional()
      .meta({
        description:
          'For an objection: the ids of the policy purposes objected to (GET /api/v1/policy lists them). ' +
          'Direct marketing is honoured at once; legitimate interests go to the officer.',
      }),
    corrections: z
      .partialRecord(FieldRole, oneLine().trim().max(500))
      .optional()
      .meta({ description: 'For rectification: the corrected values, e.g. {"last_name": "Jansen"}' }),
    language: z.enum(['nl', 'en']).default('nl'),
    deliverTo: multiLine()
      .trim()
      .max(500)
      .optional()
      .meta({ description: 'Another delivery address (e-mail or postal): the officer checks identity first' }),
  })
  .superRefine((r, ctx) => {
    if (r.type === 'rectification' && (!r.corrections || Object.keys(r.corrections).length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['corrections'],
        message: 'is required for rectification: say what should be corrected',
      });
    }
    if (r.type === 'objection' && (!r.purposes || r.purposes.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['purposes'],
        message: 'is required for an objection: name the purposes you object to',
      });
    }
  });
export type NewRequest = z.output<typeof NewRequest>;

/** What the right needs, kept with the request until its identity is cleared. */
export interface RequestDetails {
  corrections?: Partial<Record<FieldRole, string>>;
  /** For an objection: the policy's purposes objected to (Art. 21). */
  purposes?: string[];
  deliverTo?: string;
  decisionReason?: string;
  extensionReason?: string;
}

/** What a request did, kept in the register without identity. */
export interface RequestResult {
  records?: number;
  systems?: Array<{ system: string; status: string }>;
  processors?: string[];
  /** Kept: sealed until a date, or by a processor (`until` absent when it gave none); `count` records. */
  retained?: Array<{ what: string; until?: string; why: string; count?: number }>;
  /** What an erasure did, per collection. */
  erased?: Array<{ what: string; count: number }>;
  tasks?: number;
}
