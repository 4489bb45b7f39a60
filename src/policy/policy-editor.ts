import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type WriteFileAtomic from 'write-file-atomic';
import { parseYamlWith } from '../config/yaml-file.ts';
import { lazily } from '../lib/lazy-require.ts';
import { diffPolicies, type PolicyDiff } from './diff.ts';
import { type Finding, lintPolicyText } from './lint.ts';
import { Policy } from './policy.schema.ts';
import { applyPolicyEdits, type FieldEdit, policyFields } from './policy-form.ts';
import { type AuditRecorder, contentHash, type PolicyVersions } from './versions.ts';

// Loaded at the first save from the back office, not with every start.
const writeFileAtomic = lazily<typeof WriteFileAtomic>('write-file-atomic');

/**
 * Editing the policy file from the back office. The file on disk stays the source: the officer's edits
 * (a form of its texts and lists, or the YAML itself) are checked (lint, the rendered policy, what
 * changes in processing against the latest version) and written back into the file; publishing it as
 * a version is the existing flow (`PolicyVersions.publish`, `inzage policy publish`), which reads the file.
 */

export interface PolicyText {
  text: string;
  /** SHA-256 of the text: the form carries it, so a save over a file changed meanwhile is refused. */
  hash: string;
}

export const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What a draft would be: its lint findings, and when it loads, the policy and its changes. */
export interface DraftCheck {
  text: string;
  findings: Finding[];
  errors: number;
  warnings: number;
  /** The draft as a policy; absent when the schema refuses it (then it cannot be saved either). */
  policy?: Policy;
  /** Against the latest version; null before the first. */
  diff?: PolicyDiff | null;
  against?: number;
  /** The same content as the latest version (its label and date aside): nothing to publish. */
  unchanged: boolean;
}

export type SaveResult =
  | { ok: true; hash: string; check: DraftCheck }
  /** The file changed since the form was opened; nothing was written. */
  | { ok: false; reason: 'changed'; current: PolicyText; check: DraftCheck }
  /** The draft does not load as a policy; nothing was written. */
  | { ok: false; reason: 'invalid'; check: DraftCheck };

export interface PolicyEditorDeps {
  file: string;
  versions: Pick<PolicyVersions, 'latest'>;
  audit?: AuditRecorder;
}

export class PolicyEditor {
  /** One save at a time in this process: the check of the hash and the write go together. */
  #saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: PolicyEditorDeps) {}

  get file(): string {
    return this.deps.file;
  }

  /** The file as it is now; undefined when it cannot be read. */
  read(): PolicyText | undefined {
    try {
      const text = readFileSync(this.deps.file, 'utf8');
      return { text, hash: textHash(text) };
    } catch {
      return undefined;
    }
  }

  /** The fields of the form, from a text (the file's, or a draft). */
  fields(text: string) {
    return policyFields(text);
  }

  /** The text with the form's changed fields written into it. */
  applyEdits(text: string, edits: readonly FieldEdit[]): string {
    return applyPolicyEdits(text, edits);
  }

  async check(text: string): Promise<DraftCheck> {
    const name = this.deps.file.split('/').at(-1) ?? 'policy.yaml';
    const { findings } = lintPolicyText(text, name);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const base = { text, findings, errors, warnings: findings.length - errors, unchanged: false };
    const parsed = parseYamlWith(text, name, Policy);
    if (!parsed.ok) return base;
    const latest = await this.deps.versions.latest();
    const policy = parsed.value;
    return {
      ...base,
      policy,
      diff: latest ? diffPolicies(latest.policy, policy) : null,
      against: latest?.number,
      unchanged: !!latest && contentHash(latest.policy) === contentHash(policy),
    };
  }

  /**
   * Writes the draft to the policy file, atomically (a temporary file renamed over it: a reader sees
   * the old file or the new one, never half), when the file is still the one the form was made from
   * and the draft loads as a policy. Lint errors do not stop a save (the file is the draft); they stop
   * publishing. Audited as `policy.edit`, with the hashes before and after.
   */
  save(input: { text: string; base: string; actor: string; mode: 'form' | 'yaml' }): Promise<SaveResult> {
    const run = this.#saving.then(() => this.#save(input));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  async #save(input: { text: string; base: string; actor: string; mode: 'form' | 'yaml' }): Promise<SaveResult> {
    const check = await this.check(input.text);
    if (!check.policy) return { ok: false, reason: 'invalid', check };
    const current = this.read();
    if (!current || current.hash !== input.base) {
      return { ok: false, reason: 'changed', current: current ?? { text: '', hash: '' }, check };
    }
    const hash = textHash(input.text);
    if (hash !== current.hash) {
      await writeFileAtomic()(this.deps.file, input.text, { encoding: 'utf8', fsync: true });
      await this.deps.audit?.record({
        actor: input.actor,
        action: 'policy.edit',
        target: 'policy-file',
        details: { mode: input.mode, before: current.hash.slice(0, 16), after: hash.slice(0, 16) },
      });
    }
    return { ok: true, hash, check };
  }
}
