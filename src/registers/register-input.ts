import { z } from 'zod';
import { EMAIL_IN_TEXT } from '../lib/logger.ts';
import { multiLine, oneLine } from '../lib/text-input.ts';
import { amsterdamOffset } from '../notify/templates/words.ts';

/**
 * Shared pieces of the register forms' validation. Forms send strings; an empty field means "not
 * given". Times are typed as Dutch local time (the officer's clock) or as ISO with an offset.
 */

/** Free text may not carry an e-mail address: a person is named by a request or a keyed reference. */
export const freeText = (max = 4000) =>
  multiLine()
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `at most ${max} characters` })
    .refine((s) => !EMAIL_IN_TEXT.test(s), {
      error: 'write no e-mail address here; give it in the subject field, where it is stored as a reference only',
    });

export const optionalText = (max = 4000) =>
  multiLine()
    .trim()
    .max(max, { error: `at most ${max} characters` })
    .refine((s) => !EMAIL_IN_TEXT.test(s), { error: 'write no e-mail address here' })
    .transform((s) => (s === '' ? null : s))
    .optional()
    .transform((s) => s ?? null);

/** `2026-11-26T10:30` (Dutch time, as a datetime-local field sends it) or ISO 8601 with an offset. */
export function parseLocalDateTime(value: string): Date | undefined {
  const local = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (local) {
    const [y, mo, d, h, mi, s] = local.slice(1).map((part) => Number(part ?? 0)) as number[];
    const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
    if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== d) return undefined;
    const guess = new Date(asUtc - amsterdamOffset(new Date(asUtc)) * 3_600_000);
    return new Date(asUtc - amsterdamOffset(guess) * 3_600_000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** The value a datetime-local field shows for a stored ISO time: Dutch local time, to the minute. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  return new Date(at.getTime() + amsterdamOffset(at) * 3_600_000).toISOString().slice(0, 16);
}

export const dateTime = oneLine()
  .trim()
  .min(1, { error: 'is required' })
  .transform((s, ctx) => {
    const at = parseLocalDateTime(s);
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'must be a date and time, e.g. 2026-11-26T14:30' });
      return z.NEVER;
    }
    return at.toISOString();
  });

export const optionalDateTime = oneLine()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (!s) return null;
    const at = parseLocalDateTime(s);
    if (!at) {
      ctx.addIssue({ code: 'custom', message: 'must be a date and time, e.g. 2026-11-26T14:30' });
      return z.NEVER;
    }
    return at.toISOString();
  });

export const optionalCount = oneLine()
  .trim()
  .optional()
  .transform((s, ctx) => {
    if (!s) return null;
    if (!/^\d{1,12}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'must be a whole number (an estimate is fine)' });
      return z.NEVER;
    }
    return Number(s);
  });

/** A checkbox: present ("on", "1", "true") or absent. */
export const checkbox = z
  .string()
  .optional()
  .transform((s) => s === 'on' || s === '1' || s === 'true');

/** The first problem of a failed parse: the field's name and its message. */
export function firstProblem(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue ? issue.path.map(String).join('.') : '', message: issue?.message ?? 'is invalid' };
}

/** Every problem, by field (the first per field), for a form that marks each field at fault. */
export function problemsByField(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '_';
    out[field] ??= issue.message;
  }
  return out;
}
