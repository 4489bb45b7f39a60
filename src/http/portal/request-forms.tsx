import type { ComponentChildren } from 'preact';
import { objectablePurposes } from '../../policy/objections.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { REQUEST_TYPES, type RequestType } from '../../requests/request.types.ts';
import type { Lang } from '../lang.ts';
import {
  CORRECTION_ROLES,
  type CorrectionRole,
  type FormErrors,
  type FormValues,
  tickedPurposes,
} from './request-input.ts';
import { type RequestTexts, requestTexts } from './request-texts.ts';

/** The form that was posted and failed, shown again with its values and errors. */
export interface Submitted {
  type?: RequestType;
  values: FormValues;
  errors: FormErrors;
}

const AUTOCOMPLETE: Partial<Record<CorrectionRole, string>> = {
  first_name: 'given-name',
  last_name: 'family-name',
  phone: 'tel',
  street: 'address-line1',
  postal_code: 'postal-code',
  city: 'address-level2',
};

/** The first sentence of the policy's text for a right (closure has none of its own). */
function policySentence(policy: Policy, type: RequestType, lang: Lang): string | undefined {
  const text = policy.rights.items.find((item) => item.right === type)?.text[lang];
  const paragraph = text?.split(/\n\s*\n/)[0]?.trim();
  if (!paragraph) return undefined;
  return paragraph.split(/(?<=[.!?])\s+(?=\p{Lu})/u)[0];
}

/**
 * The portal's home asks first which right the person wants (`GET /`): each right a plain link to its own
 * page, `/?right=<type>`, which shows only that form. No JavaScript either way. A form that came back with
 * errors shows on its own page again, with a summary of the errors.
 */
