import { type FileProblem, formatPath, loadYamlFile, parseYamlWith, type YamlSource } from '../config/yaml-file.ts';
import { DATA_RULES } from './lint-data.ts';
import { NOTICE_RULES } from './lint-notice.ts';
import { PARTY_RULES } from './lint-parties.ts';
import { RETENTION_RULES } from './lint-retention.ts';
import type { LintOptions, LintRule, Severity } from './lint-support.ts';
import { TEXT_RULES } from './lint-text.ts';
import { Policy } from './policy.schema.ts';

export type { LintOptions, Severity } from './lint-support.ts';

/** One thing wrong in a policy, with the place to fix it and the law that says why. */
export interface Finding {
  /** Stable rule id, e.g. `template-text`; `schema` for a file that does not load. */
  rule: string;
  severity: Severity;
  /** Dotted path into the document, e.g. `processing.sections[5].text.nl`. */
  path: string;
  line?: number;
  column?: number;
  message: string;
  /** The legal article or source, e.g. `GDPR Art. 28(3)`. */
  reference?: string;
}

export interface LintResult {
  findings: Finding[];
  /** True when there is no error (warnings allowed). */
  ok: boolean;
}

/** Every rule, in the order they are documented. */
export const LINT_RULES: readonly LintRule[] = [
  ...TEXT_RULES,
  ...PARTY_RULES,
  ...DATA_RULES,
  ...NOTICE_RULES,
  ...RETENTION_RULES,
];

/** The rule ids with their reason and reference, for documentation and `--help` output. */
export function describeLintRules(): Array<{ id: string; reason: string; reference?: string }> {
  return LINT_RULES.map(({ id, reason, reference }) => ({ id, reason, ...(reference ? { reference } : {}) }));
}

/**
 * Checks a loaded policy against the law and against itself. With a source, each finding
 * carries the line and column it refers to, and findings come in line order.
 */
export function lintPolicy(policy: Policy, source?: YamlSource, options: LintOptions = {}): Finding[] {
  const findings = LINT_RULES.flatMap((rule) =>
    rule.check(policy, options).map((f): Finding => {
      const pos = source?.locate(f.path);
      const reference = f.reference ?? rule.reference;
      return {
        rule: rule.id,
        severity: f.severity,
        path: formatPath(f.path),
        ...(pos ? { line: pos.line, column: pos.column } : {}),
        message: f.message,
        ...(reference ? { reference } : {}),
      };
    }),
  );
  return sortByLine(findings);
}

/** Stable sort by line and column; findings without a line keep their order at the end. */
function sortByLine(findings: Finding[]): Finding[] {
  const far = Number.MAX_SAFE_INTEGER;
  return [...findings].sort((a, b) => (a.line ?? far) - (b.line ?? far) || (a.column ?? far) - (b.column ?? far));
}

function problemToFinding(p: FileProblem): Finding {
  return {
    rule: 'schema',
    severity: 'error',
    path: p.path,
    ...(p.line !== undefined ? { line: p.line, column: p.column ?? 1 } : {}),
    message: p.message,
  };
}

function resultOf(findings: Finding[]): LintResult {
  return { findings, ok: !findings.some((f) => f.severity === 'error') };
}

/** Loads a policy file and lints it. A file that does not load yields `schema` findings; never throws. */
export function lintPolicyFile(file: string, options: LintOptions = {}): LintResult {
  const loaded = loadYamlFile(file, Policy);
  if (!loaded.ok) return resultOf(loaded.problems.map(problemToFinding));
  return resultOf(lintPolicy(loaded.value, loaded.source, options));
}

/** Like `lintPolicyFile`, for YAML text already in memory. */
export function lintPolicyText(text: string, file = 'policy.yaml', options: LintOptions = {}): LintResult {
  const loaded = parseYamlWith(text, file, Policy);
  if (!loaded.ok) return resultOf(loaded.problems.map(problemToFinding));
  return resultOf(lintPolicy(loaded.value, loaded.source, options));
}
