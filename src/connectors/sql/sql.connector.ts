import type { Field } from '../../datamap/datamap.schema.ts';
import { type CollectionPlan, changedFields, type SystemPlan } from '../../datamap/plan.ts';
import { scrubMessage } from '../../lib/logger.ts';
import { holdEnds } from '../../retention/holds.ts';
import type { SealInput } from '../../retention/sealed-archive.ts';
import {
  type CollectionErasure,
  type CollectionFindings,
  type Connector,
  type Corrections,
  type EraseOptions,
  type FoundRecord,
  normalizeEmail,
  type SubjectIdentity,
  type SystemErasure,
  type SystemRectification,
  type Value,
} from '../connector.ts';
import { activeAmong, inactiveBefore } from './sql-activity.ts';
import { type ColumnTraits, readColumnTraits } from './sql-columns.ts';
import type { SqlDatabase, SqlDialect, SqlRunner } from './sql-database.ts';
import {
  belongs,
  findPredicates,
  identityPredicates,
  needsPostFilter,
  ownerOf,
  rowFilter,
  whereAll,
} from './sql-identity.ts';
import { attachMeta, deleteAllMeta, eraseMeta, type MetaErasure, rectifyMeta } from './sql-meta.ts';
import { clearCollected, destroyExpiredHolds, type HoldTerm } from './sql-retention.ts';
import { searchSubjects } from './sql-search.ts';
import { subjectsWithCategories } from './sql-subjects.ts';
import { SqlText } from './sql-text.ts';
import { recordTime, zonedValue } from './sql-time.ts';

export type { HoldTerm } from './sql-retention.ts';

/** Where held records go before they are erased here. */
export interface Sealer {
  subjectRef(email: string): string;
  /** Seals each person's records under their own key. */
  sealMany(groups: ReadonlyArray<{ subjectRef: string; records: ReadonlyArray<SealInput> }>): Promise<number>;
}

export interface SqlConnectorDeps {
  plan: SystemPlan;
  database: SqlDatabase;
  sealer: Sealer;
  /** Keyed HMAC for the `hash` strategy. */
  hashValue: (value: string) => string;
  placeholder: string;
  holds: ReadonlyMap<string, HoldTerm>;
}

/**
 * A SQL system from the data map. Every step is set-based: one query per collection to find
 * (rows matched by identity, or belonging to rows already found), one statement per collection
 * and strategy to erase, all of a system's changes in one transaction.
 */
export class SqlConnector implements Connector {
  readonly kind = 'sql';
  readonly system: string;

  /** Per collection, the columns its children point at. */
  readonly #pointedAt = new Map<string, string[]>();
  /**
   * Collections whose meta values one person's erasure reads: sealed whole (a legal hold), hashed, decided
   * by containment, or pointed at. The others' meta rows are erased by owner and key without reading them.
   */
  readonly #metaAtErasure = new Set<string>();
  /** Collections whose children point at (or date their holds by) one of their meta keys. */
  readonly #pointsAtMeta = new Set<string>();
  /** What the catalog says of the columns, read once (see #traits). */
  #columnTraits: Promise<ColumnTraits> | undefined;
  /**
   * Per collection, what its erasure does that depends on the data map alone, worked out once: rebuilt for
   * every person and collection, it was a measurable part of an erasure's time outside SQLite (engine bench).
   */
  readonly #erasing = new Map<string, Erasing>();

