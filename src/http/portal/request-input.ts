import type { FieldRole } from '../../datamap/datamap.schema.ts';
import { isControlCharacterIssue } from '../../lib/text-input.ts';
import { NewRequest, RequestType } from '../../requests/request.types.ts';
import type { Lang } from '../lang.ts';

/** The field roles a person may correct through the portal form. */
export const CORRECTION_ROLES = [
  'first_name',
  'last_name',
  'phone',
  'street',
  'house_number',
  'postal_code',
  'city',
] as const satisfies ReadonlyArray<FieldRole>;
export type CorrectionRole = (typeof CORRECTION_ROLES)[number];

/** The form's own field names; `corrections.<role>` for each correction. */
const FIELDS = [
  'type',
  'language',
  'email',
  'name',
  'message',
  'deliverTo',
  ...CORRECTION_ROLES.map((r) => `corrections.${r}`),
];

export type FieldErrorKey =
  | 'emailRequired'
  | 'emailInvalid'
  | 'correctionsRequired'
  | 'objectionRequired'
  | 'typeUnknown'
  | 'tooLong'
  | 'controlCharacters';

/** What the person typed, by form field name, trimmed; empty fields are absent. */
export type FormValues = Record<string, string>;
/** One error per form field (`email`, `message`, `corrections`, `corrections.city`, `type`). */
export type FormErrors = Record<string, FieldErrorKey>;

const firstString = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/** Reads the known fields of a posted form; anything else is ignored. */
export function readForm(body: unknown): FormValues {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = firstString(raw[field])?.trim();
    if (value) values[field] = value;
  }
  return values;
}

/** The form as a `NewRequest`, or the errors to show next to its fields. */
export function parseRequestForm(
  values: FormValues,
  lang: Lang,
): { ok: true; request: NewRequest } | { ok: false; type?: RequestType; errors: FormErrors } {
  const type = RequestType.safeParse(values.type);
  if (!type.success) return { ok: false, errors: { type: 'typeUnknown' } };
  const corrections = Object.fromEntries(
    CORRECTION_ROLES.flatMap((role) => {
      const value = values[`corrections.${role}`];
      return value ? [[role, value]] : [];
    }),
  );
  const parsed = NewRequest.safeParse({
    type: type.data,
    email: values.email ?? '',
    name: values.name,
    message: values.message,
    corrections: type.data === 'rectification' && Object.keys(corrections).length > 0 ? corrections : undefined,
    language: lang,
    deliverTo: values.deliverTo,
  });
  if (parsed.success) return { ok: true, request: parsed.data };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join('.');
    errors[field] ??= isControlCharacterIssue(issue) ? 'controlCharacters' : errorKey(field, issue.code, values);
  }
  return { ok: false, type: type.data, errors };
}

function errorKey(field: string, code: string, values: FormValues): FieldErrorKey {
  if (code === 'too_big') return 'tooLong';
  if (field === 'email') return values.email ? 'emailInvalid' : 'emailRequired';
  if (field === 'corrections') return 'correctionsRequired';
  if (field === 'message') return 'objectionRequired';
  return 'tooLong';
}
