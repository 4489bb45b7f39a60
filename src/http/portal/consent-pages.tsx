import type { Lang } from '../lang.ts';
import { type ConsentErrorKey, consentTexts } from './consent-texts.tsx';
import { Notice } from './layout.tsx';

/** The pages for withdrawing contact consent: the form, and one notice per step after it. */

export interface PurposeChoice {
  id: string;
  name: string;
  note?: string;
}

/** The form that came back with errors, shown again with what the person chose. */
export interface WithdrawSubmitted {
  email: string;
  purposes: string[];
  errors: Partial<Record<'email' | 'purposes', ConsentErrorKey>>;
}

const FORM_PATH = '/consent/withdraw';

function Back({ lang, href, label }: { lang: Lang; href?: string; label?: string }) {
  return (
    <p>
      <a href={href ?? `/?lang=${lang}`}>{label ?? consentTexts[lang].back}</a>
    </p>
  );
}

/** The form: the address, and a checkbox per consent purpose for contact (all ticked unless the person chose). */
export function WithdrawForm(props: {
  lang: Lang;
  shop: string;
  purposes: PurposeChoice[];
  submitted?: WithdrawSubmitted;
}) {
  const { lang, purposes, submitted } = props;
  const t = consentTexts[lang].form;
  if (purposes.length === 0) {
    return (
      <Notice title={t.title}>
        <p>{t.none}</p>
        <Back lang={lang} />
      </Notice>
    );
  }
  const errors = submitted?.errors ?? {};
  const chosen = new Set(submitted ? submitted.purposes : purposes.map((p) => p.id));
  const emailDescribed = ['withdraw-email-hint', errors.email && 'withdraw-email-error'].filter(Boolean).join(' ');
  return (
    <>
      <h1>{t.title}</h1>
      {Object.keys(errors).length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">{t.summary}</h2>
          <ul>
            {errors.email && (
              <li>
                <a href="#withdraw-email">{t.errors[errors.email]}</a>
              </li>
            )}
            {errors.purposes && (
              <li>
                <a href={`#withdraw-purpose-${purposes[0]!.id}`}>{t.errors[errors.purposes]}</a>
              </li>
            )}
          </ul>
        </div>
      )}
      <p>{t.intro(props.shop)}</p>
      <p>{t.how}</p>
      <form method="post" action={`${FORM_PATH}?lang=${lang}`} class="request-form">
        <input type="hidden" name="language" value={lang} />
        <div class={errors.email ? 'field has-error' : 'field'}>
          <label for="withdraw-email">{t.email}</label>
          <p id="withdraw-email-hint" class="hint">
            {t.emailHint}
          </p>
          {errors.email && (
            <p id="withdraw-email-error" class="field-error">
              {t.errors[errors.email]}
            </p>
          )}
          <input
            id="withdraw-email"
            name="email"
            type="text"
            inputMode="email"
            spellcheck={false}
            required
            autocomplete="email"
            maxLength={254}
            value={submitted?.email}
            aria-describedby={emailDescribed}
            aria-invalid={errors.email ? 'true' : undefined}
          />
        </div>
        <fieldset
          class={errors.purposes ? 'purposes has-error' : 'purposes'}
          aria-describedby={errors.purposes ? 'withdraw-purposes-error' : undefined}
        >
          <legend>{t.purposes}</legend>
          {errors.purposes && (
            <p id="withdraw-purposes-error" class="field-error">
              {t.errors[errors.purposes]}
            </p>
          )}
          {purposes.map((p) => (
            <p key={p.id}>
              <input
                type="checkbox"
                id={`withdraw-purpose-${p.id}`}
                name="purpose"
                value={p.id}
                checked={chosen.has(p.id)}
              />{' '}
              <label for={`withdraw-purpose-${p.id}`}>{p.name}</label>
              {p.note && <span class="hint"> {p.note}</span>}
            </p>
          ))}
        </fieldset>
        <button type="submit">{t.submit}</button>
      </form>
    </>
  );
}

/** After the form: the same page whoever the address belongs to. */
export function WithdrawSentPage({ lang }: { lang: Lang }) {
  const t = consentTexts[lang].sent;
  return (
    <Notice title={t.title}>
      {t.body.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <Back lang={lang} />
    </Notice>
  );
}

/** Behind the link: the statement that will be recorded, and one button; opening the page changes nothing. */
export function WithdrawReadyPage({ lang, statement, action }: { lang: Lang; statement: string; action: string }) {
  const t = consentTexts[lang].ready;
  return (
    <Notice title={t.title}>
      <blockquote>
        <p>{statement}</p>
      </blockquote>
      <p>{t.body}</p>
      <form method="post" action={action} class="confirm-form">
        <button type="submit">{t.button}</button>
      </form>
      <p class="muted">{t.notYou}</p>
    </Notice>
  );
}

export function WithdrawnPage({ lang, names }: { lang: Lang; names: string[] }) {
  const t = consentTexts[lang].withdrawn;
  return (
    <Notice title={t.title}>
      <ul>
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <p>{t.body}</p>
      <Back lang={lang} />
    </Notice>
  );
}

export function WithdrawExpiredPage({ lang }: { lang: Lang }) {
  const t = consentTexts[lang].expired;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <Back lang={lang} href={`${FORM_PATH}?lang=${lang}`} label={t.link} />
    </Notice>
  );
}

export function WithdrawUnknownPage({ lang }: { lang: Lang }) {
  const t = consentTexts[lang].unknown;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <Back lang={lang} />
    </Notice>
  );
}

export function WithdrawRateLimitedPage({ lang }: { lang: Lang }) {
  const t = consentTexts[lang].rateLimited;
  return (
    <Notice title={t.title}>
      <p role="alert">{t.body}</p>
      <Back lang={lang} />
    </Notice>
  );
}