  constructor(private readonly deps: SqlConnectorDeps) {
    this.system = deps.plan.system;
    const position = new Map(deps.plan.collections.map((c, i) => [c.name, i]));
    const q = new SqlText(deps.database.dialect);
    for (const [index, c] of deps.plan.collections.entries()) {
      const pointedAt = [
        ...new Set(
          deps.plan.collections.flatMap((child) =>
            [...child.references, ...(child.meta?.references ?? [])]
              .filter((r) => r.parent === c.name)
              .map((r) => r.parentColumn),
          ),
        ),
      ];
      this.#pointedAt.set(c.name, pointedAt);
      // A child's legal hold may count from this row's date (a payment without its own: the order's).
      const dates = deps.plan.collections.flatMap((child) => {
        const [parent, column] = child.legalHold?.otherwise?.split('.') ?? [];
        return parent === c.name && column ? [column] : [];
      });
      if (c.meta && (c.legalHold || metaValuesNeeded(c, [...pointedAt, ...dates]))) this.#metaAtErasure.add(c.name);
      if ([...pointedAt, ...dates].some((column) => isMetaKey(c, column))) this.#pointsAtMeta.add(c.name);
      const changed = changedFields(c);
      // The columns an erasure reads, as a select list; none where it seals whole rows (legal holds).
      let columns: string | undefined;
      if (!c.legalHold) {
        const hashed = changed.flatMap(([column, strategy]) => (strategy === 'hash' ? [column] : []));
        const owner = [...c.identity, ...c.references.map((r) => r.column)];
        const read = [c.primaryKey, ...pointedAt, ...hashed, ...owner, ...dates, ...c.contains.map((x) => x.column)];
        columns = [...new Set(read)].map((col) => q.column(c.table, col)).join(', ');
      }
      // A parent is one planned before it, as when they ran one after the other.
      const parents = [...c.references, ...(c.meta?.references ?? [])].map((r) => r.parent);
      this.#erasing.set(c.name, {
        plan: c,
        changed,
        anonymises: !c.deletesRow && (changed.length > 0 || changesMeta(c)),
        keptFields: c.deletesRow
          ? []
          : Object.entries({ ...c.fields, ...c.meta?.fields })
              .filter(([, x]) => x.erase === 'keep')
              .map(([k]) => k),
        place: [c.table, c.primaryKey, c.meta?.table ?? '', c.meta?.owner ?? ''].join('\u0000'),
        columns,
        parents: [...new Set(parents.filter((p) => (position.get(p) ?? index) < index))],
        update: constantUpdate(deps.database.dialect, c, changed, deps.placeholder),
        texts: new Map(),
      });
    }
  }

  async find(subject: SubjectIdentity) {
    const before = this.deps.database.queries();
    const findings = await this.#find(this.deps.database, [normalizeEmail(subject.email)]);
    return { findings, queries: this.deps.database.queries() - before };
  }

  erase(subject: SubjectIdentity, options: EraseOptions): Promise<SystemErasure> {
    return this.eraseMany([subject.email], options);
  }

  /** Erases one or many people: the same statements, with the addresses as one list parameter. */
  sweep<T>(fn: () => Promise<T>): Promise<T> {
    return this.deps.database.sweep(fn);
  }

  async eraseMany(emails: ReadonlyArray<string>, options: EraseOptions): Promise<SystemErasure> {
    const { database, sealer, plan } = this.deps;
    const subjects = [...new Set(emails.map(normalizeEmail))];
    const before = database.queries();
    const done = (rest: Omit<SystemErasure, 'system' | 'queries'>): SystemErasure => ({
      system: this.system,
      queries: database.queries() - before,
      ...rest,
    });
    try {
      const findings = await this.#find(database, subjects, 'erase');
      const held = this.#held(findings, options.now);
      const collections = findings.map((f) => this.#describeErasure(f, held, options.withKeys));
      const found = options.withSubjects ? { subjects: foundFor(findings, subjects) } : {};
      if (findings.every((f) => f.records.length === 0))
        return done({ status: 'nothing-found', collections, ...found });
      if (options.dryRun) return done({ status: 'dry-run', collections, ...found });

      // What this erasure is about to do, told before anything happens (a retention run journals it in the
      // hub): a crash after it leaves the batch pending with nothing sealed yet, so a resumed run that no
      // longer erases someone (they ordered since) leaves no sealed copy of their records behind.
      await options.beforeCommit?.({ system: this.system, status: 'erased', collections, queries: 0, ...found });
      // Sealed first: if erasing fails afterwards, the archive holds a copy and a rerun seals nothing twice.
      await sealer.sealMany(this.#bySubject(held.records, subjects));
      options.onStep?.('sealed');
      const byName = new Map(findings.map((f) => [f.collection, f.records]));
      await database.transaction(async (trx) => {
        // A row two collections of one table both found (an order note under each order storage) is
        // deleted by the first; the second has nothing left to do with it — unless its meta rows are kept
        // elsewhere than the first's (another meta table or owner column), which it must still delete.
        const deleted = new Set<string>();
        const place = (c: CollectionPlan, key: string) => `${this.#erasing.get(c.name)!.place}\u0000${key}`;
        for (const c of [...plan.collections].reverse()) {
          const rows = (byName.get(c.name) ?? []).filter((r) => !deleted.has(place(c, r.key)));
          await this.#eraseCollection(trx, c, rows);
          if (c.deletesRow) for (const r of rows) deleted.add(place(c, r.key));
        }
        options.onStep?.('before-commit');
      });
      options.onStep?.('committed');

      const left = await this.#anyLeft(database, subjects);
      if (left > 0) {
        return done({
          status: 'failed',
          collections,
          error: `${left} records still match after erasure; check the identity fields' strategies`,
        });
      }
      return done({ status: 'erased', collections, ...found });
    } catch (err) {
      return done({ status: 'failed', collections: [], error: describeError(err) });
    }
  }

  /** Groups held records by person; a record whose owner cannot be told is kept under its own place. */
  #bySubject(records: ReadonlyArray<SealInput & { subject?: string }>, subjects: string[]) {
    const groups = new Map<string, SealInput[]>();
    for (const r of records) {
      const owner = r.subject ?? (subjects.length === 1 ? subjects[0]! : `${r.system}/${r.collection}/${r.recordKey}`);
      const { subject: _, ...record } = r;
      const list = groups.get(owner) ?? [];
      list.push(record);
      groups.set(owner, list);
    }
    return [...groups].map(([owner, list]) => ({ subjectRef: this.deps.sealer.subjectRef(owner), records: list }));
  }

  async eraseCategories(subject: SubjectIdentity, categories: ReadonlySet<string>): Promise<SystemErasure> {
    const { database, plan } = this.deps;
    const before = database.queries();
    const collections: CollectionErasure[] = [];
    try {
      const findings = await this.#find(database, [normalizeEmail(subject.email)]);
      const byName = new Map(findings.map((f) => [f.collection, f.records]));
      await database.transaction(async (trx) => {
        for (const c of [...plan.collections].reverse()) {
          const records = byName.get(c.name) ?? [];
          if (records.length === 0 || c.legalHold) continue;
          const done = await this.#eraseFieldsOf(trx, c, records, categories);
          if (done) collections.push(done);
        }
      });
      return {
        system: this.system,
        status: collections.length ? 'erased' : 'nothing-found',
        collections,
        queries: database.queries() - before,
      };
    } catch (err) {
      return {
        system: this.system,
        status: 'failed',
        collections: [],
        error: describeError(err),
        queries: database.queries() - before,
      };
    }
  }

  /**
   * The fields of these categories in a person's rows: the row goes when every personal field is of them
   * and nothing points at it; otherwise those fields are cleared by their strategy (`delete` clears).
   * Identity fields stay, so that the person's other data can still be found.
   */
  async #eraseFieldsOf(
    trx: SqlRunner,
    c: CollectionPlan,
    records: FoundRecord[],
    categories: ReadonlySet<string>,
  ): Promise<CollectionErasure | undefined> {
    const identity = new Set([...c.identity, ...c.contains.map((x) => x.column)]);
    const personal = Object.entries(c.fields).filter(([, f]) => f.erase !== 'keep');
    const hit = personal.filter(([column, f]) => categories.has(f.category ?? '') && !identity.has(column));
    const metaIdentity = new Set(c.meta?.identity.map((i) => i.key));
    const metaPersonal = Object.entries(c.meta?.fields ?? {}).filter(([, f]) => f.erase !== 'keep');
    const metaHit = (key: string, f: Field) => categories.has(f.category ?? '') && !metaIdentity.has(key);
    const metaHits = metaPersonal.filter(([key, f]) => metaHit(key, f)).length;
    if (hit.length + metaHits === 0) return undefined;
    const keys = records.map((r) => r.data[c.primaryKey] ?? null);
    const base = { system: this.system, collection: c.name, found: records.length, sealed: 0, keptFields: [] };
    const all = hit.length === personal.length && metaHits === metaPersonal.length;
    if (all && (this.#pointedAt.get(c.name) ?? []).length === 0) {
      await this.#delete(trx, c, keys);
      return { ...base, deleted: records.length, anonymised: 0 };
    }
    await eraseMeta(trx, this.deps.database.dialect, c, records, this.#metaErasure(c), metaHit);
    for (const r of hit.length ? records : []) {
      const set: Record<string, Value> = {};
      for (const [column, f] of hit) {
        if (f.erase === 'mask') set[column] = f.placeholder ?? this.deps.placeholder;
        else if (f.erase === 'hash') set[column] = this.#hash(c, column, r.data[column] ?? null);
        // A field that goes with its row is cleared here; a NOT NULL column names what clearing writes ('').
        else set[column] = f.erase === 'delete' ? (f.placeholder ?? null) : null;
      }
      await this.#update(trx, c, set, [r.data[c.primaryKey] ?? null]);
    }
    return { ...base, deleted: 0, anonymised: records.length };
  }

  async rectify(subject: SubjectIdentity, corrections: Corrections): Promise<SystemRectification> {
    const { database, plan } = this.deps;
    try {
      const findings = await this.#find(database, [normalizeEmail(subject.email)]);
      if (findings.every((f) => f.records.length === 0))
        return { system: this.system, status: 'nothing-found', collections: [] };
      const byName = new Map(findings.map((f) => [f.collection, f.records]));
      const result: SystemRectification = { system: this.system, status: 'rectified', collections: [] };
      await database.transaction(async (trx) => {
        for (const c of plan.collections) {
          const records = byName.get(c.name) ?? [];
          const set = correctedValues(c, corrections);
          if (records.length === 0) continue;
          const owners = records.map((r) => r.data[c.primaryKey] ?? null);
          if (Object.keys(set).length) await this.#update(trx, c, set, owners);
          const dialect = this.deps.database.dialect;
          const keys = await rectifyMeta(trx, dialect, c, owners, (field) => correctedValue(field, corrections));
          const fields = [...Object.keys(set), ...keys];
          if (fields.length === 0) continue;
          result.collections.push({ system: this.system, collection: c.name, records: records.length, fields });
        }
      });
      return result;
    } catch (err) {
      return { system: this.system, status: 'failed', collections: [], error: describeError(err) };
    }
  }

  /** The addresses whose newest activity in this system is before `cutoff` (see sql-activity.ts). */
  async inactiveBefore(cutoff: Date): Promise<{ inactive: string[]; known: number }> {
    return inactiveBefore(this.deps.database, this.deps.plan, await this.#traits(), cutoff);
  }

  /** Which of these addresses were active in this system on or after `cutoff`. */
  async activeAmong(emails: ReadonlyArray<string>, cutoff: Date): Promise<Set<string>> {
    return activeAmong(this.deps.database, this.deps.plan, await this.#traits(), emails, cutoff);
  }

  destroyExpiredHolds(now: Date, dryRun: boolean, holds?: ReadonlyArray<string>) {
    return destroyExpiredHolds(this.deps, now, dryRun, holds);
  }

  clearCollected(categories: ReadonlyArray<string>, cutoff: Date, dryRun: boolean) {
    return clearCollected(this.deps, categories, cutoff, dryRun);
  }

  /** Everyone with data in a field of these categories (see sql-subjects.ts). */
  async subjectsWithCategories(categories: ReadonlyArray<string>): Promise<string[]> {
    return subjectsWithCategories(this.deps.database, this.deps.plan, await this.#traits(), categories);
  }

  /** People by part of their address or name (src/connectors/sql/sql-search.ts). */
  searchSubjects(term: string, limit: number) {
    return searchSubjects(this.deps, term, limit);
  }

  close(): Promise<void> {
    return this.deps.database.close();
  }

  /**
   * One statement per collection, parents first and collections that do not depend on each other side by
   * side (and one more for a collection's meta keys). For erasure
   * only the columns the erasure needs are read (keys, what children point at, what gets hashed or
   * decides containment), and whole rows where a legal hold will seal them. A row the database returned
   * on a LIKE (an address inside a larger value) is kept only when it holds the address exactly.
   */
  async #find(
    db: SqlRunner,
    subjects: ReadonlyArray<string>,
    purpose: 'access' | 'erase' = 'access',
  ): Promise<CollectionFindings[]> {
    const { dialect } = this.deps.database;
    const traits = await this.#traits();
    const found = new Map<string, FoundRecord[]>();
    // Whose row it is, per collection and pointed-at value: children inherit their parent's owner.
    const owners = new Map<string, Map<string, string>>();
    const many = subjects.length > 1;
    const wanted = new Set(subjects);
    // Each collection waits for its parents only (the rows it belongs to), so that collections that do not
    // depend on each other are read side by side on the pool's connections: a person's find is as long as
    // its longest chain of parents (account → order → note), not the sum of every collection's round trip.
    // A parent is one planned before it, as when they ran one after the other.
    const plan = this.deps.plan.collections;
    // A collection's rows are ready for its children once what they point at is known.
    const ready = new Map<string, Promise<void>>();
    const findOne = async (c: CollectionPlan, publish: () => void) => {
      const parents = this.#erasing.get(c.name)!.parents;
      if (parents.length) await Promise.all(parents.map((p) => ready.get(p)));
      const q = new SqlText(dialect);
      // Parameters are positional on two dialects: the filter's come first, as in the text.
      const filter = rowFilter(q, c);
      const predicates = findPredicates(q, c, subjects, found, traits);
      if (predicates.length === 0) {
        found.set(c.name, []);
        publish();
        return;
      }
      const list = (purpose === 'erase' && this.#erasing.get(c.name)!.columns) || '*';
      const asUnion = predicates.length > 1 && separateAlternatives(dialect, many);
      const statement = asUnion
        ? unionOfAlternatives(q, c, list, filter, predicates)
        : {
            text: `select ${list} from ${q.id(c.table)}${whereAll([filter, filter ? `(${predicates.join(' or ')})` : predicates.join(' or ')])}`,
            params: q.params,
          };
      let records = (await db.run(statement.text, statement.params)).map((row) =>
        toRecord(this.system, c, row, this.deps.plan.timeZone),
      );
      if (asUnion) records = distinctBy(records, (r) => r.key);
      // One person's erasure reads meta values only where it uses them (not usermeta, when the account
      // is deleted with all its meta rows).
      const readMeta = purpose === 'access' || many || this.#metaAtErasure.has(c.name);
      if (readMeta && !needsPostFilter(c) && !many && !this.#pointsAtMeta.has(c.name)) {
        // No meta value decides whose a row is and no child points at one: the children go ahead while
        // the meta values are read (an order's notes need its id, not its postmeta).
        found.set(c.name, records);
        publish();
        await attachMeta(db, dialect, c, records);
        return;
      }
      if (readMeta) await attachMeta(db, dialect, c, records);
      if (needsPostFilter(c)) records = records.filter((r) => belongs(c, r, wanted, found));
      if (many) this.#assignOwners(c, records, wanted, owners);
      found.set(c.name, records);
      publish();
    };
    const all = plan.map((c) => {
      let open!: () => void;
      let fail!: (err: unknown) => void;
      const gate = new Promise<void>((resolve, reject) => {
        open = resolve;
        fail = reject;
      });
      // Handled here as well as by the children that wait: a failed leaf must not be an unhandled rejection.
      gate.catch(() => {});
      ready.set(c.name, gate);
      return findOne(c, open).catch((err: unknown) => {
        fail(err);
        throw err;
      });
    });
    await Promise.all(all);
    return this.deps.plan.collections.map((c) => ({
      system: this.system,
      collection: c.name,
      records: found.get(c.name)!,
    }));
  }

  #assignOwners(
    c: CollectionPlan,
    records: FoundRecord[],
    wanted: Set<string>,
    owners: Map<string, Map<string, string>>,
  ) {
    const pointedAt = this.#pointedAt.get(c.name) ?? [];
    const mine = new Map<string, string>();
    const ownerOfParent = (parent: string, column: string, value: Value) =>
      value === null ? undefined : owners.get(parent)?.get(`${column}:${value}`);
    for (const r of records) {
      const owner = ownerOf(c, r, wanted, ownerOfParent);
      if (!owner) continue;
      r.subject = owner;
      for (const column of pointedAt) mine.set(`${column}:${r.data[column]}`, owner);
    }
    owners.set(c.name, mine);
  }

  /**
   * How many rows still name the person. Rows reached through references hang off these, so one
   * statement answers for exact identities; values that hold an address among other things are read
   * and decided here, as when finding.
   */
  async #anyLeft(db: SqlRunner, subjects: ReadonlyArray<string>): Promise<number> {
    const { dialect } = this.deps.database;
    const traits = await this.#traits();
    // PostgreSQL numbers placeholders through the whole statement, so one SqlText writes every part (in the
    // order of the text); MySQL's are positional, and a part written as a union carries its own.
    const shared = new SqlText(dialect);
    const parts: Array<{ text: string; params: unknown[] }> = [];
    const contained: Array<Promise<number>> = [];
    for (const c of this.deps.plan.collections) {
      if (c.identity.length || c.meta?.identity.some((i) => i.format === 'plain')) {
        const q = dialect === 'mysql' ? new SqlText(dialect) : shared;
        const filter = rowFilter(q, c);
        const exact = identityPredicates(q, c, subjects, traits, 'exact');
        if (exact.length > 1 && separateAlternatives(dialect, subjects.length > 1)) {
          // As when finding: one select per alternative, each row counted once (`union`).
          const pk = q.column(c.table, c.primaryKey);
          const { text, params } = unionOfAlternatives(q, c, pk, filter, exact, 'union');
          parts.push({
            text: `select count(*) as n from (${text}) as alternatives`,
            params: q === shared ? [] : params,
          });
        } else
          parts.push({
            text: `select count(*) as n from ${q.id(c.table)}${whereAll([filter, `(${exact.join(' or ')})`])}`,
            params: q === shared ? [] : q.params,
          });
      }
      if (needsPostFilter(c)) contained.push(this.#containedLeft(db, c, subjects, traits));
    }
    // The exact count and each containment check are independent: side by side on the pool.
    const params = [...shared.params, ...parts.flatMap((p) => p.params)];
    const counted = parts.length ? db.run(parts.map((p) => p.text).join(' union all '), params) : Promise.resolve([]);
    const [rows, ...left] = await Promise.all([counted, ...contained]);
    return rows.reduce((sum, r) => sum + Number(r.n), 0) + left.reduce((a, b) => a + b, 0);
  }

  /** Rows whose larger value still holds one of these addresses: narrowed by LIKE, decided here. */
  async #containedLeft(db: SqlRunner, c: CollectionPlan, subjects: ReadonlyArray<string>, traits: ColumnTraits) {
    const { dialect } = this.deps.database;
    const q = new SqlText(dialect);
    const filter = rowFilter(q, c);
    const predicates = identityPredicates(q, c, subjects, traits, 'contained');
    const columns = [c.primaryKey, ...c.contains.map((x) => x.column)].map((col) => q.column(c.table, col));
    const text = `select ${columns.join(', ')} from ${q.id(c.table)}${whereAll([filter, `(${predicates.join(' or ')})`])}`;
    const records = (await db.run(text, q.params)).map((row) => toRecord(this.system, c, row, this.deps.plan.timeZone));
    await attachMeta(db, dialect, c, records);
    // Only the containment identities decide here: the exact ones were counted by the database.
    const containedOnly = { ...c, identity: [], references: [], meta: c.meta && { ...c.meta, references: [] } };
    const wanted = new Set(subjects);
    return records.filter((r) => belongs(containedOnly, r, wanted, new Map())).length;
  }

  /** The columns' collations and kinds, read once (see sql-columns.ts). */
  #traits(): Promise<ColumnTraits> {
    this.#columnTraits ??= readColumnTraits(this.deps.database, this.deps.plan);
    return this.#columnTraits;
  }

  async #update(db: SqlRunner, c: CollectionPlan, set: Record<string, Value>, keys: Value[]): Promise<void> {
    const q = new SqlText(this.deps.database.dialect);
    const assignments = Object.entries(set).map(([column, value]) => `${q.id(column)} = ${q.param(value)}`);
    const text = `update ${q.id(c.table)} set ${assignments.join(', ')} where ${q.keyIn(q.id(c.primaryKey), keys)}`;
    await db.run(text, q.params);
  }

  /** Deletes rows, and first every meta row they own (which would be left behind otherwise). */
  async #delete(db: SqlRunner, c: CollectionPlan, keys: Value[]): Promise<void> {
    if (c.meta) await deleteAllMeta(db, this.deps.database.dialect, c.meta, keys);
    const q = new SqlText(this.deps.database.dialect);
    const erasing = this.#erasing.get(c.name)!;
    await db.run(statementText(erasing, `delete from ${q.id(c.table)}`, q.keyIn(q.id(c.primaryKey), keys)), q.params);
  }

  async #eraseCollection(trx: SqlRunner, c: CollectionPlan, records: FoundRecord[]): Promise<void> {
    if (records.length === 0) return;
    const keys = records.map((r) => r.data[c.primaryKey] ?? null);
    // A row that stays keeps its meta rows, each key erased by its own strategy (a deleted row takes all).
    if (!c.deletesRow && c.meta) await eraseMeta(trx, this.deps.database.dialect, c, records, this.#metaErasure(c));
    if (c.deletesRow) {
      await this.#delete(trx, c, keys);
      return;
    }
    const erasing = this.#erasing.get(c.name)!;
    const fields = erasing.changed;
    if (fields.length === 0) return;
    const update = erasing.update;
    if (update) {
      // The same values for every row, written once per collection (see #erasing); only the keys differ.
      const q = new SqlText(this.deps.database.dialect);
      for (const value of update.values) q.param(value);
      await trx.run(statementText(erasing, update.head, q.keyIn(q.id(c.primaryKey), keys)), q.params);
      return;
    }
    const constant = constantValues(fields, this.deps.placeholder);
    const hashed = fields.filter(([, strategy]) => strategy === 'hash').map(([column]) => column);
    // Hashed values differ per row: one statement carries them all, as a key → value map. (The key list
    // is there too, so that PostgreSQL finds the rows by index rather than by the text comparison.)
    const perRow = records.map((r) => ({
      key: r.data[c.primaryKey] ?? null,
      values: hashed.map((column) => this.#hash(c, column, r.data[column] ?? null)),
    }));
    const dialect = this.deps.database.dialect;
    const distinct = new Set(perRow.map((row) => JSON.stringify(row.values)));
    if (distinct.size === 1) {
      // One person's rows usually share one address: a plain update, no key → value map.
      const values = perRow[0]!.values;
      await this.#update(trx, c, { ...constant, ...Object.fromEntries(hashed.map((h, i) => [h, values[i]!])) }, keys);
      return;
    }
    if (dialect === 'mysql') {
      // Without a JSON table function to lean on: one statement per distinct value.
      const groups = new Map<string, { set: Record<string, Value>; keys: Value[] }>();
      for (const row of perRow) {
        const id = JSON.stringify(row.values);
        const group = groups.get(id) ?? {
          set: { ...constant, ...Object.fromEntries(hashed.map((h, i) => [h, row.values[i]!])) },
          keys: [],
        };
        group.keys.push(row.key);
        groups.set(id, group);
      }
      for (const { set, keys: groupKeys } of groups.values()) await this.#update(trx, c, set, groupKeys);
      return;
    }
    const q = new SqlText(dialect);
    const assignments = Object.entries(constant).map(([column, value]) => `${q.id(column)} = ${q.param(value)}`);
    const pk = q.column(c.table, c.primaryKey);
    if (dialect === 'sqlite') {
      // Rows of [key, value…] joined by key: a JSON object looked up per row (json_extract) is a linear
      // search through its keys, which made this the sweep's slowest statement.
      for (const [i, column] of hashed.entries()) assignments.push(`${q.id(column)} = m.value ->> ${i + 1}`);
      const rows = JSON.stringify(perRow.map((row) => [row.key, ...row.values]));
      await trx.run(
        `update ${q.id(c.table)} set ${assignments.join(', ')} from json_each(${q.param(rows)}) as m where ${pk} = m.value ->> 0`,
        q.params,
      );
      return;
    }
    const rows = perRow.map((row) => ({
      k: String(row.key),
      ...Object.fromEntries(hashed.map((h, i) => [h, row.values[i]])),
    }));
    const columns = hashed.map((h) => `${q.id(h)} text`).join(', ');
    for (const column of hashed) assignments.push(`${q.id(column)} = m.${q.id(column)}`);
    await trx.run(
      `update ${q.id(c.table)} set ${assignments.join(', ')}
         from json_to_recordset(${q.param(JSON.stringify(rows))}::json) as m(k text, ${columns})
        where ${q.keyIn(pk, keys)} and ${pk}::text = m.k`,
      q.params,
    );
  }

  /** How meta keys are erased: the map's placeholder, and hashes as for columns (addresses normalised first). */
  #metaErasure(c: CollectionPlan): MetaErasure {
    const identity = new Set(c.meta?.identity.map((i) => i.key));
    return {
      placeholder: this.deps.placeholder,
      hash: (key, value) => {
        if (value === null) return null;
        const isEmail = identity.has(key) || c.meta?.fields[key]?.role === 'email';
        return `hmac:${this.deps.hashValue(isEmail ? normalizeEmail(String(value)) : String(value))}`;
      },
    };
  }

  #hash(c: CollectionPlan, column: string, value: Value): Value {
    if (value === null) return null;
    const isEmail = c.identity.includes(column) || c.fields[column]?.role === 'email';
    return `hmac:${this.deps.hashValue(isEmail ? normalizeEmail(String(value)) : String(value))}`;
  }

  #held(
    findings: CollectionFindings[],
    now: Date,
  ): { records: Array<SealInput & { subject?: string }>; until: Map<string, string> } {
    const records: Array<SealInput & { subject?: string }> = [];
    const until = new Map<string, string>();
    const found = new Map(findings.map((f) => [f.collection, f.records]));
    for (const f of findings) {
      const c = this.#erasing.get(f.collection)!.plan;
      if (!c.legalHold) continue;
      const hold = this.deps.holds.get(c.legalHold.hold);
      if (!hold) throw new Error(`legal hold "${c.legalHold.hold}" has no term in the policy`);
      const parentDate = this.#parentDates(c, found);
      for (const r of f.records) {
        const from = (c.legalHold.from ? r.data[c.legalHold.from] : null) ?? parentDate(r);
        // A record without any start date is held from today: keeping too long is safer than destroying evidence.
        const holdUntil = holdEnds(recordTime(from, this.deps.plan.timeZone) ?? now, hold);
        if (holdUntil <= now) continue;
        const iso = holdUntil.toISOString();
        records.push({
          subject: r.subject,
          system: this.system,
          collection: c.name,
          recordKey: r.key,
          hold: c.legalHold.hold,
          holdUntil: iso,
          data: r.data,
        });
        if ((until.get(c.name) ?? '') < iso) until.set(c.name, iso);
      }
    }
    return { records, until };
  }

  /** For a hold with `otherwise`: the parent row's date of a record, looked up among the rows found. */
  #parentDates(c: CollectionPlan, found: Map<string, FoundRecord[]>): (r: FoundRecord) => Value {
    const [parentName, column] = c.legalHold?.otherwise?.split('.') ?? [];
    const ref = c.references.find((x) => x.parent === parentName);
    if (!ref || !column) return () => null;
    const byKey = new Map((found.get(parentName!) ?? []).map((p) => [String(p.data[ref.parentColumn]), p]));
    return (r) => byKey.get(String(r.data[ref.column]))?.data[column] ?? null;
  }

  #describeErasure(
    f: CollectionFindings,
    held: { records: SealInput[]; until: Map<string, string> },
    withKeys = false,
  ): CollectionErasure {
    const { plan: c, anonymises, keptFields } = this.#erasing.get(f.collection)!;
    const heldHere = c.legalHold ? held.records.filter((r) => r.collection === c.name) : [];
    const sealed = heldHere.length;
    const n = f.records.length;
    const hold = c.legalHold ? this.deps.holds.get(c.legalHold.hold) : undefined;
    return {
      system: this.system,
      collection: c.name,
      found: n,
      deleted: c.deletesRow ? n : 0,
      anonymised: anonymises ? n : 0,
      sealed,
      keptFields: [...keptFields],
      ...(sealed > 0 && hold
        ? { retainedUntil: held.until.get(c.name), reason: `${c.legalHold!.hold}: ${hold.basis}` }
        : {}),
      ...(withKeys ? { keys: f.records.map((r) => r.key), sealedKeys: heldHere.map((r) => r.recordKey) } : {}),
    };
  }
}

