import type { FieldRole } from '../datamap/datamap.schema.ts';

/** Who a request is about. Only the e-mail address for now; connectors match it trimmed and case-insensitively. */
export interface SubjectIdentity {
  email: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export type Value = string | number | boolean | null;

/** One record found for a person, labelled with where it lives and what each field is. */
export interface FoundRecord {
  system: string;
  collection: string;
  /** Primary key value, as text. */
  key: string;
  data: Record<string, Value>;
  /** Data category of each personal field (fields without one are not personal data). */
  categories: Readonly<Record<string, string>>;
  /** Whose record this is (normalised e-mail), when one search covered several people. */
  subject?: string;
}

/** Someone whose address or name matched a search by part of it (the desk's customer lookup). */
export interface SubjectMatch {
  /** Normalised e-mail address. */
  email: string;
  /** The name on the record, when the collection has one. */
  name?: string;
  system: string;
  collection: string;
}

export interface CollectionFindings {
  system: string;
  collection: string;
  records: FoundRecord[];
}

/** A step a person has to take because a processor has no API for it. */
export interface ManualTask {
  system: string;
  processor: string;
  /** `deliver`: the officer posts an answer the person asked to receive by post. */
  action: 'access' | 'erase' | 'rectify' | 'restrict' | 'deliver';
  contact: string;
  instructions: { nl: string; en: string };
  dueInDays: number;
  categories: string[];
}

/** What erasure did to one collection. */
export interface CollectionErasure {
  system: string;
  collection: string;
  found: number;
  deleted: number;
  anonymised: number;
  sealed: number;
  /** Fields left as they are (not personal, or kept on purpose). */
  keptFields: string[];
  /** Held records: sealed in the archive until this date, then destroyed. */
  retainedUntil?: string;
  reason?: string;
  /** Records a processor keeps (payments, invoices under a fiscal hold), with `retainedUntil`/`reason` when known. */
  retained?: number;
  /** With `EraseOptions.withKeys`: the keys of the records found, and of those sealed (the erasure journal). */
  keys?: string[];
  sealedKeys?: string[];
}

export type SystemStatus = 'erased' | 'nothing-found' | 'failed' | 'manual' | 'dry-run';

export interface SystemErasure {
  system: string;
  status: SystemStatus;
  collections: CollectionErasure[];
  /** Set when the system failed: what went wrong, without personal data. */
  error?: string;
  /** Set when the system failed: false when trying again cannot help (a refusal), true or absent for an outage. */
  retryable?: boolean;
  task?: ManualTask;
  queries: number;
  /** What a processor's API answered, in plain words without personal data (Art. 19 record). */
  answer?: string;
  /** With `EraseOptions.withSubjects`: the (normalised) addresses records were found for. Never journaled in clear. */
  subjects?: string[];
}

export interface Corrections {
  /** Only fields of this category, when given. */
  category?: string;
  values: Partial<Record<FieldRole, string | null>>;
}

export interface CollectionRectification {
  system: string;
  collection: string;
  records: number;
  fields: string[];
}

export interface SystemRectification {
  system: string;
  status: 'rectified' | 'nothing-found' | 'failed' | 'manual';
  collections: CollectionRectification[];
  error?: string;
  /** Set when the system failed: false when trying again cannot help (a refusal), true or absent for an outage. */
  retryable?: boolean;
  task?: ManualTask;
  /** What a processor's API answered, in plain words without personal data (Art. 19 record). */
  answer?: string;
  queries?: number;
}

/** What telling one system about a restriction did (GDPR Art. 18/19). */
export interface SystemRestriction {
  system: string;
  status: 'restricted' | 'nothing-found' | 'failed' | 'manual';
  answer?: string;
  error?: string;
  /** Set when the system failed: false when trying again cannot help (a refusal), true or absent for an outage. */
  retryable?: boolean;
  task?: ManualTask;
  queries: number;
}

export interface EraseOptions {
  dryRun?: boolean;
  now: Date;
  /**
   * Called at the steps of an erasure that a crash must not confuse (docs/failpoints.md): after held
   * records were sealed, just before the system's transaction commits, and after it committed.
   */
  onStep?: (step: ErasureStep) => void;
  /** Report the keys of the records found (one person's erasure; the sweep leaves it off). */
  withKeys?: boolean;
  /**
   * Called with what a system's erasure will do, after held records are sealed and before its change
   * commits: a retention run journals it, so that a crash after the commit still records the right counts.
   */
  beforeCommit?: (erasure: SystemErasure) => Promise<void>;
  /**
   * Report whom records were found for (`SystemErasure.subjects`): the retention sweep records only the
   * people it actually found and erased, not everyone it planned.
   */
  withSubjects?: boolean;
}

export type ErasureStep = 'sealed' | 'before-commit' | 'committed';

/** A system that holds personal data: a SQL database, a processor's API, or a person to ask. */
export interface Connector {
  readonly system: string;
  readonly kind: 'sql' | 'manual' | 'api';
  /** The policy's processor behind this system, when there is one (Art. 19 records name it). */
  readonly processor?: string;
  /** `answer`: what a processor's API said, without personal data. Throws when the system cannot be reached. */
  find(
    subject: SubjectIdentity,
  ): Promise<{ findings: CollectionFindings[]; task?: ManualTask; queries: number; answer?: string }>;
  erase(subject: SubjectIdentity, options: EraseOptions): Promise<SystemErasure>;
  /** Erases several people at once, set-based (the retention sweep). */
  eraseMany?(emails: ReadonlyArray<string>, options: EraseOptions): Promise<SystemErasure>;
  rectify(subject: SubjectIdentity, corrections: Corrections): Promise<SystemRectification>;
  /**
   * Erases only the fields of these categories (Art. 17(1)(c) after an upheld objection: data kept only
   * for the purposes objected to). Records under a legal hold are left alone.
   */
  eraseCategories?(subject: SubjectIdentity, categories: ReadonlySet<string>): Promise<SystemErasure>;
  /** Tells the system to restrict processing of the person (processors with an API). */
  restrict?(subject: SubjectIdentity): Promise<SystemRestriction>;
  /** Addresses whose newest activity in this system is before `cutoff`, and how many addresses it knows. */
  inactiveBefore?(cutoff: Date): Promise<{ inactive: string[]; known: number }>;
  /** Which of these addresses were active on or after `cutoff`. */
  activeAmong?(emails: ReadonlyArray<string>, cutoff: Date): Promise<Set<string>>;
  /** Deletes records whose legal hold (of these holds, or any) has ended, e.g. invoices past the fiscal term; counts per collection. */
  destroyExpiredHolds?(
    now: Date,
    dryRun: boolean,
    holds?: ReadonlyArray<string>,
  ): Promise<Array<{ system: string; collection: string; records: number }>>;
  /**
   * Clears fields of these categories in rows collected before `cutoff` (`from: collected` retention
   * rules, such as the IP address on an order); counts per collection.
   */
  clearCollected?(
    categories: ReadonlyArray<string>,
    cutoff: Date,
    dryRun: boolean,
  ): Promise<Array<{ system: string; collection: string; records: number; fields: string[] }>>;
  /**
   * Everyone (normalised e-mail addresses) with data in any of these categories: the people a policy
   * change concerns. Set-based; systems that cannot tell (handled by hand) leave it out.
   */
  subjectsWithCategories?(categories: ReadonlyArray<string>): Promise<string[]>;
  /**
   * People whose address or name contains every word of `term` (part of an address, a name), at most
   * `limit` per collection: the officer's lookup when they do not have the whole address. Databases only.
   */
  searchSubjects?(term: string, limit: number): Promise<SubjectMatch[]>;
  /** Runs a retention sweep's many batches as one unit of work, where the system can profit from that. */
  sweep?<T>(fn: () => Promise<T>): Promise<T>;
  /** For systems handled by hand: the task a person has to do for this action. */
  manualTask?(action: ManualTask['action']): ManualTask;
  close(): Promise<void>;
}
