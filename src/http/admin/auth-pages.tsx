import type { VNode } from 'preact';
import type { Role } from '../../admin/users.ts';
import { AdminBarePage, CsrfField } from './admin-layout.tsx';
import type { DeskLang } from './desk-lang.ts';

/** A clock time in the officer's zone: "14:05". */
export function localTime(at: Date): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(
    at,
  );
}

export const AUTH_WORDS = {
  nl: {
    login: 'Inloggen',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    loginButton: 'Inloggen',
    bye: 'U bent uitgelogd.',
    ready: 'Uw account is klaar; log in.',
    fillIn: 'Vul e-mailadres en wachtwoord in.',
    wrong: 'Het e-mailadres of het wachtwoord klopt niet.',
    totpTitle: 'Tweede stap: code',
    totpIntro: 'Voer de zescijferige code uit uw authenticator-app in.',
    code: 'Code',
    confirm: 'Bevestigen',
    wrongCode: 'De code klopt niet.',
    stepExpired: 'De inlogstap is verlopen; begin opnieuw.',
    locked: (t: string) => `Te veel mislukte pogingen. Inloggen kan weer om ${t} (Nederlandse tijd).`,
    control: (field: string) => `${field}: bevat een onzichtbaar stuurteken, zoals NUL.`,
    formExpired: 'Formulier verlopen',
    formExpiredText:
      'Dit formulier is verlopen of kwam niet van deze site. Er is niets gewijzigd; laad de pagina opnieuw.',
    again: 'Opnieuw',
    setupTitle: 'Account instellen',
    account: (email: string, officer: boolean) =>
      `Account ${email} (${officer ? 'functionaris gegevensbescherming' : 'medewerker'}). Kies een wachtwoord van minstens 12 tekens; een zin van een paar woorden werkt goed.`,
    password2: 'Wachtwoord nogmaals',
    secondFactor: (officer: boolean) =>
      `Tweede factor (authenticator-app)${officer ? ', verplicht' : ', niet verplicht'}`,
    scan: 'Scan de QR-code met uw authenticator-app, of typ de sleutel eronder over.',
    qrLabel: 'QR-code voor uw authenticator-app',
    key: 'Sleutel',
    onThisPhone: 'Op deze telefoon:',
    openApp: 'open in de authenticator-app',
    codeFromApp: (officer: boolean) =>
      `Code uit de app${officer ? '' : ' (leeg laten om zonder tweede factor te werken)'}`,
    setupButton: 'Account instellen',
    formIncomplete: 'Vul het formulier helemaal in.',
    differ: 'De twee wachtwoorden zijn niet gelijk.',
    linkExpired: 'Link verlopen',
    linkUsed: 'Link al gebruikt',
    linkUnknown: 'Link onbekend',
    linkExpiredText: 'Deze instellink is verlopen (72 uur). Vraag de beheerder om een nieuwe.',
    linkUsedText: 'Deze instellink is al gebruikt; een link werkt één keer. Log in, of vraag om een nieuwe link.',
    linkUnknownText: 'Deze instellink kennen we niet. Controleer de link of vraag om een nieuwe.',
    toLogin: 'Naar inloggen',
    fields: {
      email: 'E-mailadres',
      password: 'Wachtwoord',
      password2: 'Wachtwoord nogmaals',
      code: 'Code',
      next: 'Vervolgadres',
    } as Record<string, string>,
  },
  en: {
    login: 'Log in',
    email: 'E-mail address',
    password: 'Password',
    loginButton: 'Log in',
    bye: 'You are logged out.',
    ready: 'Your account is ready; please log in.',
    fillIn: 'Fill in your e-mail address and password.',
    wrong: 'The e-mail address or the password is wrong.',
    totpTitle: 'Second step: code',
    totpIntro: 'Enter the six-digit code from your authenticator app.',
    code: 'Code',
    confirm: 'Confirm',
    wrongCode: 'The code is wrong.',
    stepExpired: 'The login step has expired; please start again.',
    locked: (t: string) => `Too many failed attempts. You can log in again at ${t} (Dutch time).`,
    control: (field: string) => `${field}: contains an invisible control character, such as NUL.`,
    formExpired: 'Form expired',
    formExpiredText: 'This form has expired or did not come from this site. Nothing was changed; reload the page.',
    again: 'Again',
    setupTitle: 'Set up your account',
    account: (email: string, officer: boolean) =>
      `Account ${email} (${officer ? 'data protection officer' : 'staff'}). Choose a password of at least 12 characters; a sentence of a few words works well.`,
    password2: 'Password again',
    secondFactor: (officer: boolean) => `Second factor (authenticator app)${officer ? ', required' : ', optional'}`,
    scan: 'Scan the QR code with your authenticator app, or type the key below it.',
    qrLabel: 'QR code for your authenticator app',
    key: 'Key',
    onThisPhone: 'On this phone:',
    openApp: 'open in the authenticator app',
    codeFromApp: (officer: boolean) =>
      `Code from the app${officer ? '' : ' (leave empty to work without a second factor)'}`,
    setupButton: 'Set up the account',
    formIncomplete: 'Please fill in the whole form.',
    differ: 'The two passwords are not the same.',
    linkExpired: 'Link expired',
    linkUsed: 'Link used already',
    linkUnknown: 'Link unknown',
    linkExpiredText: 'This setup link has expired (72 hours). Ask the administrator for a new one.',
    linkUsedText: 'This setup link has been used; a link works once. Log in, or ask for a new link.',
    linkUnknownText: 'We do not know this setup link. Check the link or ask for a new one.',
    toLogin: 'To the login page',
    fields: {
      email: 'E-mail address',
      password: 'Password',
      password2: 'Password again',
      code: 'Code',
      next: 'Next page',
    } as Record<string, string>,
  },
};