/** What a collection's erasure does that the data map decides. */
interface Erasing {
  plan: CollectionPlan;
  /** The fields whose value the erasure changes, with their strategy. */
  changed: ReturnType<typeof changedFields>;
  /** Whether its rows stay, with values changed (in columns or meta rows). */
  anonymises: boolean;
  /** The fields kept as they are on rows that stay. */
  keptFields: string[];
  /** Where its rows are (table, key, meta rows), as a prefix of a row's place. */
  place: string;
  /** What one person's erasure reads of its rows, as a select list; absent where it reads whole rows. */
  columns?: string;
  /** The collections planned before it whose rows it belongs to: its find waits for theirs. */
  parents: string[];
  /**
   * Where every changed field gets the same value on every row (no hash): the update's head (`update … set …`,
   * its values' placeholders first) and those values.
   */
  update?: { head: string; values: Value[] };
  /** Its statements' texts by head and condition, kept so that each is one string, made and hashed once. */
  texts: Map<string, Map<string, string>>;
}

/** The values a collection's erasure sets where they do not depend on the row: null, or the placeholder. */
function constantValues(fields: ReturnType<typeof changedFields>, placeholder: string): Record<string, Value> {
  const constant: Record<string, Value> = {};
  for (const [column, strategy, field] of fields) {
    if (strategy === 'null') constant[column] = null;
    if (strategy === 'mask') constant[column] = field.placeholder ?? placeholder;
  }
  return constant;
}

