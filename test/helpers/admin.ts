import { totpCode } from '../../src/admin/totp.ts';
import type { Role } from '../../src/admin/users.ts';
import type { AdminUser } from '../../src/http/admin/session.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { TestApp } from './app.ts';

export const ADMIN_PASSWORD = 'zonnepaneel op het balkon 42';

/** The TOTP code an authenticator app would show now, on the test's (fake) clock. */
export const totpNow = (secret: string, clock: Clock): string => totpCode(secret, clock);

/** The value of one cookie from a response's set-cookie headers. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of all) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1);
  }
  return undefined;
}

/** The `_csrf` value of the first form in a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field in the page');
  return m[1]!;
}

/** POSTs a form as a browser does (urlencoded, asking for HTML), with the given cookie header. */
export function postForm(
  t: TestApp,
  url: string,
  form: Record<string, string>,
  cookie?: string,
  remoteAddress?: string,
) {
  return t.app.inject({
    method: 'POST',
    url,
    ...(remoteAddress ? { remoteAddress } : {}),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      ...(cookie ? { cookie } : {}),
    },
    payload: new URLSearchParams(form).toString(),
  });
}

let counter = 0;
let helperClient = 0;
/** A documentation address (RFC 5737) not used by any test's own clients. */
const nextHelperClient = () => `198.51.100.${(helperClient++ % 250) + 1}`;

/**
 * A back-office account that has finished setup (password, and TOTP for an officer), not logged in:
 * for browser tests that log in through the pages. Setup spends the code of the step before now (one
 * step of drift is accepted), so a login can use the code for now; each login with TOTP spends its
 * step, so a second one needs the clock 30 s further on.
 */
export async function createAdminUser(
  t: TestApp,
  role: Role,
  options: { email?: string } = {},
): Promise<{ user: AdminUser; password: string; totpSecret?: string }> {
  const email = options.email ?? `${role}${++counter}@balkonzon.test`;
  const users = t.services.admin.users;
  const { setupLink } = await users.add(email, role);
  const token = setupLink.split('/').at(-1)!;
  const setup = await users.openSetup(token);
  if (setup.state !== 'ready') throw new Error(`setup link is ${setup.state}`);
  const totpSecret = role === 'officer' ? setup.totpSecret : undefined;
  const stepBefore = { now: () => new Date(t.clock.now().getTime() - 30_000) };
  const account = await users.completeSetup(token, {
    password: ADMIN_PASSWORD,
    totpCode: totpSecret ? totpNow(totpSecret, stepBefore) : undefined,
  });
  // One time in a million the step before and now have the same code: setup then spent now's step, and a
  // login must wait for the next one.
  if (totpSecret && totpNow(totpSecret, stepBefore) === totpNow(totpSecret, t.clock)) t.clock.advance(30_000);
  return {
    user: { id: account.id, email: account.email, role: account.role, language: account.language },
    password: ADMIN_PASSWORD,
    totpSecret,
  };
}

/**
 * A logged-in back-office user: created through the real service, set up (password, and TOTP for an
 * officer), logged in through the real routes. Returns the `cookie` header value to send and a CSRF
 * token valid for that session.
 */
export async function adminLogin(
  t: TestApp,
  role: Role,
  options: { email?: string } = {},
): Promise<{ cookie: string; csrf: string; user: AdminUser; totpSecret?: string }> {
  const { user, totpSecret } = await createAdminUser(t, role, options);
  const email = user.email;
  const page = await t.app.inject({ method: 'GET', url: '/admin/login' });
  const pre = cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')!;
  // Each login from an address of its own: the login routes limit each client to 10 posts a minute.
  const remoteAddress = nextHelperClient();
  const step1 = await postForm(
    t,
    '/admin/login',
    { _csrf: csrfFrom(page.body), email, password: ADMIN_PASSWORD },
    `inzage_admin_pre=${pre}`,
    remoteAddress,
  );
  let session = cookieFrom(step1.headers['set-cookie'], 'inzage_admin');
  if (totpSecret) {
    if (step1.statusCode !== 200) throw new Error(`login answered ${step1.statusCode}`);
    const step2 = await postForm(
      t,
      '/admin/login/totp',
      { _csrf: csrfFrom(step1.body), code: totpNow(totpSecret, t.clock) },
      `inzage_admin=${session}`,
      remoteAddress,
    );
    if (step2.statusCode !== 303) throw new Error(`TOTP step answered ${step2.statusCode}`);
    session = cookieFrom(step2.headers['set-cookie'], 'inzage_admin');
  } else if (step1.statusCode !== 303) {
    throw new Error(`login answered ${step1.statusCode}`);
  }
  const cookie = `inzage_admin=${session}`;
  return { cookie, csrf: t.services.admin.sessions.csrfFor(session!), user, totpSecret };
}