export function RequestHome(props: { lang: Lang; policy: Policy; submitted?: Submitted; right?: RequestType }) {
  const { lang, policy, submitted } = props;
  const right = submitted ? submitted.type : props.right;
  if (right) return <RightPage lang={lang} policy={policy} type={right} submitted={submitted} />;
  const t = requestTexts[lang];
  const shop = policy.controller.name;
  return (
    <>
      <h1>{t.home.title}</h1>
      {submitted && <ErrorSummary t={t} submitted={submitted} />}
      <p>{t.home.intro(shop)}</p>
      <p>{t.home.answer(policy.rights.answerWithinDays)}</p>
      <p>{t.home.how}</p>
      <p>
        <a href={`/privacy?lang=${lang}`}>{t.home.policy}</a>
      </p>
      <nav class="toc choices" aria-labelledby="toc-title">
        <h2 id="toc-title">{t.home.toc}</h2>
        <ul>
          {REQUEST_TYPES.map((type) => (
            <li key={type} id={type}>
              <a href={rightHref(type, lang)}>{t.rights[type].name}</a>
              <p>{t.rights[type].lead ?? policySentence(policy, type, lang) ?? t.rights[type].next}</p>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

/** The page of one right's form: `/?right=<type>&lang=<lang>`. */
export const rightHref = (type: RequestType, lang: Lang) => `/?right=${type}&lang=${lang}`;

/** One right: its form alone, with a way back to the choice. */
function RightPage(props: { lang: Lang; policy: Policy; type: RequestType; submitted: Submitted | undefined }) {
  const { lang, policy, type, submitted } = props;
  const t = requestTexts[lang];
  return (
    <>
      <p class="back">
        <a href={`/?lang=${lang}`}>{t.home.back}</a>
      </p>
      {submitted && <ErrorSummary t={t} submitted={submitted} />}
      <RightForm
        type={type}
        lang={lang}
        policy={policy}
        lead={t.rights[type].lead ?? policySentence(policy, type, lang)}
        submitted={submitted}
        main
      />
      <p>{t.home.answer(policy.rights.answerWithinDays)}</p>
      <p>
        <a href={`/privacy?lang=${lang}`}>{t.home.policy}</a>
      </p>
    </>
  );
}

/** Where an error's link in the summary points: the field, or the first correction input or purpose. */
const fieldId = (type: RequestType, field: string) =>
  field === 'corrections'
    ? `${type}-corrections-${CORRECTION_ROLES[0]}`
    : field === 'purposes'
      ? `${type}-purposes-0`
      : `${type}-${field.replace('.', '-')}`;

/** Art. 21: the objection names the purposes it is about, as checkboxes of the policy's purposes. */
function PurposeChoice(props: {
  type: RequestType;
  lang: Lang;
  policy: Policy;
  values: FormValues;
  error: FormErrors[string] | undefined;
}) {
  const { type, lang, policy, values, error } = props;
  const t = requestTexts[lang];
  const ticked = tickedPurposes(values);
  const hint = `${type}-purposes-hint`;
  return (
    <fieldset
      class={error ? 'purposes has-error' : 'purposes'}
      aria-describedby={`${hint}${error ? ` ${type}-purposes-error` : ''}`}
    >
      <legend>{t.form.purposes}</legend>
      <p id={hint} class="hint">
        {t.form.purposesHint}
      </p>
      {error && <FieldError id={`${type}-purposes-error`}>{t.errors[error]}</FieldError>}
      {objectablePurposes(policy).map((p, i) => (
        <div class="choice" key={p.id}>
          <input
            type="checkbox"
            id={`${type}-purposes-${i}`}
            name="purposes"
            value={p.id}
            checked={ticked.includes(p.id)}
          />
          <label for={`${type}-purposes-${i}`}>
            {p.name[lang]}
            {p.directMarketing ? ` ${t.form.directMarketing}` : ''}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

function ErrorSummary({ t, submitted }: { t: RequestTexts; submitted: Submitted }) {
  const { type } = submitted;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t.errors.summary}</h2>
      <ul>
        {Object.entries(submitted.errors).map(([field, key]) => (
          <li key={field}>
            <a href={type ? `#${fieldId(type, field)}` : '#toc-title'}>
              {type ? `${t.rights[type].name}: ` : ''}
              {t.errors[key]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface RightFormProps {
  type: RequestType;
  lang: Lang;
  policy: Policy;
  lead: string | undefined;
  submitted: Submitted | undefined;
  /** The page's own heading (h1): the form is the page. */
  main?: boolean;
}

function RightForm({ type, lang, policy, lead, submitted, main }: RightFormProps) {
  const t = requestTexts[lang];
  const right = t.rights[type];
  const values = submitted?.values ?? {};
  const errors = submitted?.errors ?? {};
  const field = (name: string, label: string, input: Omit<InputProps, 'id' | 'name' | 'label' | 'value' | 'error'>) => (
    <Field
      id={`${type}-${name.replace('.', '-')}`}
      name={name}
      label={label}
      value={values[name]}
      error={errors[name] && t.errors[errors[name]]}
      {...input}
    />
  );
  return (
    <section id={type} class="right" aria-labelledby={`${type}-title`}>
      {main ? <h1 id={`${type}-title`}>{right.name}</h1> : <h2 id={`${type}-title`}>{right.name}</h2>}
      {lead && <p>{lead}</p>}
      <p>{right.next}</p>
      <form method="post" action="/requests" class="request-form">
        <input type="hidden" name="type" value={type} />
        <input type="hidden" name="language" value={lang} />
        {field('email', t.form.email, {
          type: 'email',
          required: true,
          autocomplete: 'email',
          maxLength: 254,
          hint: t.form.emailHint,
        })}
        {field('name', `${t.form.name} ${t.form.optional}`, { autocomplete: 'name', maxLength: 200 })}
        {type === 'rectification' && (
          <fieldset
            class={errors.corrections ? 'corrections has-error' : 'corrections'}
            aria-describedby={`${type}-corrections-hint${errors.corrections ? ` ${type}-corrections-error` : ''}`}
          >
            <legend>{t.form.corrections}</legend>
            <p id={`${type}-corrections-hint`} class="hint">
              {t.form.correctionsHint}
            </p>
            {errors.corrections && (
              <FieldError id={`${type}-corrections-error`}>{t.errors[errors.corrections]}</FieldError>
            )}
            {CORRECTION_ROLES.map((role) =>
              field(`corrections.${role}`, t.form.roles[role], {
                type: role === 'phone' ? 'tel' : 'text',
                autocomplete: AUTOCOMPLETE[role] ?? 'off',
                maxLength: 500,
              }),
            )}
          </fieldset>
        )}
        {type === 'objection' && (
          <PurposeChoice type={type} lang={lang} policy={policy} values={values} error={errors.purposes} />
        )}
        {type === 'objection' && field('message', t.form.message, { multiline: true, maxLength: 5000 })}
        {field('deliverTo', t.form.deliverTo, { maxLength: 500, hint: t.form.deliverToHint })}
        <button type="submit">{right.submit}</button>
      </form>
    </section>
  );
}

interface InputProps {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  error: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'tel';
  required?: boolean;
  autocomplete?: string;
  maxLength: number;
  multiline?: boolean;
}

/** A labelled input with its hint and error tied to it through aria-describedby. */
function Field({
  id,
  name,
  label,
  value,
  error,
  hint,
  type = 'text',
  required,
  autocomplete,
  maxLength,
  multiline,
}: InputProps) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    required,
    maxLength,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
  };
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`}>{error}</FieldError>}
      {multiline ? (
        <textarea {...common} rows={4} value={value} />
      ) : (
        // An address is text typed on the e-mail keyboard: a browser's type="email" refuses valid addresses
        // (a local part such as zoë@…) and rewrites a domain such as bücher.de into punycode, so that the
        // person would not be found as the shop wrote them. The server checks every address alike.
        <input
          {...common}
          type={type === 'email' ? 'text' : (type as 'text')}
          inputMode={type === 'email' ? 'email' : undefined}
          spellcheck={type === 'email' ? false : undefined}
          autocomplete={autocomplete}
          value={value}
        />
      )}
    </div>
  );
}

function FieldError({ id, children }: { id: string; children: ComponentChildren }) {
  return (
    <p id={id} class="field-error">
      {children}
    </p>
  );
}