function constantUpdate(
  dialect: SqlDialect,
  c: CollectionPlan,
  fields: ReturnType<typeof changedFields>,
  placeholder: string,
): Erasing['update'] {
  if (c.deletesRow || fields.length === 0 || fields.some(([, strategy]) => strategy === 'hash')) return undefined;
  const q = new SqlText(dialect);
  const set = Object.entries(constantValues(fields, placeholder)).map(
    ([column, value]) => `${q.id(column)} = ${q.param(value)}`,
  );
  return { head: `update ${q.id(c.table)} set ${set.join(', ')}`, values: q.params as Value[] };
}

/**
 * `head where condition`, the same string each time for the same parts: the shop's statement cache looks a
 * text up by its hash, which a string made anew must compute again (a few hundred characters per statement).
 */
function statementText(erasing: Erasing, head: string, condition: string): string {
  let byCondition = erasing.texts.get(head);
  if (byCondition === undefined) {
    byCondition = new Map();
    erasing.texts.set(head, byCondition);
  }
  let text = byCondition.get(condition);
  if (text === undefined) {
    // Conditions differ by the number of keys on some dialects (MySQL's `in (?, ?)`): a bounded few kept.
    if (byCondition.size >= 64) byCondition.clear();
    text = `${head} where ${condition}`;
    byCondition.set(condition, text);
  }
  return text;
}

