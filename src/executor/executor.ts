import type {
  Connector,
  Corrections,
  EraseOptions,
  FoundRecord,
  ManualTask,
  SubjectIdentity,
  SubjectMatch,
  SystemErasure,
  SystemRectification,
  SystemRestriction,
} from '../connectors/connector.ts';
import type { Clock } from '../lib/clock.ts';
import { scrubMessage } from '../lib/logger.ts';
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
  /** Systems that could not be read (a processor that is down): the result is without them. */
  failed?: Array<{ system: string; error: string }>;
  /** Per system asked through an API: what it answered and how many requests it took (Art. 19 record). */
  answers?: Array<{ system: string; answer: string; queries: number }>;
}

/** The people a search by part of an address or a name found. */
export interface SubjectSearch {
  people: Array<{ email: string; names: string[]; places: Array<{ system: string; collection: string }> }>;
  /** More people matched than the limit: the officer should narrow the search. */
  more: boolean;
  /** Databases that could not be searched. */
  failed: string[];
}

export interface RestrictionReport {
  status: 'complete' | 'waiting_on_tasks' | 'incomplete';
  systems: SystemRestriction[];
  manualTasks: ManualTask[];
}

/** A system that belongs to one of the policy's processors and is reached through an API or by hand. */
export interface ProcessorSystem {
  system: string;
  processor: string;
  kind: 'api' | 'manual';
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
  /** Set-up problems to show (e.g. an api system without its secrets, handled by hand); no personal data. */
  warnings?: string[];
}

/** Runs access, erasure and rectification for one person over every system of the data map. */
export class Executor {
  constructor(private readonly deps: ExecutorDeps) {}

  /** Set-up problems to show at start and in checks: api systems that fall back to manual tasks. */
  get warnings(): ReadonlyArray<string> {
    return this.deps.warnings ?? [];
  }

  /** What is held about the person. A system that fails is listed in `failed`; the others still answer. */
  async find(subject: SubjectIdentity): Promise<AccessResult> {
    const failed: NonNullable<AccessResult['failed']> = [];
    const settled = await Promise.all(
      this.deps.connectors.map((c) =>
        c.find(subject).catch((err: unknown) => {
          failed.push({ system: c.system, error: scrubMessage(err instanceof Error ? err.message : String(err)) });
          return undefined;
        }),
      ),
    );
    // One pass over what the systems found (every access request and find runs this).
    const answers: NonNullable<AccessResult['answers']> = [];
    const records: FoundRecord[] = [];
    const collections: AccessResult['collections'] = [];
    const manualTasks: ManualTask[] = [];
    const found = new Set<string>();
    let queries = 0;
    for (const [i, c] of this.deps.connectors.entries()) {
      const r = settled[i];
      if (r === undefined) continue;
      if (c.kind === 'api' && r.answer !== undefined)
        answers.push({ system: c.system, answer: r.answer, queries: r.queries });
      for (const f of r.findings) {
        if (f.records.length === 0) continue;
        for (const record of f.records) records.push(record);
        const categories = heldCategories(f.records);
        for (const category of categories) found.add(category);
        collections.push({ system: f.system, collection: f.collection, count: f.records.length, categories });
      }
      if (r.task) manualTasks.push(r.task);
      queries += r.queries;
    }
    return {
      subject,
      generatedAt: this.deps.clock.now().toISOString(),
      records,
      collections,
      processors: this.#processorsHolding(found),
      manualTasks,
      queries,
      failed,
      answers,
    };
  }

