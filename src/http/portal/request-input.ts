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
  'purposes',
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

/** Checkboxes: a field posted once or several times; kept as one value per line. */
const allStrings = (v: unknown): string | undefined => {
  const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  const joined = list
    .map((x) => x.trim())
    .filter(Boolean)
    .join('\n');
  return joined || undefined;
};

/** Reads the known fields of a posted form; anything else is ignored. */
export function readForm(body: unknown): FormValues {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = field === 'purposes' ? allStrings(raw[field]) : firstString(raw[field])?.trim();
    if (value) values[field] = value;
  }
  return values;
}

/** The purposes ticked on the objection form. */
export const tickedPurposes = (values: FormValues): string[] => (values.purposes ? values.purposes.split('\n') : []);

/** The form as a `NewRequest`, or the errors to show next to its fields. */
export function parseRequestForm(
  values: FormValues,
  lang: Lang,
  /** The purposes a person can object to (policy/objections.ts). */
  objectable: ReadonlyArray<string> = [],
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
    purposes: type.data === 'objection' ? tickedPurposes(values).filter((p) => objectable.includes(p)) : undefined,
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
  if (field === 'purposes') return 'objectionRequired';
  return 'tooLong';
}