/** Whether erasing a collection's rows needs its meta values: hashed, decided by containment, or pointed at. */
function metaValuesNeeded(c: CollectionPlan, pointedAt: ReadonlyArray<string>): boolean {
  const meta = c.meta;
  if (!meta) return false;
  return (
    Object.values(meta.fields).some((f) => f.erase === 'hash') ||
    meta.identity.some((i) => i.format !== 'plain') ||
    pointedAt.some((column) => isMetaKey(c, column)) ||
    // Rows kept after the database narrowed them (containment) are told apart by their identity and
    // reference keys too, which are meta values: without them a row of the person's would be dropped.
    (needsPostFilter(c) && (meta.identity.length > 0 || meta.references.length > 0))
  );
}

/** Whether a name is one of the collection's meta keys (a field of its records read from the meta table). */
function isMetaKey(c: CollectionPlan, name: string): boolean {
  const meta = c.meta;
  if (!meta) return false;
  return (
    name in meta.fields || meta.identity.some((i) => i.key === name) || meta.references.some((r) => r.key === name)
  );
}

/** Whether erasure changes or deletes any of the collection's meta keys. */
const changesMeta = (c: CollectionPlan) => Object.values(c.meta?.fields ?? {}).some((f) => f.erase !== 'keep');

/** The corrected value for a field by its role, or undefined when the correction does not reach it. */
function correctedValue(field: Field, corrections: Corrections): Value | undefined {
  if (!field.role || !(field.role in corrections.values)) return undefined;
  if (corrections.category && field.category !== corrections.category) return undefined;
  return corrections.values[field.role] ?? null;
}

