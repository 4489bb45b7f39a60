import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../lib/clock.ts';
import { HOUR } from '../lib/clock.ts';
import { notFound, validationFailed } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { oneLine } from '../lib/text-input.ts';
import type { AuditRecorder } from '../policy/versions.ts';
import type { BreachTable, Database } from '../store/schema.ts';
import {
  checkbox,
  dateTime,
  firstProblem,
  freeText,
  optionalCount,
  optionalDateTime,
  optionalText,
} from './register-input.ts';

/**
 * The breach register (GDPR Art. 33(5)): every personal data breach, notified or not, with its facts,
 * effects and the remedial action. The Autoriteit Persoonsgegevens must hear of it within 72 hours
 * of discovery (Art. 33(1)); `breachClock` counts that down.
 */

export const NOTIFY_WITHIN_MS = 72 * HOUR;

export interface Breach {
  id: string;
  discoveredAt: string;
  summary: string;
  description: string;
  categories: string[];
  peopleCount: number | null;
  recordsCount: number | null;
  consequences: string;
  measures: string;
  authorityNotifiedAt: string | null;
  authorityReference: string | null;
  /** Why the authority was not told: the breach is unlikely to result in a risk (Art. 33(1)). */
  authorityReason: string | null;
  subjectsNotifiedAt: string | null;
  subjectsHow: string | null;
  /** Why the people were not told (Art. 34(3)). */
  subjectsReason: string | null;
  status: 'open' | 'closed';
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BreachClock {
  /** Discovery plus 72 hours. */
  deadline: Date;
  /** Until the deadline; negative once it has passed. */
  remainingMs: number;
  /** Past the deadline with the authority neither told nor a reason recorded for not telling it. */
  overdue: boolean;
  /** The authority has been told. */
  notified: boolean;
  /** Told after the deadline (Art. 33(1) then asks for the reasons for the delay). */
  late: boolean;
  /** Not told, on purpose, with the reason recorded. */
  waived: boolean;
}

/** The 72-hour clock of a breach at `now`. Exactly at the deadline it is not yet overdue. */
export function breachClock(
  breach: Pick<Breach, 'discoveredAt' | 'authorityNotifiedAt' | 'authorityReason'>,
  now: Date,
): BreachClock {
  const deadline = new Date(new Date(breach.discoveredAt).getTime() + NOTIFY_WITHIN_MS);
  const remainingMs = deadline.getTime() - now.getTime();
  const notified = breach.authorityNotifiedAt !== null;
  const waived = !notified && breach.authorityReason !== null;
  return {
    deadline,
    remainingMs,
    overdue: !notified && !waived && remainingMs < 0,
    notified,
    late: notified && new Date(breach.authorityNotifiedAt!).getTime() > deadline.getTime(),
    waived,
  };
}

/** The clock in words, without JavaScript: "nog 41 uur", "12 uur te laat", "gemeld". */
export function breachClockText(clock: BreachClock, lang: 'nl' | 'en' = 'nl'): string {
  if (clock.notified)
    return lang === 'nl' ? (clock.late ? 'gemeld, te laat' : 'gemeld') : clock.late ? 'notified, late' : 'notified';
  if (clock.waived) return lang === 'nl' ? 'niet gemeld (reden vastgelegd)' : 'not notified (reason recorded)';
  const ms = Math.abs(clock.remainingMs);
  const hours = Math.floor(ms / HOUR);
  const span =
    hours >= 1
      ? `${hours} ${lang === 'nl' ? 'uur' : hours === 1 ? 'hour' : 'hours'}`
      : `${Math.floor(ms / 60_000)} ${lang === 'nl' ? 'minuten' : 'minutes'}`;
  if (clock.remainingMs >= 0) return lang === 'nl' ? `nog ${span}` : `${span} left`;
  return lang === 'nl' ? `${span} te laat` : `${span} late`;
}

/** The form, as the back office posts it; every field a string. */
export const BreachInput = z
  .object({
    discoveredAt: dateTime,
    summary: freeText(200),
    description: freeText(),
    categories: z
      .union([oneLine(), z.array(oneLine())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1, { error: 'choose at least one category' })),
    peopleCount: optionalCount,
    recordsCount: optionalCount,
    consequences: freeText(),
    measures: freeText(),
    authorityNotifiedAt: optionalDateTime,
    authorityReference: optionalText(200),
    authorityReason: optionalText(),
    subjectsNotifiedAt: optionalDateTime,
    subjectsHow: optionalText(),
    subjectsReason: optionalText(),
    closed: checkbox,
  })
  .superRefine((b, ctx) => {
    if (b.authorityNotifiedAt && b.authorityNotifiedAt < b.discoveredAt)
      ctx.addIssue({ code: 'custom', path: ['authorityNotifiedAt'], message: 'is before the breach was discovered' });
    if (b.subjectsNotifiedAt && b.subjectsNotifiedAt < b.discoveredAt)
      ctx.addIssue({ code: 'custom', path: ['subjectsNotifiedAt'], message: 'is before the breach was discovered' });
    // A closed breach says what was done about telling: notified, or why not.
    if (b.closed && !b.authorityNotifiedAt && !b.authorityReason)
      ctx.addIssue({
        code: 'custom',
        path: ['authorityReason'],
        message: 'a closed breach needs the date the Autoriteit Persoonsgegevens was told, or why it was not',
      });
    if (b.closed && !b.subjectsNotifiedAt && !b.subjectsReason)
      ctx.addIssue({
        code: 'custom',
        path: ['subjectsReason'],
        message: 'a closed breach needs the date the people were told, or why they were not',
      });
  });
export type BreachInput = z.output<typeof BreachInput>;

const toBreach = (r: BreachTable): Breach => ({
  id: r.id,
  discoveredAt: r.discovered_at,
  summary: r.summary,
  description: r.description,
  categories: JSON.parse(r.categories) as string[],
  peopleCount: r.people_count === null ? null : Number(r.people_count),
  recordsCount: r.records_count === null ? null : Number(r.records_count),
  consequences: r.consequences,
  measures: r.measures,
  authorityNotifiedAt: r.authority_notified_at,
  authorityReference: r.authority_reference,
  authorityReason: r.authority_reason,
  subjectsNotifiedAt: r.subjects_notified_at,
  subjectsHow: r.subjects_how,
  subjectsReason: r.subjects_reason,
  status: r.status,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface BreachRegisterDeps {
  db: Kysely<Database>;
  clock: Clock;
  audit?: AuditRecorder;
  /** The policy's category ids: a breach names only categories the policy knows. */
  categories: () => ReadonlyArray<string>;
}

export class BreachRegister {
  constructor(private readonly deps: BreachRegisterDeps) {}

  /** Parses the form; throws VALIDATION_FAILED naming the first field at fault. */
  parse(form: unknown): BreachInput {
    const parsed = BreachInput.safeParse(form);
    if (!parsed.success) {
      const { field, message } = firstProblem(parsed.error);
      throw validationFailed(`${field}: ${message}`, field);
    }
    const known = new Set(this.deps.categories());
    const unknown = parsed.data.categories.find((c) => !known.has(c));
    if (unknown) throw validationFailed(`categories: "${unknown}" is not a category of the policy`, 'categories');
    return parsed.data;
  }

  /** Every breach, open ones first, newest discovery first. */
  async list(): Promise<Breach[]> {
    const rows = await this.deps.db
      .selectFrom('breaches')
      .selectAll()
      .orderBy('status', 'desc')
      .orderBy('discovered_at', 'desc')
      .execute();
    return rows.map(toBreach);
  }

  /** Open breaches, the earliest deadline first: for the dashboard's 72-hour clocks. */
  async openBreaches(): Promise<Breach[]> {
    const rows = await this.deps.db
      .selectFrom('breaches')
      .selectAll()
      .where('status', '=', 'open')
      .orderBy('discovered_at', 'asc')
      .execute();
    return rows.map(toBreach);
  }

  async get(id: string): Promise<Breach | undefined> {
    const row = await this.deps.db.selectFrom('breaches').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toBreach(row) : undefined;
  }

  async create(form: unknown, actor: string): Promise<Breach> {
    const input = this.parse(form);
    const now = this.deps.clock.now().toISOString();
    const id = newId();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('breaches')
        .values({ id, ...this.#columns(input, null, now), created_by: actor, created_at: now, updated_at: now })
        .execute();
      await this.deps.audit?.record(
        { actor, action: 'register.breach.create', target: `breach:${id}`, details: this.#auditDetails(input) },
        trx,
      );
    });
    return (await this.get(id))!;
  }

  async update(id: string, form: unknown, actor: string): Promise<Breach> {
    const existing = await this.get(id);
    if (!existing) throw notFound('no breach with this id');
    const input = this.parse(form);
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('breaches')
        .set({ ...this.#columns(input, existing, now), updated_at: now })
        .where('id', '=', id)
        .execute();
      await this.deps.audit?.record(
        { actor, action: 'register.breach.update', target: `breach:${id}`, details: this.#auditDetails(input) },
        trx,
      );
    });
    return (await this.get(id))!;
  }

  #columns(input: BreachInput, existing: Breach | null, now: string) {
    const status: Breach['status'] = input.closed ? 'closed' : 'open';
    return {
      discovered_at: input.discoveredAt,
      summary: input.summary,
      description: input.description,
      categories: JSON.stringify(input.categories),
      people_count: input.peopleCount,
      records_count: input.recordsCount,
      consequences: input.consequences,
      measures: input.measures,
      authority_notified_at: input.authorityNotifiedAt,
      authority_reference: input.authorityReference,
      authority_reason: input.authorityReason,
      subjects_notified_at: input.subjectsNotifiedAt,
      subjects_how: input.subjectsHow,
      subjects_reason: input.subjectsReason,
      status,
      closed_at: status === 'closed' ? (existing?.closedAt ?? now) : null,
    };
  }

  /** Counts and dates only: the register's texts may describe people, the audit trail does not copy them. */
  #auditDetails(input: BreachInput) {
    return {
      status: input.closed ? 'closed' : 'open',
      categories: input.categories,
      authorityNotified: input.authorityNotifiedAt !== null,
      subjectsNotified: input.subjectsNotifiedAt !== null,
    };
  }
}
