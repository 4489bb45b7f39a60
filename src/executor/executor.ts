import type {
  Connector,
  Corrections,
  FoundRecord,
  ManualTask,
  SubjectIdentity,
  SystemErasure,
  SystemRectification,
} from '../connectors/connector.ts';
import type { Clock } from '../lib/clock.ts';
import type { Policy } from '../policy/policy.schema.ts';

export interface ProcessorHolding {
  id: string;
  name: string;
  role: string;
  locations: string[];
  /** Categories of this person's data that the processor receives. */
  categories: string[];
}

export interface AccessResult {
  subject: SubjectIdentity;
  generatedAt: string;
  records: FoundRecord[];
  /** Per collection: how many records and which categories they hold. */
  collections: Array<{ system: string; collection: string; count: number; categories: string[] }>;
  processors: ProcessorHolding[];
  manualTasks: ManualTask[];
  queries: number;
}

export type ErasureStatus = 'complete' | 'waiting_on_tasks' | 'incomplete' | 'dry-run';

export interface ErasureReport {
  status: ErasureStatus;
  startedAt: string;
  finishedAt: string;
  systems: SystemErasure[];
  manualTasks: ManualTask[];
  queries: number;
}

export interface RectificationReport {
  status: 'complete' | 'waiting_on_tasks' | 'incomplete';
  systems: SystemRectification[];
  manualTasks: ManualTask[];
}

export interface ExecutorDeps {
  connectors: ReadonlyArray<Connector>;
  policy: Policy;
  clock: Clock;
}

/** Runs access, erasure and rectification for one person over every system of the data map. */
export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  async find(subject: SubjectIdentity): Promise<AccessResult> {
    const results = await Promise.all(this.deps.connectors.map((c) => c.find(subject)));
    const records = results.flatMap((r) => r.findings.flatMap((f) => f.records));
    const collections = results.flatMap((r) =>
      r.findings
        .filter((f) => f.records.length > 0)
        .map((f) => ({
          system: f.system,
          collection: f.collection,
          count: f.records.length,
          categories: unique(f.records.flatMap((rec) => heldCategories(rec))),
        })),
    );
    const found = new Set(collections.flatMap((c) => c.categories));
    return {
      subject,
      generatedAt: this.deps.clock.now().toISOString(),
      records,
      collections,
      processors: this.#processorsHolding(found),
      manualTasks: results.flatMap((r) => (r.task ? [r.task] : [])),
      queries: results.reduce((n, r) => n + r.queries, 0),
    };
  }

  /**
   * Erases the person everywhere. Systems are independent: one that fails does not stop the
   * others, and the report says which part is incomplete. Running it again is safe.
   */
  async erase(subject: SubjectIdentity, options: { dryRun?: boolean } = {}): Promise<ErasureReport> {
    const startedAt = this.deps.clock.now();
    const systems: SystemErasure[] = [];
    for (const connector of this.deps.connectors) {
      systems.push(await connector.erase(subject, { dryRun: options.dryRun, now: startedAt }));
    }
    const manualTasks = systems.flatMap((s) => (s.task ? [s.task] : []));
    const status: ErasureStatus = options.dryRun
      ? 'dry-run'
      : systems.some((s) => s.status === 'failed')
        ? 'incomplete'
        : manualTasks.length > 0
          ? 'waiting_on_tasks'
          : 'complete';
    return {
      status,
      startedAt: startedAt.toISOString(),
      finishedAt: this.deps.clock.now().toISOString(),
      systems,
      manualTasks,
      queries: systems.reduce((n, s) => n + s.queries, 0),
    };
  }

  /**
   * Erases many people at once in every connected system (the retention sweep). Systems handled by
   * hand are left out: one task per run covers them, not one per person.
   */
  async eraseMany(
    emails: ReadonlyArray<string>,
    options: { dryRun?: boolean; at?: Date } = {},
  ): Promise<ErasureReport> {
    const startedAt = options.at ?? this.deps.clock.now();
    const systems: SystemErasure[] = [];
    for (const connector of this.deps.connectors) {
      if (!connector.eraseMany) continue;
      systems.push(await connector.eraseMany(emails, { dryRun: options.dryRun, now: startedAt }));
    }
    const status: ErasureStatus = options.dryRun
      ? 'dry-run'
      : systems.some((s) => s.status === 'failed')
        ? 'incomplete'
        : 'complete';
    return {
      status,
      startedAt: startedAt.toISOString(),
      finishedAt: this.deps.clock.now().toISOString(),
      systems,
      manualTasks: [],
      queries: systems.reduce((n, s) => n + s.queries, 0),
    };
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections): Promise<RectificationReport> {
    const systems: SystemRectification[] = [];
    for (const connector of this.deps.connectors) systems.push(await connector.rectify(subject, corrections));
    const manualTasks = systems.flatMap((s) => (s.task ? [s.task] : []));
    const status = systems.some((s) => s.status === 'failed')
      ? 'incomplete'
      : manualTasks.length > 0
        ? 'waiting_on_tasks'
        : 'complete';
    return { status, systems, manualTasks };
  }

  /** The policy's processors that receive any category of this person's data (the policy promises this list). */
  #processorsHolding(found: Set<string>): ProcessorHolding[] {
    return this.deps.policy.processors
      .map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        locations: p.locations,
        categories: p.categories.filter((c) => found.has(c)),
      }))
      .filter((p) => p.categories.length > 0);
  }

  /**
   * Everyone past `cutoff` in every system: inactive where they are known, and active nowhere.
   * Each system works it out in its own database; only the candidates travel.
   */
  async pastTerm(cutoff: Date): Promise<{ emails: string[]; known: number }> {
    const systems = this.deps.connectors.filter((c) => c.inactiveBefore && c.activeAmong);
    const candidates = new Set<string>();
    let known = 0;
    for (const c of systems) {
      const result = await c.inactiveBefore!(cutoff);
      known += result.known;
      for (const e of result.inactive) candidates.add(e);
    }
    if (systems.length > 1) {
      const list = [...candidates];
      for (const c of systems) for (const e of await c.activeAmong!(list, cutoff)) candidates.delete(e);
    }
    return { emails: [...candidates], known };
  }

  async destroyExpiredHolds(now: Date, dryRun = false) {
    const all: Array<{ system: string; collection: string; records: number }> = [];
    for (const c of this.deps.connectors) all.push(...((await c.destroyExpiredHolds?.(now, dryRun)) ?? []));
    return all;
  }

  /** The tasks of every system handled by hand, for an action no connector can do itself (restriction). */
  manualTasks(action: ManualTask['action']): ManualTask[] {
    return this.deps.connectors.flatMap((c) => (c.manualTask ? [c.manualTask(action)] : []));
  }

  async close(): Promise<void> {
    await Promise.all(this.deps.connectors.map((c) => c.close()));
  }
}

/** Categories of the fields that hold a value in this record. */
function heldCategories(record: FoundRecord): string[] {
  const held: string[] = [];
  for (const field in record.categories) {
    const value = record.data[field];
    if (value !== null && value !== '' && value !== undefined) held.push(record.categories[field]!);
  }
  return held;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];