  /**
   * Erases the person everywhere. Systems are independent: one that fails does not stop the
   * others, and the report says which part is incomplete. Running it again is safe; `skip` leaves out
   * systems an earlier run already told (a processor is told once, even when another was down).
   */
  async erase(
    subject: SubjectIdentity,
    options: {
      dryRun?: boolean;
      skip?: ReadonlySet<string>;
      onStep?: EraseOptions['onStep'];
      withKeys?: boolean;
    } = {},
  ): Promise<ErasureReport> {
    const startedAt = this.deps.clock.now();
    const connectors = this.#connectors(options.skip);
    const erase = (c: Connector) =>
      c.erase(subject, { dryRun: options.dryRun, now: startedAt, onStep: options.onStep, withKeys: options.withKeys });
    const done = new Map<Connector, SystemErasure>();
    // Databases one after another; processors over the network at the same time, so that one that
    // makes us wait (a Retry-After, a retry after a 503) does not hold up the others.
    for (const c of connectors.filter((c) => c.kind !== 'api')) done.set(c, await erase(c));
    await Promise.all(connectors.filter((c) => c.kind === 'api').map(async (c) => done.set(c, await erase(c))));
    const systems = connectors.map((c) => done.get(c)!);
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
   * Erases the person's data of these categories only, where a system can (the databases); the
   * processors are left to the officer's Art. 19 notice. Used after an upheld objection (Art. 17(1)(c)).
   */
  async eraseCategories(subject: SubjectIdentity, categories: ReadonlySet<string>): Promise<SystemErasure[]> {
    const systems: SystemErasure[] = [];
    if (categories.size === 0) return systems;
    for (const c of this.deps.connectors)
      if (c.eraseCategories) systems.push(await c.eraseCategories(subject, categories));
    return systems;
  }

  /** The systems that are databases (erased set-based, in a transaction of their own): the shop's. */
  databases(): string[] {
    return this.deps.connectors.filter((c) => c.eraseMany).map((c) => c.system);
  }

  /** Systems the sweep does not reach: processors, by hand or through an API; they keep their own terms. */
  notSwept(): string[] {
    return this.deps.connectors.filter((c) => !c.eraseMany).map((c) => c.system);
  }

  /**
   * Erases many people at once in every system that can do it set-based (the retention sweep): the
   * databases. Processors are left out (see notSwept): asking an API per person for hundreds of
   * thousands of people is not a sweep, and they keep their own retention terms.
   */
  async eraseMany(
    emails: ReadonlyArray<string>,
    options: {
      dryRun?: boolean;
      at?: Date;
      beforeCommit?: EraseOptions['beforeCommit'];
      withSubjects?: boolean;
    } = {},
  ): Promise<ErasureReport> {
    const startedAt = options.at ?? this.deps.clock.now();
    const systems: SystemErasure[] = [];
    for (const connector of this.deps.connectors) {
      if (!connector.eraseMany) continue;
      systems.push(
        await connector.eraseMany(emails, {
          dryRun: options.dryRun,
          now: startedAt,
          beforeCommit: options.beforeCommit,
          withSubjects: options.withSubjects,
        }),
      );
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

  /** `skip`: systems already told in an earlier run (a retry after a processor was down). */
  async rectify(
    subject: SubjectIdentity,
    corrections: Corrections,
    options: { skip?: ReadonlySet<string> } = {},
  ): Promise<RectificationReport> {
    const systems: SystemRectification[] = [];
    for (const connector of this.#connectors(options.skip)) systems.push(await connector.rectify(subject, corrections));
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

  /** Which of these addresses were active on or after `cutoff` in any system that can tell. */
  async activeAmong(emails: ReadonlyArray<string>, cutoff: Date): Promise<Set<string>> {
    const active = new Set<string>();
    for (const c of this.deps.connectors)
      if (c.activeAmong) for (const e of await c.activeAmong(emails, cutoff)) active.add(e);
    return active;
  }

  /**
   * Everyone with data in any of these categories, over every system that can tell (normalised
   * addresses, sorted): the people a material policy change concerns.
   */
  async subjectsWithCategories(categories: ReadonlyArray<string>): Promise<string[]> {
    if (categories.length === 0) return [];
    const all = new Set<string>();
    for (const c of this.deps.connectors) {
      for (const e of (await c.subjectsWithCategories?.(categories)) ?? []) all.add(e);
    }
    return [...all].sort();
  }

  /**
   * People whose address or name contains every word of `term`, from every database that can search,
   * one entry per address with the names and places it was found, at most `limit` addresses (`more` when
   * there were more). A database that fails is named in `failed`; the others still answer.
   */
  async search(term: string, limit = 20): Promise<SubjectSearch> {
    const byEmail = new Map<string, SubjectSearch['people'][number]>();
    const failed: string[] = [];
    for (const c of this.deps.connectors) {
      if (!c.searchSubjects) continue;
      let found: SubjectMatch[];
      try {
        found = await c.searchSubjects(term, limit + 1);
      } catch {
        failed.push(c.system);
        continue;
      }
      for (const m of found) {
        const person = byEmail.get(m.email) ?? { email: m.email, names: [], places: [] };
        if (m.name && !person.names.includes(m.name)) person.names.push(m.name);
        if (!person.places.some((p) => p.system === m.system && p.collection === m.collection))
          person.places.push({ system: m.system, collection: m.collection });
        byEmail.set(m.email, person);
      }
    }
    const people = [...byEmail.values()].sort((a, b) => a.email.localeCompare(b.email));
    return { people: people.slice(0, limit), more: people.length > limit, failed };
  }

  /** Runs `fn` (a retention run's batches) as one sweep in every system that can profit from it. */
  sweep<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.connectors.reduce<() => Promise<T>>((inner, c) => (c.sweep ? () => c.sweep!(inner) : inner), fn)();
  }

  /** Deletes records past their legal hold (of these holds, or any) in every system that can. */
  async destroyExpiredHolds(now: Date, dryRun = false, holds?: ReadonlyArray<string>) {
    const all: Array<{ system: string; collection: string; records: number }> = [];
    for (const c of this.deps.connectors) all.push(...((await c.destroyExpiredHolds?.(now, dryRun, holds)) ?? []));
    return all;
  }

  /** Clears fields of these categories collected before `cutoff`, in every system that can (the databases). */
  async clearCollected(categories: ReadonlyArray<string>, cutoff: Date, dryRun = false) {
    const all: Array<{ system: string; collection: string; records: number; fields: string[] }> = [];
    for (const c of this.deps.connectors) all.push(...((await c.clearCollected?.(categories, cutoff, dryRun)) ?? []));
    return all;
  }

  /**
   * Tells every processor about a restriction (Art. 18/19): through its API where it has one, as a
   * manual task otherwise. SQL systems are not asked: the shop reads the restriction from the hub.
   */
  async restrict(subject: SubjectIdentity, options: { skip?: ReadonlySet<string> } = {}): Promise<RestrictionReport> {
    const systems: SystemRestriction[] = [];
    for (const c of this.#connectors(options.skip)) {
      if (c.restrict) {
        systems.push(
          await c.restrict(subject).catch(
            (err: unknown): SystemRestriction => ({
              system: c.system,
              status: 'failed',
              error: scrubMessage(err instanceof Error ? err.message : String(err)),
              queries: 0,
            }),
          ),
        );
      } else if (c.manualTask) {
        systems.push({ system: c.system, status: 'manual', task: c.manualTask('restrict'), queries: 0 });
      }
    }
    const manualTasks = systems.flatMap((s) => (s.task ? [s.task] : []));
    const status = systems.some((s) => s.status === 'failed')
      ? 'incomplete'
      : manualTasks.length > 0
        ? 'waiting_on_tasks'
        : 'complete';
    return { status, systems, manualTasks };
  }

  #connectors(skip?: ReadonlySet<string>): ReadonlyArray<Connector> {
    return skip?.size ? this.deps.connectors.filter((c) => !skip.has(c.system)) : this.deps.connectors;
  }

  /** The systems that are processors reached by API or by hand: the ones an Art. 19 record covers. */
  processorSystems(): ProcessorSystem[] {
    return this.deps.connectors.flatMap((c) =>
      (c.kind === 'api' || c.kind === 'manual') && c.processor
        ? [{ system: c.system, processor: c.processor, kind: c.kind }]
        : [],
    );
  }

  /** The manual task of one system (for a processor that stayed down: the officer asks it by hand). */
  manualTaskFor(system: string, action: ManualTask['action']): ManualTask | undefined {
    return this.deps.connectors.find((c) => c.system === system)?.manualTask?.(action);
  }

  /** The tasks of every system handled by hand, for an action no connector can do itself (restriction). */
  manualTasks(action: ManualTask['action']): ManualTask[] {
    return this.deps.connectors.flatMap((c) => (c.manualTask ? [c.manualTask(action)] : []));
  }

  async close(): Promise<void> {
    await Promise.all(this.deps.connectors.map((c) => c.close()));
  }
}

/**
 * Categories of the fields that hold a value in any of these records, in the order they first appear: a
 * category already held is not looked at again (an access answer of a few hundred records asks this of
 * every field of every record otherwise).
 */
function heldCategories(records: ReadonlyArray<FoundRecord>): string[] {
  const first = records[0]?.categories;
  // Records with fields of their own (or none named): one by one.
  if (typeof first !== 'object' || first === null || records.some((r) => r.categories !== first))
    return heldCategoriesOfEach(records);
  const held = new Set<string>();
  const { fields, distinct } = categoryList(first);
  for (const record of records) {
    // The records of one collection share its fields: once all their categories are held, the rest add none.
    if (held.size === distinct) break;
    for (const [field, category] of fields) {
      if (held.has(category)) continue;
      const value = record.data[field];
      if (value !== null && value !== '' && value !== undefined) held.add(category);
    }
  }
  return [...held];
}

/**
 * As heldCategories, record by record, where records do not share their fields (a processor's API answer
 * names the categories each record has): no list is kept for maps used once.
 */
function heldCategoriesOfEach(records: ReadonlyArray<FoundRecord>): string[] {
  const held = new Set<string>();
  for (const record of records)
    for (const field in record.categories) {
      const category = record.categories[field]!;
      if (held.has(category)) continue;
      const value = record.data[field];
      if (value !== null && value !== '' && value !== undefined) held.add(category);
    }
  return [...held];
}

/**
 * A record's fields and their categories as a list, made once per map: the records of a collection share
 * their collection's (every find walks them for every record it answers with).
 */
function categoryList(categories: FoundRecord['categories']): CategoryList {
  let list = categoryLists.get(categories);
  if (list === undefined) {
    const fields = Object.entries(categories);
    list = { fields, distinct: new Set(fields.map(([, c]) => c)).size };
    categoryLists.set(categories, list);
  }
  return list;
}
interface CategoryList {
  fields: ReadonlyArray<readonly [string, string]>;
  /** How many different categories the fields have. */
  distinct: number;
}
const categoryLists = new WeakMap<FoundRecord['categories'], CategoryList>();
