import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntryInput } from '../audit/audit-trail.ts';
import { parseYamlWith } from '../config/yaml-file.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import type { Clock } from '../lib/clock.ts';
import { conflict, InzageError, validationFailed } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { parseLocalDateTime } from '../registers/register-input.ts';
import type { Database, PolicyVersionTable } from '../store/schema.ts';
import { canonicalJson, diffPolicies, type PolicyDiff } from './diff.ts';
import { type Finding, lintPolicyText } from './lint.ts';
import { Policy } from './policy.schema.ts';

/**
 * Published versions of the privacy policy. The policy file is the draft; publishing makes it a
 * version with an effective date, and the version before it stops being valid on that date.
 * Before anything is published, the file as Inzage first sees it counts as version 1
 * (`recordFirst`, run at start-up and before any publication), dated by its own `effectiveDate`.
 */

/** The job that finds and mails the people a material change concerns; payload `{ versionId }`. */
export const POLICY_NOTIFY_JOB = 'policy.notify';

export interface PolicyVersion {
  id: string;
  number: number;
  label: string;
  yaml: string;
  policy: Policy;
  publishedAt: string;
  publishedBy: string | null;
  effectiveAt: string;
  supersededAt: string | null;
  /** Against the version before; null for the first. */
  diff: PolicyDiff | null;
  material: boolean;
  notify: {
    status: PolicyVersionTable['notify_status'];
    affected: number;
    queued: number;
    sent: number;
    startedAt: string | null;
    finishedAt: string | null;
  };
}

export type VersionState = 'pending' | 'in-force' | 'superseded';

/** Whether a version is waiting for its date, in force, or replaced, at `at`. */
export function versionState(v: Pick<PolicyVersion, 'effectiveAt' | 'supersededAt'>, at: Date): VersionState {
  const now = at.toISOString();
  if (v.effectiveAt > now) return 'pending';
  if (v.supersededAt && v.supersededAt <= now) return 'superseded';
  return 'in-force';
}

/** Records an audit entry; the audit trail (src/audit) in the app, a fake in tests. */
export interface AuditRecorder {
  record(entry: AuditEntryInput, db?: Kysely<Database>): Promise<void>;
}

export interface PolicyVersionsDeps {
  db: Kysely<Database>;
  clock: Clock;
  jobs: JobRepository;
  audit?: AuditRecorder;
}

/** What publishing this text would do: refused (lint errors, nothing changed) or the diff to show. */
export type PublishPreview =
  | { ok: false; reason: 'invalid'; findings: Finding[] }
  | { ok: false; reason: 'unchanged'; against: number }
  | { ok: true; policy: Policy; against: PolicyVersion | undefined; diff: PolicyDiff | null; warnings: Finding[] };

export interface PublishInput {
  yaml: string;
  /** When the new version takes effect; now when left out. Never before now, never before the latest version's. */
  effective?: Date;
  /** 'user:<id>' or 'cli', for the audit trail. */
  actor: string;
  /** The file name, for lint messages. */
  file?: string;
}

/**
 * An effective date as a person gives it: `2026-12-01` is the start of that day in Dutch time (today:
 * now), or a date and time. Undefined when it is not one.
 */
export function parseEffectiveDate(value: string, now: Date): Date | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseLocalDateTime(`${value}T00:00`) : parseLocalDateTime(value);
  if (!day) return undefined;
  // Today's date means "from now": the start of the day has passed already.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && day < now && now.getTime() - day.getTime() < 86_400_000) return now;
  return day;
}

