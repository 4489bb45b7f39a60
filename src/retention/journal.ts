import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { SystemErasure } from '../connectors/connector.ts';
import { type Clock, MINUTE } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { conflict } from '../lib/errors.ts';
import { newOrderedId } from '../lib/ids.ts';
import { certainlyGone, type ProcessIdentity, sameProcess, thisProcess } from '../lib/process-identity.ts';
import type { Database, RetentionJournalTable } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Which parts of retention a run does: the sweep of people past the term; every rule, or those in `auto` mode. */
export interface RunOptions {
  sweep: boolean;
  rules: 'all' | 'auto';
  /** People per batch, as the run began (a resumed run keeps it, so that its batches are the same). */
  batchSize?: number;
}

/** A run as the journal knows it: enough to finish it and report it as if it had never stopped. */
export interface JournaledRun<P = unknown> {
  id: string;
  at: Date;
  actor: string;
  options: RunOptions;
  /** The plan's counts as the run began. */
  plan: P;
  /** Per step, what it counted just before it acted. */
  steps: Record<string, unknown>;
  /** True when an earlier process began it and died. */
  resumed: boolean;
  /**
   * A run the officer approved: the digest of the people they reviewed and those people (kept encrypted in
   * the journal). A resumed approved run erases no one outside them.
   */
  approved?: ApprovedPeople;
}

/** Whom an approval covers: the reviewed set's keyed digest, and its addresses. */
export interface ApprovedPeople {
  digest: string;
  emails: string[];
}

/** How the journal's `options` column holds an approval: the digest, and the people encrypted. */
interface StoredApproval {
  digest: string;
  people: string;
}

/** A batch the sweep began and whose erasure may have committed in the shop without being recorded in the hub. */
export interface PendingBatch {
  seq: number;
  emails: string[];
  /** What each system told before it committed. */
  systems: Record<string, SystemErasure>;
}

/** Another process's run is taken to be dead when its heartbeat is this old (it beats every minute and at every batch). */
const ALIVE_MS = 10 * MINUTE;
/** How often a running run beats while it works (see `keepAlive`). */
export const BEAT_MS = MINUTE;

/** The owner as the journal stores it: `host:pid` and, beside it, the pid namespace. */
const ownerOf = (me: ProcessIdentity) => ({ owner: `${me.host}:${me.pid}`, owner_pid_ns: me.pidNs });

function holderOf(row: Pick<RetentionJournalTable, 'owner' | 'owner_pid_ns'>): ProcessIdentity {
  const colon = row.owner.lastIndexOf(':');
  return { host: row.owner.slice(0, colon), pid: Number(row.owner.slice(colon + 1)), pidNs: row.owner_pid_ns };
}

/**
 * The retention run's journal in the hub: a run spans the shop's database and the hub's store, and a
 * process can die between the two. Before a batch's shop commit the journal holds its people (encrypted)
 * and what each system is about to erase; the hub's register entries, forgotten traces and the batch's
 * `done` mark commit together. A run left `running` by a dead process is resumed by the next one, which
 * records the pending batches from the journal and reports the whole run once.
 */
export class RetentionJournal {
  readonly #key: Buffer;
  readonly #me: ProcessIdentity;

  constructor(private readonly deps: { db: Kysely<Database>; secret: string; clock: Clock; me?: ProcessIdentity }) {
    this.#key = deriveKey(deps.secret, 'retention/journal');
    this.#me = deps.me ?? thisProcess();
  }

