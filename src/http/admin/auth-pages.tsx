import type { VNode } from 'preact';
import type { Role } from '../../admin/users.ts';
import { AdminBarePage, CsrfField } from './admin-layout.tsx';

/** A clock time in the officer's zone: "om 14:05". */
export function localTime(at: Date): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' }).format(
    at,
  );
}

function Problem({ text }: { text?: string }) {
  return text ? (
    <p class="problem" role="alert">
      {text}
    </p>
  ) : null;
}

export function LoginPage(props: {
  csrf: string;
  next?: string;
  email?: string;
  problem?: string;
  notice?: string;
}): VNode {
  return (
    <AdminBarePage title="Inloggen">
      {props.notice && <p class="notice">{props.notice}</p>}
      <Problem text={props.problem} />
      <form method="post" action="/admin/login" class="stack">
        <CsrfField token={props.csrf} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <label>
          E-mailadres
          <input type="email" name="email" value={props.email ?? ''} autocomplete="username" required />
        </label>
        <label>
          Wachtwoord (password)
          <input type="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Inloggen</button>
      </form>
    </AdminBarePage>
  );
}

export function TotpPage(props: { csrf: string; next?: string; problem?: string }): VNode {
  return (
    <AdminBarePage title="Tweede stap: code">
      <p>Voer de zescijferige code uit uw authenticator-app in (the 6-digit code from your authenticator app).</p>
      <Problem text={props.problem} />
      <form method="post" action="/admin/login/totp" class="stack">
        <CsrfField token={props.csrf} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <label>
          Code
          <input
            type="text"
            name="code"
            inputmode="numeric"
            pattern="[0-9 ]{6,7}"
            autocomplete="one-time-code"
            required
          />
        </label>
        <button type="submit">Bevestigen</button>
      </form>
    </AdminBarePage>
  );
}

export const lockedText = (until: Date) =>
  `Te veel mislukte pogingen. Inloggen kan weer om ${localTime(until)} (too many failed attempts; try again at ${localTime(until)}, Amsterdam time).`;

export function SetupPage(props: {
  csrf: string;
  token: string;
  email: string;
  role: Role;
  totpSecret: string;
  totpUri: string;
  problem?: string;
}): VNode {
  const grouped = props.totpSecret.match(/.{1,4}/g)?.join(' ') ?? props.totpSecret;
  const officer = props.role === 'officer';
  return (
    <AdminBarePage title="Account instellen">
      <p>
        Account <strong>{props.email}</strong> ({officer ? 'functionaris / officer' : 'medewerker / staff'}). Kies een
        wachtwoord van minstens 12 tekens; een zin van een paar woorden werkt goed.
      </p>
      <Problem text={props.problem} />
      <form method="post" action={`/admin/setup/${props.token}`} class="stack">
        <CsrfField token={props.csrf} />
        <label>
          Wachtwoord (password)
          <input type="password" name="password" autocomplete="new-password" minLength={12} required />
        </label>
        <label>
          Wachtwoord nogmaals (again)
          <input type="password" name="password2" autocomplete="new-password" minLength={12} required />
        </label>
        <fieldset>
          <legend>Tweede factor (TOTP){officer ? ', verplicht' : ', optioneel'}</legend>
          <p>Voeg in uw authenticator-app een account toe met deze sleutel (add this key to your authenticator app):</p>
          <p class="secret">
            <code>{grouped}</code>
          </p>
          <p>
            Op deze telefoon: <a href={props.totpUri}>open in authenticator-app</a>
          </p>
          <details>
            <summary>otpauth-adres</summary>
            <code class="uri">{props.totpUri}</code>
          </details>
          <label>
            Code uit de app{officer ? '' : ' (leeg laten om zonder tweede factor te werken)'}
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
        <button type="submit">Account instellen</button>
      </form>
    </AdminBarePage>
  );
}