/** The parsed policy without its label and date: the content that "nothing changed" compares. */
export function contentHash(policy: Policy): string {
  const { version: _v, effectiveDate: _d, ...content } = policy;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

const toVersion = (row: PolicyVersionTable): PolicyVersion => ({
  id: row.id,
  number: Number(row.number),
  label: row.label,
  yaml: row.yaml,
  policy: JSON.parse(row.policy) as Policy,
  publishedAt: row.published_at,
  publishedBy: row.published_by,
  effectiveAt: row.effective_at,
  supersededAt: row.superseded_at,
  diff: row.diff ? (JSON.parse(row.diff) as PolicyDiff) : null,
  material: Number(row.material) === 1,
  notify: {
    status: row.notify_status,
    affected: Number(row.notify_affected),
    queued: Number(row.notify_queued),
    sent: Number(row.notify_sent),
    startedAt: row.notify_started_at,
    finishedAt: row.notify_finished_at,
  },
});

export class PolicyVersions {
  constructor(private readonly deps: PolicyVersionsDeps) {}

  /** Every version, newest first. */
  async list(): Promise<PolicyVersion[]> {
    const rows = await this.deps.db.selectFrom('policy_versions').selectAll().orderBy('number', 'desc').execute();
    return rows.map(toVersion);
  }

  async get(number: number): Promise<PolicyVersion | undefined> {
    const row = await this.deps.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  async byId(id: string): Promise<PolicyVersion | undefined> {
    const row = await this.deps.db.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  /** The newest published version with this `version` label (labels may repeat), if any. */
  async byLabel(label: string): Promise<PolicyVersion | undefined> {
    const row = await this.deps.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('label', '=', label)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  /** The newest version, in force or waiting for its date. */
  async latest(): Promise<PolicyVersion | undefined> {
    const row = await this.deps.db
      .selectFrom('policy_versions')
      .selectAll()
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  /** The version in force at `at` (now by default): the newest whose effective date has come. */
  async inForce(at: Date = this.deps.clock.now()): Promise<PolicyVersion | undefined> {
    const row = await this.deps.db
      .selectFrom('policy_versions')
      .selectAll()
      .where('effective_at', '<=', at.toISOString())
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toVersion(row) : undefined;
  }

  /**
   * Records the policy as version 1 when no version exists yet (the policy Inzage started with),
   * effective from its own `effectiveDate`. Does nothing when there are versions already.
   */
  async recordFirst(yaml: string, policy: Policy): Promise<PolicyVersion> {
    const existing = await this.latest();
    if (existing) return existing;
    const now = this.deps.clock.now().toISOString();
    await this.deps.db
      .insertInto('policy_versions')
      .values({
        ...this.#row(yaml, policy, 1, null),
        published_at: now,
        published_by: 'system',
        effective_at: `${policy.effectiveDate}T00:00:00.000Z`,
      })
      // Two processes starting at once: the second finds number 1 taken.
      .onConflict((oc) => oc.column('number').doNothing())
      .execute();
    return (await this.latest())!;
  }

  /** Lints the text and compares it with the latest version, without changing anything. */
  async preview(yaml: string, file = 'policy.yaml'): Promise<PublishPreview> {
    const lint = lintPolicyText(yaml, file);
    const errors = lint.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return { ok: false, reason: 'invalid', findings: errors };
    const parsed = parseYamlWith(yaml, file, Policy);
    if (!parsed.ok) throw new Error('unreachable: the policy linted without errors but does not parse');
    const policy = parsed.value;
    const against = await this.latest();
    if (against && contentHash(against.policy) === contentHash(policy))
      return { ok: false, reason: 'unchanged', against: against.number };
    return {
      ok: true,
      policy,
      against,
      diff: against ? diffPolicies(against.policy, policy) : null,
      warnings: lint.findings.filter((f) => f.severity !== 'error'),
    };
  }

  /**
   * Publishes the text as the next version. Refuses a text with lint errors, one that changes
   * nothing, and an effective date in the past or before the latest version's. The version before
   * is superseded on the new one's effective date. A material change (and a policy that promises to
   * tell people) queues the notification job in the same transaction.
   */
  async publish(input: PublishInput): Promise<PolicyVersion> {
    const preview = await this.preview(input.yaml, input.file);
    if (!preview.ok && preview.reason === 'invalid') {
      throw new InzageError(
        'POLICY_INVALID',
        `the policy has ${preview.findings.length} lint error${preview.findings.length === 1 ? '' : 's'}; fix them before publishing`,
        { details: preview.findings },
      );
    }
    if (!preview.ok) throw conflict(`nothing changed since version ${preview.against}; nothing to publish`);
    const now = this.deps.clock.now();
    const effective = input.effective ?? now;
    if (effective.getTime() < now.getTime() - 60_000)
      throw validationFailed('the effective date is in the past; a policy cannot change retroactively', 'effective');
    const { against, policy, diff } = preview;
    if (against && effective.toISOString() < against.effectiveAt) {
      throw validationFailed(
        `the effective date is before version ${against.number} takes effect (${against.effectiveAt})`,
        'effective',
      );
    }
    const material = diff?.material ?? false;
    const notify = material && policy.changes.notifyAffectedByEmail;
    const id = newId();
    const number = (against?.number ?? 0) + 1;
    await this.deps.db.transaction().execute(async (trx) => {
      if (against) {
        await trx
          .updateTable('policy_versions')
          .set({ superseded_at: effective.toISOString() })
          .where('id', '=', against.id)
          .execute();
      }
      await trx
        .insertInto('policy_versions')
        .values({
          ...this.#row(input.yaml, policy, number, diff),
          id,
          published_at: now.toISOString(),
          published_by: input.actor,
          effective_at: effective.toISOString(),
          notify_status: notify ? 'queued' : 'none',
        })
        .execute();
      if (notify) {
        await this.deps.jobs.enqueue(
          POLICY_NOTIFY_JOB,
          { versionId: id },
          { dedupeKey: `policy-notify:${id}`, maxAttempts: 5 },
          trx,
        );
      }
      await this.deps.audit?.record(
        {
          actor: input.actor,
          action: 'policy.publish',
          target: `policy-version:${number}`,
          details: {
            label: policy.version,
            effectiveAt: effective.toISOString(),
            material,
            changes: diff?.changes.length ?? 0,
            affectedCategories: diff?.affectedCategories ?? [],
          },
        },
        trx,
      );
    });
    return (await this.byId(id))!;
  }

  #row(yaml: string, policy: Policy, number: number, diff: PolicyDiff | null) {
    return {
      id: newId(),
      number,
      label: policy.version,
      yaml,
      policy: JSON.stringify(policy),
      content_hash: contentHash(policy),
      superseded_at: null,
      diff: diff ? JSON.stringify(diff) : null,
      material: diff?.material ? 1 : 0,
      notify_status: 'none' as const,
      notify_affected: 0,
      notify_queued: 0,
      notify_sent: 0,
      notify_started_at: null,
      notify_finished_at: null,
    };
  }
}
