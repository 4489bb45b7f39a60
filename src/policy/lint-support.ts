import type { LocalizedText, Policy } from './policy.schema.ts';

export type Severity = 'error' | 'warning';
export type Path = ReadonlyArray<string | number>;

/** What a rule reports; the linter adds the rule id, the dotted path and the line. */
export interface RuleFinding {
  severity: Severity;
  path: Path;
  message: string;
  /** Overrides the rule's reference when one finding rests on a different article. */
  reference?: string;
}

/** Options that bring in facts from outside the policy file. */
export interface LintOptions {
  /** Legal holds the data map uses; when given, a retention rule's `legalHold` must be one of them. */
  legalHolds?: readonly string[];
}

export interface LintRule {
  /** Stable id, shown in output and used to look the rule up in the docs. */
  id: string;
  /** Why the rule exists, in one sentence. */
  reason: string;
  /** The article or source the rule rests on, when there is one. */
  reference?: string;
  check(policy: Policy, options: LintOptions): RuleFinding[];
}

export function isBlank(s: string | undefined): boolean {
  return s === undefined || s.trim() === '';
}

export function isBlankText(t: LocalizedText | undefined): boolean {
  return t === undefined || (isBlank(t.nl) && isBlank(t.en));
}

export function isLocalizedText(value: unknown): value is LocalizedText {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof (value as LocalizedText).nl === 'string' &&
    typeof (value as LocalizedText).en === 'string'
  );
}

/** Calls `visit` for every string in the document with its path. */
export function walkStrings(value: unknown, visit: (s: string, path: Path) => void, path: Path = []): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkStrings(v, visit, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, visit, [...path, k]);
  }
}

/** Calls `visit` for every `{ nl, en }` object in the document with its path. */
export function walkTexts(value: unknown, visit: (t: LocalizedText, path: Path) => void, path: Path = []): void {
  if (isLocalizedText(value)) visit(value, path);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walkTexts(v, visit, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkTexts(v, visit, [...path, k]);
  }
}

/** A name to show in a message: the Dutch text, else the English. */
export function label(t: LocalizedText | undefined, fallback = ''): string {
  if (!t) return fallback;
  return (isBlank(t.nl) ? t.en : t.nl).trim() || fallback;
}

export const error = (path: Path, message: string, reference?: string): RuleFinding => ({
  severity: 'error',
  path,
  message,
  ...(reference ? { reference } : {}),
});

export const warning = (path: Path, message: string, reference?: string): RuleFinding => ({
  severity: 'warning',
  path,
  message,
  ...(reference ? { reference } : {}),
});
