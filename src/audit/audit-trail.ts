import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { EMAIL_IN_TEXT } from '../lib/logger.ts';
import type { Dialect } from '../store/database.ts';
import type { AuditLogTable, Database } from '../store/schema.ts';

/**
 * What happened, by whom, to what. Entries hold ids and counts only. The person is given as their keyed
 * reference (`subjectRef`, the HMAC of the normalised address), but an entry stores a random pseudonym
 * instead, looked up in `audit_pseudonyms`: the HMAC can be recomputed by anyone holding the secret and
 * the address, so it stays personal data as long as the key exists (GDPR recital 26); the pseudonym
 * cannot. An erasure deletes the person's pseudonym row (`forgetAuditSubjects`), after which their
 * entries refer to nobody, and the chain stays whole without keeping their data.
 */
export interface AuditEntryInput {
  /** 'user:<id>' | 'system' | 'cli' | 'shop' — never an e-mail address. */
  actor: string;
  /** e.g. 'login', 'login.failed', 'customer.lookup', 'request.approve', 'archive.open', 'policy.publish'. */
  action: string;
  /** e.g. 'request:<id>', 'breach:<id>': ids only. */
  target?: string;
  /** The keyed subject reference, never an address; stored as the person's audit pseudonym. */
  subjectRef?: string;
  /** Ids, counts, reasons; no personal data. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  subjectRef: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  limit?: number;
  offset?: number;
  subjectRef?: string;
  action?: string;
  /** Any of these actions. */
  actions?: ReadonlyArray<string>;
  actor?: string;
  /** ISO times: on or after `from`, before `to`. */
  from?: string;
  to?: string;
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBroken: { seq: number; reason: string } };

export const GENESIS_HASH = '0'.repeat(64);
const ACTOR = /^(user:[A-Za-z0-9_-]+|system|cli|shop)$/;
const VERIFY_BATCH = 1000;