function correctedValues(c: CollectionPlan, corrections: Corrections): Record<string, Value> {
  const set: Record<string, Value> = {};
  for (const [column, field] of Object.entries(c.fields)) {
    const value = correctedValue(field, corrections);
    if (value !== undefined) set[column] = value;
  }
  return set;
}

function toRecord(system: string, c: CollectionPlan, row: Record<string, unknown>, zone?: string): FoundRecord {
  // Rows are fresh objects from the driver: convert in place the few values that are not plain (dates, bigints).
  for (const k in row) {
    const v = row[k];
    if (v !== null && typeof v === 'object') row[k] = toValue(v);
    else if (v === undefined || typeof v === 'bigint') row[k] = toValue(v);
    else if (zone) row[k] = zonedValue(v, zone);
  }
  const data = row as Record<string, Value>;
  return { system, collection: c.name, key: String(data[c.primaryKey]), data, categories: c.categories };
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** Database errors can quote values; keep the gist and drop anything that looks like an address. */
function describeError(err: unknown): string {
  return scrubMessage(err instanceof Error ? err.message : String(err)).slice(0, 500);
}

/** Whom records were found for: each record's owner, or the one person when only one was asked for. */
function foundFor(findings: ReadonlyArray<CollectionFindings>, subjects: ReadonlyArray<string>): string[] {
  const owners = new Set<string>();
  for (const f of findings) {
    for (const r of f.records) {
      const owner = r.subject ?? (subjects.length === 1 ? subjects[0] : undefined);
      if (owner) owners.add(owner);
    }
  }
  return [...owners];
}

/**
 * One select per alternative, as one statement (`union all`, or `union` where a row found by two
 * alternatives must count once): MySQL plans an `or` of conditions on
 * different indexes (an address, an account's id, an owner in a meta table) as a scan of the whole table,
 * and each alternative on its own as a lookup in its index. Parameters are positional: the row filter's
 * come first in `q.params`, then each alternative's in turn (counted by their placeholders; names are
 * plain identifiers and values are never written into the text), and each branch repeats the filter's.
 */
function unionOfAlternatives(
  q: SqlText,
  c: CollectionPlan,
  list: string,
  filter: string,
  predicates: string[],
  union: 'union all' | 'union' = 'union all',
): { text: string; params: unknown[] } {
  const branch = (p: string) => `select ${list} from ${q.id(c.table)}${whereAll([filter, `(${p})`])}`;
  // PostgreSQL numbers its placeholders: every branch names the same $n, and the values go once.
  if (q.numbered) return { text: predicates.map(branch).join(` ${union} `), params: q.params };
  const placeholders = (text: string) => text.split('?').length - 1;
  const filterParams = q.params.slice(0, placeholders(filter));
  let at = filterParams.length;
  const branches: string[] = [];
  const params: unknown[] = [];
  for (const p of predicates) {
    const own = q.params.slice(at, at + placeholders(p));
    at += own.length;
    branches.push(branch(p));
    params.push(...filterParams, ...own);
  }
  return { text: branches.join(` ${union} `), params };
}

/**
 * Whether a collection found by several alternatives (an address, or an account or order it hangs off) is
 * read with one select per alternative rather than an `or` of them.
 * - MySQL reads a whole table for an `or` of conditions on different indexes (70,000 accounts for an
 *   address or a billing_email meta row), even for one person.
 * - PostgreSQL combines the indexes for one person, but for a batch (`= any` of 2,000 addresses or keys)
 *   its planner chose a parallel scan of the whole table: the orders of 2,000 people among 429,000 took
 *   159 ms that way and 18 ms as two selects, and the gap grows with the shop.
 * - SQLite combines the indexes either way.
 */
function separateAlternatives(dialect: SqlDialect, many: boolean): boolean {
  return dialect === 'mysql' || (dialect === 'postgres' && many);
}

function distinctBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)) !== undefined);
}
