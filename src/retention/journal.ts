import { hostname } from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { SystemErasure } from '../connectors/connector.ts';
import { type Clock, MINUTE } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { conflict } from '../lib/errors.ts';
import { newOrderedId } from '../lib/ids.ts';
import type { Database, RetentionJournalTable } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Which parts of retention a run does: the sweep of people past the term; every rule, or those in `auto` mode. */
export interface RunOptions {
  sweep: boolean;
  rules: 'all' | 'auto';
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
}

/** A batch the sweep began and whose erasure may have committed in the shop without being recorded in the hub. */
export interface PendingBatch {
  seq: number;
  emails: string[];
  /** What each system told before it committed. */
  systems: Record<string, SystemErasure>;
}

/** Another process's run is taken to be dead when its heartbeat is this old (it beats at every batch). */
const ALIVE_MS = 10 * MINUTE;
const OWNER = `${hostname()}:${process.pid}`;

/**
 * The retention run's journal in the hub: a run spans the shop's database and the hub's store, and a
 * process can die between the two. Before a batch's shop commit the journal holds its people (encrypted)
 * and what each system is about to erase; the hub's register entries, forgotten traces and the batch's
 * `done` mark commit together. A run left `running` by a dead process is resumed by the next one, which
 * records the pending batches from the journal and reports the whole run once.
 */
export class RetentionJournal {
  readonly #key: Buffer;

  constructor(private readonly deps: { db: Kysely<Database>; secret: string; clock: Clock }) {
    this.#key = deriveKey(deps.secret, 'retention/journal');
  }

  /** The run left unfinished by a process that is gone; throws when its process is still at it. */
  async unfinished<P>(): Promise<JournaledRun<P> | undefined> {
    const row = await this.deps.db
      .selectFrom('retention_journal')
      .selectAll()
      .where('status', '=', 'running')
      .orderBy('started_at')
      .executeTakeFirst();
    if (!row) return undefined;
    if (this.#alive(row)) {
      throw conflict(`a retention run is in progress since ${row.started_at} (${row.owner}); wait until it ends`);
    }
    await this.#touch(row.id);
    return {
      id: row.id,
      at: new Date(row.at),
      actor: row.actor,
      options: JSON.parse(row.options) as RunOptions,
      plan: JSON.parse(row.plan) as P,
      steps: JSON.parse(row.steps) as Record<string, unknown>,
      resumed: true,
    };
  }

  async begin<P>(run: { at: Date; actor: string; options: RunOptions; plan: P }): Promise<JournaledRun<P>> {
    const now = this.#now();
    const id = newOrderedId();
    await this.deps.db
      .insertInto('retention_journal')
      .values({
        id,
        at: run.at.toISOString(),
        actor: run.actor,
        options: JSON.stringify(run.options),
        plan: JSON.stringify(run.plan),
        steps: '{}',
        status: 'running',
        owner: OWNER,
        heartbeat_at: now,
        started_at: now,
        finished_at: null,
      })
      .execute();
    return { id, ...run, steps: {}, resumed: false };
  }

  /** Records what a step counted before it acts; the run's `steps` object is kept in step. */
  async step(run: JournaledRun, key: string, value: unknown): Promise<void> {
    run.steps[key] = value;
    await this.deps.db
      .updateTable('retention_journal')
      .set({ steps: JSON.stringify(run.steps), heartbeat_at: this.#now() })
      .where('id', '=', run.id)
      .execute();
  }

  /**
   * The batch's people, and what each of its systems is about to erase: written when a system has sealed
   * what it holds and before it commits (one statement per system, so a sweep pays one hub commit for it).
   * Before this nothing of the batch has changed in the shop: a crash there leaves it to the next plan.
   */
  async intent(
    runId: string,
    seq: number,
    emails: ReadonlyArray<string>,
    systems: Record<string, SystemErasure>,
  ): Promise<void> {
    const now = this.#now();
    await this.deps.db
      .insertInto('retention_journal_batches')
      .values({
        run_id: runId,
        seq,
        status: 'intent',
        people: encrypt(this.#key, Buffer.from(JSON.stringify(emails)), `${runId}:${seq}`),
        count: emails.length,
        systems: JSON.stringify(systems),
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['run_id', 'seq']).doUpdateSet({ systems: JSON.stringify(systems), updated_at: now }),
      )
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
    return rows.map((r) => ({
      seq: Number(r.seq),
      emails: r.people
        ? (JSON.parse(decrypt(this.#key, r.people, `${runId}:${r.seq}`).toString('utf8')) as string[])
        : [],
      systems: JSON.parse(r.systems) as Record<string, SystemErasure>,
    }));
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
        systems: JSON.stringify(systems),
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'seq'])
          .doUpdateSet({ status: 'done', people: null, systems: JSON.stringify(systems), updated_at: now }),
      )
      .execute();
    await db.updateTable('retention_journal').set({ heartbeat_at: now }).where('id', '=', run.id).execute();
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

  /** In the transaction that records the run (`retention_runs` keeps it in counts): its journal goes. */
  async finish(db: Db, runId: string): Promise<void> {
    await db.deleteFrom('retention_journal_batches').where('run_id', '=', runId).execute();
    await db.deleteFrom('retention_journal').where('id', '=', runId).execute();
  }

  /** A run that stopped with an error (not a crash): the next run may take it over at once. */
  async release(runId: string): Promise<void> {
    await this.deps.db.updateTable('retention_journal').set({ owner: '' }).where('id', '=', runId).execute();
  }

  async #touch(runId: string): Promise<void> {
    await this.deps.db
      .updateTable('retention_journal')
      .set({ owner: OWNER, heartbeat_at: this.#now() })
      .where('id', '=', runId)
      .execute();
  }

  /** A run's process is alive when it is this one, or on this host with its pid still there, or beat lately. */
  #alive(row: RetentionJournalTable): boolean {
    if (!row.owner) return false;
    const [host, pid] = [row.owner.slice(0, row.owner.lastIndexOf(':')), Number(row.owner.split(':').pop())];
    if (host === hostname()) {
      if (pid === process.pid) return true;
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    return this.deps.clock.now().getTime() - Date.parse(row.heartbeat_at) < ALIVE_MS;
  }

  #now(): string {
    return this.deps.clock.now().toISOString();
  }
}