/** JSON with object keys sorted at every depth: the same entry always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The hash of one entry: SHA-256 over the previous hash and the entry's canonical JSON (with seq and time). */
export function entryHash(prevHash: string, row: Omit<AuditLogTable, 'hash' | 'prev_hash'>): string {
  const body = canonicalJson({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    subjectRef: row.subject_ref,
    details: row.details,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The append-only, hash-chained audit trail. */
export class AuditTrail {
  constructor(private readonly deps: { db: Kysely<Database>; clock: Clock; dialect: Dialect }) {}

  /**
   * Appends one entry. Pass the caller's transaction to record inside it (on SQLite a second connection
   * does not exist, so recording outside a running transaction would wait for it forever).
   * Refuses an actor of another shape and any string that looks like an e-mail address.
   */
  async record(entry: AuditEntryInput, db?: Executor): Promise<void> {
    checkEntry(entry);
    const executor = db ?? this.deps.db;
    if (executor.isTransaction) return this.append(executor, entry);
    return executor.transaction().execute((trx) => this.append(trx, entry));
  }

  // Moving the head first takes its row lock (PostgreSQL) or the write lock (SQLite) before anything is
  // read, so concurrent writers queue there and each reads the head the previous one left.
  private async append(trx: Executor, entry: AuditEntryInput): Promise<void> {
    await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('id', '=', 1)
      .execute();
    const subject = entry.subjectRef ? await pseudonymOf(trx, entry.subjectRef, this.deps.clock) : null;
    const head = await trx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const row = {
      seq: Number(head.seq),
      at: this.deps.clock.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      subject_ref: subject,
      details: entry.details ? canonicalJson(entry.details) : null,
    };
    const hash = entryHash(head.hash, row);
    await trx
      .insertInto('audit_log')
      .values({ ...row, prev_hash: head.hash, hash })
      .execute();
    await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
  }

  /** The newest entries first; `actor`, `actions` (one of them) and `from`/`to` (ISO, `to` exclusive) narrow it. */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const rows = await this.#filtered(filter)
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(Math.max(1, Math.min(filter.limit ?? 100, 10_000)))
      .offset(Math.max(0, filter.offset ?? 0))
      .execute();
    return rows.map(toEntry);
  }

  /** How many entries the filter matches (for the back office's paging). */
  async count(filter: AuditFilter = {}): Promise<number> {
    const row = await this.#filtered(filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The actors that appear in the trail (for a filter's choices). */
  async actors(): Promise<string[]> {
    const rows = await this.deps.db.selectFrom('audit_log').select('actor').distinct().orderBy('actor').execute();
    return rows.map((r) => r.actor);
  }

  #filtered(filter: AuditFilter) {
    let q = this.deps.db.selectFrom('audit_log');
    // Entries carry the person's pseudonym; without a link (an erased person) nothing matches.
    const ref = filter.subjectRef;
    if (ref)
      q = q.where((eb) =>
        eb(
          'subject_ref',
          '=',
          eb.selectFrom('audit_pseudonyms').select('pseudonym').where('audit_pseudonyms.subject_ref', '=', ref),
        ),
      );
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.actions?.length) q = q.where('action', 'in', [...filter.actions]);
    if (filter.actor) q = q.where('actor', '=', filter.actor);
    if (filter.from) q = q.where('at', '>=', filter.from);
    if (filter.to) q = q.where('at', '<', filter.to);
    return q;
  }

  /**
   * Walks the chain from its first entry to the head; names the first entry that is changed, missing,
   * out of place, or not part of the chain at all. Entries appended while it runs are not judged.
   */
  async verify(): Promise<AuditVerification> {
    // One statement, so one snapshot on both dialects: the head and the rows around it agree, even while
    // record() appends (its head move and its row commit together).
    const outline = await this.deps.db
      .selectFrom('audit_head')
      .select((eb) => [
        'seq',
        'hash',
        eb
          .selectFrom('audit_log')
          .select((e) => e.fn.min('seq').as('m'))
          .as('first'),
        eb
          .selectFrom('audit_log')
          .select((e) => e.fn.max('seq').as('m'))
          .as('last'),
      ])
      .where('id', '=', 1)
      .executeTakeFirst();
    if (!outline) return { ok: false, entries: 0, firstBroken: { seq: 1, reason: 'the chain head is missing' } };
    const headSeq = Number(outline.seq);
    if (outline.first !== null && Number(outline.first) < 1) {
      const seq = Number(outline.first);
      return {
        ok: false,
        entries: 0,
        firstBroken: { seq, reason: `entry ${seq} is not part of the chain: the chain starts at entry 1` },
      };
    }
    const walked = await this.#walk(headSeq);
    if (!walked.ok) return walked;
    const { entries, prevHash } = walked;
    if (entries !== headSeq || outline.hash !== prevHash) {
      return {
        ok: false,
        entries,
        firstBroken: {
          seq: entries + 1,
          reason: `the chain ends at entry ${entries}, but its head says ${headSeq}: the last entries were removed or changed`,
        },
      };
    }
    if (outline.last !== null && Number(outline.last) > headSeq) {
      const seq = Number(outline.last);
      return {
        ok: false,
        entries,
        firstBroken: {
          seq,
          reason: `entry ${seq} is past the chain's head (${headSeq}): it was added behind the trail's back`,
        },
      };
    }
    return { ok: true, entries };
  }

  /** Checks entries 1 to `headSeq` in order, each against its hash and the one before. */
  async #walk(
    headSeq: number,
  ): Promise<{ ok: true; entries: number; prevHash: string } | Extract<AuditVerification, { ok: false }>> {
    let prevHash = GENESIS_HASH;
    let expected = 1;
    let entries = 0;
    while (expected <= headSeq) {
      const rows = await this.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expected)
        .where('seq', '<=', headSeq)
        .orderBy('seq')
        .limit(VERIFY_BATCH)
        .execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        const broken = (reason: string) => ({ ok: false as const, entries, firstBroken: { seq: expected, reason } });
        if (seq !== expected)
          return broken(`entry ${expected} is missing (the chain goes from ${expected - 1} to ${seq})`);
        if (r.prev_hash !== prevHash) return broken(`entry ${seq} does not link to entry ${seq - 1} before it`);
        if (entryHash(prevHash, { ...r, seq }) !== r.hash)
          return broken(`entry ${seq} was changed after it was written`);
        prevHash = r.hash;
        expected = seq + 1;
        entries++;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    return { ok: true, entries, prevHash };
  }
}

/** The person's audit pseudonym, made on their first entry: random, so nothing but this table maps it back. */
async function pseudonymOf(trx: Executor, subjectRef: string, clock: Clock): Promise<string> {
  const known = await trx
    .selectFrom('audit_pseudonyms')
    .select('pseudonym')
    .where('subject_ref', '=', subjectRef)
    .executeTakeFirst();
  if (known) return known.pseudonym;
  const pseudonym = `p_${randomBytes(16).toString('hex')}`;
  await trx
    .insertInto('audit_pseudonyms')
    .values({ subject_ref: subjectRef, pseudonym, created_at: clock.now().toISOString() })
    .execute();
  return pseudonym;
}

/**
 * Erasure: the people's audit pseudonyms are forgotten. Their entries stay (the chain needs them) but
 * refer to nobody: the pseudonym is random and this was its only link to a person.
 */
export async function forgetAuditSubjects(db: Executor, refs: ReadonlyArray<string>): Promise<void> {
  for (let i = 0; i < refs.length; i += 500)
    await db
      .deleteFrom('audit_pseudonyms')
      .where('subject_ref', 'in', refs.slice(i, i + 500))
      .execute();
}

function checkEntry(entry: AuditEntryInput): void {
  if (!ACTOR.test(entry.actor))
    throw new Error(`audit actor must be user:<id>, system, cli or shop (got another shape)`);
  const strings = [entry.action, entry.target, entry.subjectRef, entry.details ? JSON.stringify(entry.details) : ''];
  if (strings.some((s) => s !== undefined && EMAIL_IN_TEXT.test(s))) {
    throw new Error('an audit entry may not hold an e-mail address; record ids and subject references');
  }
}

function toEntry(r: AuditLogTable): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    subjectRef: r.subject_ref,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