function Problem({ text }: { text?: string }) {
  return text ? (
    <p class="problem" role="alert">
      {text}
    </p>
  ) : null;
}

/** The address of a page before login in the other language. */
const other = (path: string, lang: DeskLang) =>
  `${path}${path.includes('?') ? '&' : '?'}lang=${lang === 'nl' ? 'en' : 'nl'}`;

export function LoginPage(props: {
  csrf: string;
  lang: DeskLang;
  next?: string;
  email?: string;
  problem?: string;
  notice?: string;
}): VNode {
  const w = AUTH_WORDS[props.lang];
  const path = props.next ? `/admin/login?next=${encodeURIComponent(props.next)}` : '/admin/login';
  return (
    <AdminBarePage title={w.login} lang={props.lang} switchTo={other(path, props.lang)}>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <Problem text={props.problem} />
      <form method="post" action="/admin/login" class="stack">
        <CsrfField token={props.csrf} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <label>
          {w.email}
          <input type="email" name="email" value={props.email ?? ''} autocomplete="username" required />
        </label>
        <label>
          {w.password}
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit">{w.loginButton}</button>
      </form>
    </AdminBarePage>
  );
}

export function TotpPage(props: { csrf: string; lang: DeskLang; next?: string; problem?: string }): VNode {
  const w = AUTH_WORDS[props.lang];
  return (
    <AdminBarePage title={w.totpTitle} lang={props.lang}>
      <p>{w.totpIntro}</p>
      <Problem text={props.problem} />
      <form method="post" action="/admin/login/totp" class="stack">
        <CsrfField token={props.csrf} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <label>
          {w.code}
          <input
            type="text"
            name="code"
            inputmode="numeric"
            pattern="[0-9 ]{6,7}"
            autocomplete="one-time-code"
            required
          />
        </label>
        <button type="submit">{w.confirm}</button>
      </form>
    </AdminBarePage>
  );
}

export const lockedText = (until: Date, lang: DeskLang) => AUTH_WORDS[lang].locked(localTime(until));

export function SetupPage(props: {
  csrf: string;
  lang: DeskLang;
  token: string;
  email: string;
  role: Role;
  totpSecret: string;
  totpUri: string;
  /** The otpauth address as an SVG QR code, made on the server. */
  qrSvg: string;
  problem?: string;
}): VNode {
  const w = AUTH_WORDS[props.lang];
  const grouped = props.totpSecret.match(/.{1,4}/g)?.join(' ') ?? props.totpSecret;
  const officer = props.role === 'officer';
  return (
    <AdminBarePage title={w.setupTitle} lang={props.lang} switchTo={other(`/admin/setup/${props.token}`, props.lang)}>
      <p>{w.account(props.email, officer)}</p>
      <Problem text={props.problem} />
      <form method="post" action={`/admin/setup/${props.token}`} class="stack">
        <CsrfField token={props.csrf} />
        <label>
          {w.password}
          <input type="password" name="password" autocomplete="new-password" minLength={12} required />
        </label>
        <label>
          {w.password2}
          <input type="password" name="password2" autocomplete="new-password" minLength={12} required />
        </label>
        <fieldset>
          <legend>{w.secondFactor(officer)}</legend>
          <p>{w.scan}</p>
          <div class="totp">
            {/* Made by the qrcode library from the otpauth address: paths only, no script, no text from outside. */}
            <div class="qr-box" dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
            <div>
              <p class="secret">
                {w.key}: <code>{grouped}</code>
              </p>
              <p>
                {w.onThisPhone} <a href={props.totpUri}>{w.openApp}</a>
              </p>
            </div>
          </div>
          <label>
            {w.codeFromApp(officer)}
            <input
              type="text"
              name="code"
              inputmode="numeric"
              pattern="[0-9 ]{6,7}"
              autocomplete="one-time-code"
              required={officer}
            />
          </label>
        </fieldset>
        <button type="submit">{w.setupButton}</button>
      </form>
    </AdminBarePage>
  );
}