  /** The run left unfinished by a process that is gone; throws when its process is still at it. */
  async unfinished<P>(): Promise<JournaledRun<P> | undefined> {
    const row = await this.#running();
    if (!row) return undefined;
    if (this.#alive(row)) throw inProgress(row);
    // Taken over only if nobody else took it meanwhile: the owner and heartbeat this process judged.
    const taken = await this.deps.db
      .updateTable('retention_journal')
      .set({ ...ownerOf(this.#me), heartbeat_at: this.#now() })
      .where('id', '=', row.id)
      .where('owner', '=', row.owner)
      .where('owner_pid_ns', row.owner_pid_ns === null ? 'is' : '=', row.owner_pid_ns)
      .where('heartbeat_at', '=', row.heartbeat_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) throw inProgress(row);
    const { approved, ...options } = JSON.parse(row.options) as RunOptions & { approved?: StoredApproval };
    return {
      id: row.id,
      at: new Date(row.at),
      actor: row.actor,
      options,
      plan: JSON.parse(row.plan) as P,
      steps: JSON.parse(row.steps) as Record<string, unknown>,
      resumed: true,
      ...(approved
        ? {
            approved: {
              digest: approved.digest,
              emails: JSON.parse(decrypt(this.#key, approved.people, `${row.id}:approved`).toString('utf8')),
            },
          }
        : {}),
    };
  }

  /**
   * Whether a run is left unfinished, and if so the digest of the approval it runs under (null for a run no
   * approval covers); looks only, takes nothing over.
   */
  async unfinishedApproval(): Promise<{ digest: string | null } | undefined> {
    const row = await this.#running();
    if (!row) return undefined;
    const { approved } = JSON.parse(row.options) as { approved?: StoredApproval };
    return { digest: approved?.digest ?? null };
  }

  /**
   * A new run. The database allows one `running` row (migration 0090's unique partial index), so of two
   * processes that both found none and both begin, the second is refused here.
   */
  async begin<P>(run: {
    at: Date;
    actor: string;
    options: RunOptions;
    plan: P;
    approved?: ApprovedPeople;
  }): Promise<JournaledRun<P>> {
    const now = this.#now();
    const id = newOrderedId();
    const approval: StoredApproval | undefined = run.approved && {
      digest: run.approved.digest,
      people: encrypt(this.#key, Buffer.from(JSON.stringify(run.approved.emails)), `${id}:approved`),
    };
    try {
      await this.deps.db
        .insertInto('retention_journal')
        .values({
          id,
          at: run.at.toISOString(),
          actor: run.actor,
          options: JSON.stringify(approval ? { ...run.options, approved: approval } : run.options),
          plan: JSON.stringify(run.plan),
          steps: '{}',
          status: 'running',
          ...ownerOf(this.#me),
          heartbeat_at: now,
          started_at: now,
          finished_at: null,
        })
        .execute();
    } catch (err) {
      const other = await this.#running();
      if (other) throw inProgress(other);
      throw err;
    }
    return { id, ...run, steps: {}, resumed: false };
  }

  /**
   * Beats the run's heartbeat every minute while it works (a long step must not make it look dead to
   * another host), as long as this process still owns it. Returns the function that stops it.
   */
  keepAlive(runId: string): () => void {
    const timer = setInterval(() => {
      void this.deps.db
        .updateTable('retention_journal')
        .set({ heartbeat_at: this.#now() })
        .where('id', '=', runId)
        .where(this.#owned)
        .execute()
        .catch(() => {});
    }, BEAT_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Records what a step counted before it acts; the run's `steps` object is kept in step. Fenced like
   * `done`: a process whose run was taken over writes nothing and stops before it acts.
   */
  async step(run: JournaledRun, key: string, value: unknown): Promise<void> {
    const steps = { ...run.steps, [key]: value };
    const written = await this.deps.db
      .updateTable('retention_journal')
      .set({ steps: JSON.stringify(steps), heartbeat_at: this.#now() })
      .where('id', '=', run.id)
      .where(this.#owned)
      .executeTakeFirst();
    if (Number(written.numUpdatedRows) !== 1) throw takenOver();
    run.steps[key] = value;
  }

  /**
   * The batch's people, and what each of its systems is about to erase: written before a system seals and
   * commits (one statement per system, so a sweep pays one hub commit for it). Whom each system found is
   * kept with the people, encrypted; the counts in clear. A second write for the same batch replaces the
   * people too (a resumed run that no longer erases someone). Before the first write nothing of the batch
   * has changed anywhere: a crash there leaves it to the next plan.
   */
  async intent(
    runId: string,
    seq: number,
    emails: ReadonlyArray<string>,
    systems: Record<string, SystemErasure>,
  ): Promise<void> {
    const now = this.#now();
    const found = Object.fromEntries(
      Object.entries(systems).flatMap(([name, s]) => (s.subjects ? [[name, s.subjects]] : [])),
    );
    const people = encrypt(this.#key, Buffer.from(JSON.stringify({ emails, found })), `${runId}:${seq}`);
    const values = { people, count: emails.length, systems: JSON.stringify(withoutSubjects(systems)), updated_at: now };
    await this.deps.db
      .insertInto('retention_journal_batches')
      .values({ run_id: runId, seq, status: 'intent', ...values })
      .onConflict((oc) => oc.columns(['run_id', 'seq']).doUpdateSet(values))
      .execute();
  }

  /** Batches begun but not recorded in the hub: their shop commit may or may not have happened. */
  async pending(runId: string): Promise<PendingBatch[]> {
    const rows = await this.deps.db
      .selectFrom('retention_journal_batches')
      .select(['seq', 'people', 'systems'])
      .where('run_id', '=', runId)
      .where('status', '=', 'intent')
      .orderBy('seq')
      .execute();
    return rows.map((r) => {
      const plain = r.people ? JSON.parse(decrypt(this.#key, r.people, `${runId}:${r.seq}`).toString('utf8')) : [];
      // Written before whom each system found was kept: a list of addresses.
      const { emails, found } = (Array.isArray(plain) ? { emails: plain, found: {} } : plain) as {
        emails: string[];
        found: Record<string, string[]>;
      };
      const systems = JSON.parse(r.systems) as Record<string, SystemErasure>;
      for (const [name, subjects] of Object.entries(found)) if (systems[name]) systems[name].subjects = subjects;
      return { seq: Number(r.seq), emails, systems };
    });
  }

  /**
   * In the hub transaction that records the batch: done, the addresses gone from the journal, and the
   * run's heartbeat (another host's process takes a run over only when it has not beaten for a while).
   */
  async done(
    db: Db,
    run: { id: string; count: number },
    seq: number,
    systems: Record<string, SystemErasure>,
    steps?: Record<string, unknown>,
  ): Promise<void> {
    const now = this.#now();
    await db
      .insertInto('retention_journal_batches')
      .values({
        run_id: run.id,
        seq,
        status: 'done',
        people: null,
        count: run.count,
        systems: JSON.stringify(withoutSubjects(systems)),
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['run_id', 'seq']).doUpdateSet({
          status: 'done',
          people: null,
          count: run.count,
          systems: JSON.stringify(withoutSubjects(systems)),
          updated_at: now,
        }),
      )
      .execute();
    // Fenced: a process whose run was taken over (it stalled past ALIVE_MS) records nothing more; its
    // batch stays `intent` and the process that took the run over records it.
    const beat = await db
      .updateTable('retention_journal')
      .set({ heartbeat_at: now, ...(steps ? { steps: JSON.stringify(steps) } : {}) })
      .where('id', '=', run.id)
      .where(this.#owned)
      .executeTakeFirst();
    if (Number(beat.numUpdatedRows) !== 1) throw takenOver();
  }

  /** Every recorded batch of the run: how many people, and what each system erased. */
  async recorded(runId: string): Promise<Array<{ count: number; systems: Record<string, SystemErasure> }>> {
    const rows = await this.deps.db
      .selectFrom('retention_journal_batches')
      .select(['count', 'systems'])
      .where('run_id', '=', runId)
      .where('status', '=', 'done')
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      count: Number(r.count),
      systems: JSON.parse(r.systems) as Record<string, SystemErasure>,
    }));
  }

  async nextSeq(runId: string): Promise<number> {
    const row = await this.deps.db
      .selectFrom('retention_journal_batches')
      .select((eb) => eb.fn.max('seq').as('m'))
      .where('run_id', '=', runId)
      .executeTakeFirst();
    return row?.m === null || row?.m === undefined ? 0 : Number(row.m) + 1;
  }

  /**
   * In the transaction that records the run (`retention_runs` keeps it in counts): its journal goes. Only
   * the owner's: a process whose run was taken over throws, so that its transaction records nothing.
   */
  async finish(db: Db, runId: string): Promise<void> {
    const gone = await db.deleteFrom('retention_journal').where('id', '=', runId).where(this.#owned).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) throw takenOver();
    await db.deleteFrom('retention_journal_batches').where('run_id', '=', runId).execute();
  }

  /** A run that stopped with an error (not a crash): the next run may take it over at once. */
  async release(runId: string): Promise<void> {
    // Only its own: a process whose run was taken over must not free it under the process that has it now.
    await this.deps.db
      .updateTable('retention_journal')
      .set({ owner: '' })
      .where('id', '=', runId)
      .where(this.#owned)
      .execute();
  }

  /** Rows this process owns: its `host:pid` in its pid namespace (two containers may both be `web:1`). */
  readonly #owned = (eb: ExpressionBuilder<Database, 'retention_journal'>) => {
    const { owner, owner_pid_ns: ns } = ownerOf(this.#me);
    return eb.and([eb('owner', '=', owner), eb('owner_pid_ns', ns === null ? 'is' : '=', ns)]);
  };

  #running() {
    return this.deps.db
      .selectFrom('retention_journal')
      .selectAll()
      .where('status', '=', 'running')
      .orderBy('started_at')
      .executeTakeFirst();
  }

  /**
   * A run's process is alive when it is this one; dead when it was released, or when it shared this
   * process's host and pid namespace and its pid is gone; otherwise alive while it beat lately. A pid on
   * another host or in another namespace (a container) says nothing here, so such a run waits for its
   * heartbeat to go quiet.
   */
  #alive(row: RetentionJournalTable): boolean {
    if (!row.owner) return false;
    const holder = holderOf(row);
    if (sameProcess(holder, this.#me)) return true;
    if (certainlyGone(holder, this.#me)) return false;
    return this.deps.clock.now().getTime() - Date.parse(row.heartbeat_at) < ALIVE_MS;
  }

  #now(): string {
    return this.deps.clock.now().toISOString();
  }
}

const takenOver = () => conflict('this retention run was taken over by another process; this one stops');

const inProgress = (row: RetentionJournalTable) =>
  conflict(`a retention run is in progress since ${row.started_at} (${row.owner}); wait until it ends`);

/** What systems erased, in counts: whom they found is personal data and stays out of the clear columns. */
const withoutSubjects = (systems: Record<string, SystemErasure>) =>
  Object.fromEntries(Object.entries(systems).map(([name, { subjects: _, ...rest }]) => [name, rest]));
