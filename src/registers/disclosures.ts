import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import { emailAddress } from '../lib/email-address.ts';
import { notFound, validationFailed } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { oneLine } from '../lib/text-input.ts';
import type { AuditRecorder } from '../policy/versions.ts';
import type { Database, DisclosureTable } from '../store/schema.ts';
import { checkbox, firstProblem, freeText, optionalText } from './register-input.ts';

/**
 * The register of disclosures to authorities (the policy's "Medewerking aan fiscaal en strafrechtelijk
 * onderzoek": only under a legal obligation, resisted where possible). Who it was about is written in
 * words, or linked to a request, or given as an e-mail address that is kept only as its keyed
 * reference (the one requests use), so the register never holds an address in clear.
 */

export interface Disclosure {
  id: string;
  disclosedOn: string;
  authority: string;
  legalBasis: string;
  disclosed: string;
  about: string;
  requestId: string | null;
  subjectRef: string | null;
  resisted: boolean;
  resistance: string | null;
  outcome: string;
  createdAt: string;
  updatedAt: string;
}

const isoDay = z.iso.date({ error: 'must be a date, e.g. 2026-11-26' });

export const DisclosureInput = z
  .object({
    disclosedOn: oneLine().trim().pipe(isoDay),
    authority: freeText(200),
    legalBasis: freeText(500),
    disclosed: freeText(),
    about: freeText(1000),
    requestId: oneLine()
      .trim()
      .optional()
      .transform((s) => (s ? s : null))
      .pipe(z.uuid({ error: 'must be a request id' }).nullable()),
    /** Kept only as its keyed reference; an empty field keeps the reference already stored. */
    subjectEmail: oneLine()
      .trim()
      .optional()
      .transform((s) => (s ? s : null))
      .pipe(emailAddress({ error: 'must be an e-mail address' }).nullable()),
    resisted: checkbox,
    resistance: optionalText(),
    outcome: freeText(),
  })
  .superRefine((d, ctx) => {
    if (d.resisted && !d.resistance)
      ctx.addIssue({ code: 'custom', path: ['resistance'], message: 'say how the request was resisted' });
  });
export type DisclosureInput = z.output<typeof DisclosureInput>;

const toDisclosure = (r: DisclosureTable): Disclosure => ({
  id: r.id,
  disclosedOn: r.disclosed_on,
  authority: r.authority,
  legalBasis: r.legal_basis,
  disclosed: r.disclosed,
  about: r.about,
  requestId: r.request_id,
  subjectRef: r.subject_ref,
  resisted: Number(r.resisted) === 1,
  resistance: r.resistance,
  outcome: r.outcome,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DisclosureRegisterDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit?: AuditRecorder;
  /** The keyed HMAC of a normalised address (src/requests/intake.service.ts `subjectRef`). */
  subjectRef: (email: string) => string;
}

export class DisclosureRegister {
  constructor(private readonly deps: DisclosureRegisterDeps) {}

  /** Parses the form and checks the linked request exists; throws VALIDATION_FAILED naming the field. */
  async parse(form: unknown): Promise<DisclosureInput> {
    const parsed = DisclosureInput.safeParse(form);
    if (!parsed.success) {
      const { field, message } = firstProblem(parsed.error);
      throw validationFailed(`${field}: ${message}`, field);
    }
    const d = parsed.data;
    if (d.disclosedOn > this.deps.clock.now().toISOString().slice(0, 10))
      throw validationFailed('disclosedOn: is in the future', 'disclosedOn');
    if (d.requestId) {
      const found = await this.deps.db
        .selectFrom('requests')
        .select('id')
        .where('id', '=', d.requestId)
        .executeTakeFirst();
      if (!found) throw validationFailed('requestId: no request with this id', 'requestId');
    }
    return d;
  }

  /** Every disclosure, newest first. */
  async list(): Promise<Disclosure[]> {
    const rows = await this.deps.db
      .selectFrom('disclosures')
      .selectAll()
      .orderBy('disclosed_on', 'desc')
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toDisclosure);
  }

  async get(id: string): Promise<Disclosure | undefined> {
    const row = await this.deps.db.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDisclosure(row) : undefined;
  }

  async create(form: unknown, actor: string): Promise<Disclosure> {
    const input = await this.parse(form);
    const now = this.deps.clock.now().toISOString();
    const id = newId();
    const subjectRef = input.subjectEmail ? this.deps.subjectRef(input.subjectEmail) : null;
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('disclosures')
        .values({
          id,
          ...this.#columns(input),
          subject_ref: subjectRef,
          created_by: actor,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.deps.audit?.record(
        {
          actor,
          action: 'register.disclosure.create',
          target: `disclosure:${id}`,
          ...(subjectRef ? { subjectRef } : {}),
          details: { resisted: input.resisted, request: input.requestId },
        },
        trx,
      );
    });
    return (await this.get(id))!;
  }

  async update(id: string, form: unknown, actor: string): Promise<Disclosure> {
    const existing = await this.get(id);
    if (!existing) throw notFound('no disclosure with this id');
    const input = await this.parse(form);
    const subjectRef = input.subjectEmail ? this.deps.subjectRef(input.subjectEmail) : existing.subjectRef;
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('disclosures')
        .set({ ...this.#columns(input), subject_ref: subjectRef, updated_at: now })
        .where('id', '=', id)
        .execute();
      await this.deps.audit?.record(
        {
          actor,
          action: 'register.disclosure.update',
          target: `disclosure:${id}`,
          ...(subjectRef ? { subjectRef } : {}),
          details: { resisted: input.resisted, request: input.requestId },
        },
        trx,
      );
    });
    return (await this.get(id))!;
  }

  #columns(input: DisclosureInput) {
    return {
      disclosed_on: input.disclosedOn,
      authority: input.authority,
      legal_basis: input.legalBasis,
      disclosed: input.disclosed,
      about: input.about,
      request_id: input.requestId,
      resisted: input.resisted ? 1 : 0,
      resistance: input.resistance,
      outcome: input.outcome,
    };
  }
}
