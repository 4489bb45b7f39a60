import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localTime } from '../src/http/admin/auth-pages.tsx';
import { DEVICE_COOKIE, sessionCookieOptions } from '../src/http/admin/session.ts';
import { HOUR, MINUTE, SECOND } from '../src/lib/clock.ts';
import {
  ADMIN_PASSWORD,
  adminLogin,
  cookieFrom,
  createAdminUser,
  csrfFrom,
  postForm,
  totpNow,
} from './helpers/admin.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

let client = 10;
/** Each test speaks from an address of its own, so the per-client count of one does not touch another. */
const nextClient = () => `192.0.2.${++client}`;

for (const dialect of DIALECTS) {
  describe(`back-office login on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    before(async () => {
      t = await buildTestApp(dialect);
    });
    after(async () => {
      await t?.close();
    });

    const get = (url: string, cookie?: string) =>
      t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

    /** Opens the login page from one client and returns a function that posts the login form from there. */
    const loginFrom = async (ip: string) => {
      const page = await t.app.inject({ method: 'GET', url: '/admin/login', remoteAddress: ip });
      const pre = `inzage_admin_pre=${cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')}`;
      const csrf = csrfFrom(page.body);
      return (email: string, password: string, cookie = '') =>
        t.app.inject({
          method: 'POST',
          url: '/admin/login',
          remoteAddress: ip,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'text/html',
            cookie: [pre, cookie].filter(Boolean).join('; '),
          },
          payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
        });
    };

    it('sends a visitor without a session from /admin to the login page, and back after login', async () => {
      const res = await get('/admin/requests?status=open');
      assert.equal(res.statusCode, 302);
      assert.equal(res.headers.location, '/admin/login?next=%2Fadmin%2Frequests%3Fstatus%3Dopen');
      assert.equal((await get('/admin')).headers.location, '/admin/login?next=%2Fadmin');
      const post = await postForm(t, '/admin/logout', {});
      assert.equal(post.statusCode, 401);
    });

    it('shows staff a 403 page on an officer page, and the officer the page', async () => {
      const staff = await adminLogin(t, 'staff');
      const officer = await adminLogin(t, 'officer');
      const refused = await get('/admin/audit', staff.cookie);
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Geen toegang/);
      assert.doesNotMatch(refused.body, /href="\/admin\/audit"/, 'staff do not see officer links');
      const shown = await get('/admin/audit', officer.cookie);
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /Keten intact/);
      assert.equal(shown.headers['cache-control'], 'no-store');
    });

    it('locks an account after 5 wrong passwords with a clear time, the same for an unknown address, until 15 minutes pass', async () => {
      const known = await adminLogin(t, 'staff');
      // Two clients, so neither reaches the per-client rate limit of the login route.
      const post = await loginFrom(nextClient());
      const postUnknown = await loginFrom(nextClient());
      const statuses: number[] = [];
      const unknownStatuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await post(known.user.email, 'wrong password 123')).statusCode);
        unknownStatuses.push((await postUnknown('nobody@balkonzon.test', 'wrong password 123')).statusCode);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
      assert.deepEqual(unknownStatuses, statuses, 'an unknown address is answered exactly like a known one');
      const locked = await post(known.user.email, ADMIN_PASSWORD);
      const lockedUnknown = await postUnknown('nobody@balkonzon.test', ADMIN_PASSWORD);
      const [refusedUnknown, refused] = await t.services.audit.list({ limit: 2 });
      assert.deepEqual(
        [refused!.action, refused!.actor, refused!.details?.step],
        ['login.refused', `user:${known.user.id}`, 'password'],
        'an attempt while locked is on the record, by account id',
      );
      assert.deepEqual([refusedUnknown!.action, refusedUnknown!.actor], ['login.refused', 'system']);
      assert.equal(locked.statusCode, 429, 'even the right password waits');
      const until = localTime(new Date(t.clock.now().getTime() + 15 * MINUTE));
      assert.match(locked.body, new RegExp(`Te veel mislukte pogingen\\. Inloggen kan weer om ${until}`));
      assert.equal(until, '10:15', 'Amsterdam time: 09:00 UTC is 10:00 in November');
      const text = (body: string) => /<p class="problem"[^>]*>([^<]*)</.exec(body)?.[1];
      assert.equal(text(locked.body), text(lockedUnknown.body));
      assert.equal(cookieFrom(locked.headers['set-cookie'], 'inzage_admin'), undefined);

      t.clock.advance(15 * MINUTE);
      const after = await post(known.user.email, ADMIN_PASSWORD);
      assert.equal(after.statusCode, 303);
      const actions = (await t.services.audit.list({ limit: 50 })).map((e) => e.action);
      assert.ok(actions.includes('login.locked'));
      assert.ok(actions.includes('login.failed'));
    });

    it('checks at most 5 of 40 passwords sent at once for one account, and refuses the right one sent last', async () => {
      const { user } = await createAdminUser(t, 'staff');
      const page = await t.app.inject({ method: 'GET', url: '/admin/login' });
      const pre = `inzage_admin_pre=${cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')}`;
      const csrf = csrfFrom(page.body);
      const passwords = Array.from({ length: 40 }, (_, i) => (i === 39 ? ADMIN_PASSWORD : `wrong password ${i}`));
      // From 40 addresses: the account's count alone has to hold them back.
      const results = await Promise.all(
        passwords.map((password) =>
          postForm(t, '/admin/login', { _csrf: csrf, email: user.email, password }, pre, nextClient()),
        ),
      );
      const entries = (await t.services.audit.list({ limit: 1000 })).filter((e) => e.actor === `user:${user.id}`);
      const count = (action: string) => entries.filter((e) => e.action === action).length;
      assert.equal(count('login.failed'), 5, 'five passwords checked, then the lock');
      assert.equal(count('login.refused'), 35, 'every other attempt refused unchecked, and on the record');
      assert.equal(count('login'), 0);
      assert.equal(results.at(-1)!.statusCode, 429, 'the right password waits for the lock too');
      assert.equal(results.filter((r) => r.statusCode === 429).length, 36);
      t.clock.advance(15 * MINUTE);
      const after = await postForm(
        t,
        '/admin/login',
        { _csrf: csrf, email: user.email, password: ADMIN_PASSWORD },
        pre,
      );
      assert.equal(after.statusCode, 303);
    });

    it('refuses the TOTP step while the account is locked, and puts the attempt on the record', async () => {
      const officer = await createAdminUser(t, 'officer');
      const step1 = await (await loginFrom(nextClient()))(officer.user.email, ADMIN_PASSWORD);
      assert.equal(step1.statusCode, 200);
      const pending = `inzage_admin=${cookieFrom(step1.headers['set-cookie'], 'inzage_admin')}`;
      const elsewhere = await loginFrom(nextClient());
      for (let i = 0; i < 5; i++) await elsewhere(officer.user.email, 'wrong password 123');
      const code = totpNow(officer.totpSecret!, t.clock);
      const res = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code }, pending);
      assert.equal(res.statusCode, 429);
      assert.match(res.body, /Te veel mislukte pogingen/);
      const [last] = await t.services.audit.list({ limit: 1 });
      assert.deepEqual(
        [last!.action, last!.actor, last!.details?.step],
        ['login.refused', `user:${officer.user.id}`, 'totp'],
      );
    });

    it('limits each client to 10 login posts a minute on each login route', async () => {
      const ip = nextClient();
      const form = () => postForm(t, '/admin/login', {}, undefined, ip);
      const totp = () => postForm(t, '/admin/login/totp', {}, undefined, ip);
      for (let i = 0; i < 10; i++) assert.equal((await form()).statusCode, 403, 'no form token: refused, but counted');
      const limited = await form();
      assert.equal(limited.statusCode, 429);
      assert.ok(limited.headers['retry-after'], 'says when to try again');
      assert.match(String(limited.headers['content-type']), /text\/html/);
      for (let i = 0; i < 10; i++) assert.equal((await totp()).statusCode, 403);
      assert.equal((await totp()).statusCode, 429);
      assert.equal((await postForm(t, '/admin/login', {}, undefined, nextClient())).statusCode, 403, 'per client');
    });

    it('refuses a wrong TOTP code and a replayed one, and logs in with the right one', async () => {
      const officer = await adminLogin(t, 'officer');
      t.clock.advance(31 * SECOND);
      const post = await loginFrom(nextClient());
      const step1 = await post(officer.user.email, ADMIN_PASSWORD);
      assert.equal(step1.statusCode, 200);
      assert.match(step1.body, /Tweede stap/);
      const pending = `inzage_admin=${cookieFrom(step1.headers['set-cookie'], 'inzage_admin')}`;
      assert.equal((await get('/admin', pending)).statusCode, 302, 'the password alone opens nothing');

      const right = totpNow(officer.totpSecret!, t.clock);
      // A wrong code is none of the three steps the server accepts (one step of drift either way).
      const accepted = [-30, 0, 30].map((s) =>
        totpNow(officer.totpSecret!, { now: () => new Date(t.clock.now().getTime() + s * 1000) }),
      );
      let wrong = right;
      for (let n = Number(right); accepted.includes(wrong); n++) wrong = String((n + 1) % 1_000_000).padStart(6, '0');
      const bad = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code: wrong }, pending);
      assert.equal(bad.statusCode, 401);
      assert.match(bad.body, /De code klopt niet/);
      const good = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code: right }, pending);
      assert.equal(good.statusCode, 303);
      const session = `inzage_admin=${cookieFrom(good.headers['set-cookie'], 'inzage_admin')}`;
      assert.notEqual(session, pending, 'the pending session is not promoted: a new token');
      assert.equal((await get('/admin', session)).statusCode, 200);

      const again = await post(officer.user.email, ADMIN_PASSWORD);
      const pending2 = `inzage_admin=${cookieFrom(again.headers['set-cookie'], 'inzage_admin')}`;
      const replay = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(again.body), code: right }, pending2);
      assert.equal(replay.statusCode, 401, 'a code logs in once');
    });

    it('rotates the session at login: the cookie before is not the cookie after, and stops working', async () => {
      const staff = await adminLogin(t, 'staff');
      const post = await loginFrom(nextClient());
      const res = await post(staff.user.email, ADMIN_PASSWORD, staff.cookie);
      assert.equal(res.statusCode, 303);
      const after = `inzage_admin=${cookieFrom(res.headers['set-cookie'], 'inzage_admin')}`;
      assert.notEqual(after, staff.cookie);
      assert.equal((await get('/admin', staff.cookie)).statusCode, 302);
      assert.equal((await get('/admin', after)).statusCode, 200);
      const setCookie = String(res.headers['set-cookie']);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Lax/);
      assert.match(setCookie, /Path=\/admin/);
      assert.doesNotMatch(setCookie, /Secure/, 'plain http in tests');
      assert.equal(sessionCookieOptions('https://privacy.balkonzon.nl').secure, true);
    });

    it('refuses a form without the session token, or with a wrong one, and changes nothing', async () => {
      const staff = await adminLogin(t, 'staff');
      const other = await adminLogin(t, 'staff');
      const sessions = () =>
        t.store.db.selectFrom('admin_sessions').select('hash').where('user_id', '=', staff.user.id).execute();
      const before = (await sessions()).length;
      const forms: Record<string, string>[] = [{}, { _csrf: 'x'.repeat(64) }, { _csrf: other.csrf }];
      for (const form of forms) {
        const res = await postForm(t, '/admin/logout-everywhere', form, staff.cookie);
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /Er is niets gewijzigd/);
      }
      assert.equal((await sessions()).length, before);
      assert.equal((await get('/admin', staff.cookie)).statusCode, 200);

      const noPre = await postForm(t, '/admin/login', { email: staff.user.email, password: ADMIN_PASSWORD });
      assert.equal(noPre.statusCode, 403, 'the login form needs its own token too');
      assert.equal(cookieFrom(noPre.headers['set-cookie'], 'inzage_admin'), undefined);
    });

    it('logs out one session, or every session of the person', async () => {
      const first = await adminLogin(t, 'staff');
      const post = await loginFrom(nextClient());
      const res = await post(first.user.email, ADMIN_PASSWORD);
      const second = `inzage_admin=${cookieFrom(res.headers['set-cookie'], 'inzage_admin')}`;
      assert.equal((await get('/admin', second)).statusCode, 200);

      const everywhere = await postForm(t, '/admin/logout-everywhere', { _csrf: first.csrf }, first.cookie);
      assert.equal(everywhere.statusCode, 303);
      assert.equal(everywhere.headers.location, '/admin/login?bye=1');
      assert.equal((await get('/admin', first.cookie)).statusCode, 302);
      assert.equal((await get('/admin', second)).statusCode, 302);

      const one = await adminLogin(t, 'staff');
      assert.equal((await postForm(t, '/admin/logout', { _csrf: one.csrf }, one.cookie)).statusCode, 303);
      assert.equal((await get('/admin', one.cookie)).statusCode, 302);
      const actions = (await t.services.audit.list({ limit: 200 })).map((e) => e.action);
      assert.ok(actions.includes('logout') && actions.includes('logout.everywhere'));
    });

    it('ends a session after 30 idle minutes, and after 12 hours however active', async () => {
      const idle = await adminLogin(t, 'staff');
      t.clock.advance(29 * MINUTE);
      assert.equal((await get('/admin', idle.cookie)).statusCode, 200);
      t.clock.advance(29 * MINUTE);
      assert.equal((await get('/admin', idle.cookie)).statusCode, 200, 'each request keeps it alive');
      t.clock.advance(30 * MINUTE);
      assert.equal((await get('/admin', idle.cookie)).statusCode, 302);

      const busy = await adminLogin(t, 'staff');
      for (let elapsed = 0; elapsed < 12 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
        t.clock.advance(20 * MINUTE);
        assert.equal((await get('/admin', busy.cookie)).statusCode, 200);
      }
      t.clock.advance(20 * MINUTE);
      assert.equal((await get('/admin', busy.cookie)).statusCode, 302);
    });

    it('sets up an officer through the link page: TOTP required, then the link is used', async () => {
      const { setupLink } = await t.services.admin.users.add('new.officer@balkonzon.test', 'officer');
      const path = new URL(setupLink).pathname;
      const page = await get(path);
      assert.equal(page.statusCode, 200);
      const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
      assert.match(page.body, /href="otpauth:\/\/totp\//);
      const pre = `inzage_admin_pre=${cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')}`;
      const form = { _csrf: csrfFrom(page.body), password: ADMIN_PASSWORD, password2: ADMIN_PASSWORD };
      const noCode = await postForm(t, path, form, pre);
      assert.equal(noCode.statusCode, 400);
      assert.match(noCode.body, /tweede factor/);
      const weak = await postForm(t, path, { ...form, password: 'password1234', password2: 'password1234' }, pre);
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /lijsten die aanvallers eerst proberen/);
      const setupCode = totpNow(secret, t.clock);
      const done = await postForm(t, path, { ...form, code: setupCode }, pre);
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/admin/login?ready=1');
      assert.equal((await get(path)).statusCode, 409);
      assert.equal((await get('/admin/setup/unknownunknownunknown123')).statusCode, 404);

      const step1 = await (await loginFrom(nextClient()))('new.officer@balkonzon.test', ADMIN_PASSWORD);
      const pending = `inzage_admin=${cookieFrom(step1.headers['set-cookie'], 'inzage_admin')}`;
      const again = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code: setupCode }, pending);
      assert.equal(again.statusCode, 401, 'the code typed at setup is spent');
      t.clock.advance(30 * SECOND);
      const next = totpNow(secret, t.clock);
      const good = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code: next }, pending);
      assert.equal(good.statusCode, 303);
    });

    /** Logs in from a browser of its own and returns that browser's device cookie, as `name=value`. */
    const deviceCookieAfterLogin = async (email: string, totpSecret?: string) => {
      const step1 = await (await loginFrom(nextClient()))(email, ADMIN_PASSWORD);
      let done = step1;
      if (totpSecret) {
        const pending = `inzage_admin=${cookieFrom(step1.headers['set-cookie'], 'inzage_admin')}`;
        const code = totpNow(totpSecret, t.clock);
        done = await postForm(t, '/admin/login/totp', { _csrf: csrfFrom(step1.body), code }, pending);
      }
      assert.equal(done.statusCode, 303, done.body);
      const device = cookieFrom(done.headers['set-cookie'], DEVICE_COOKIE);
      assert.ok(device, 'a browser that logs in gets a device cookie');
      const header = [done.headers['set-cookie']].flat().find((c) => c?.startsWith(`${DEVICE_COOKIE}=`))!;
      assert.match(header, /HttpOnly/);
      assert.match(header, /SameSite=Strict/);
      assert.match(header, /Path=\/admin\/login/);
      return `${DEVICE_COOKIE}=${device}`;
    };
    /** Five wrong passwords for the account from strangers: it is locked for everyone without a device cookie. */
    const floodFromElsewhere = async (email: string) => {
      const stranger = await loginFrom(nextClient());
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await stranger(email, `guess ${i} of a stranger`)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    };

    it('lets a browser that logged in before log in while a flood from elsewhere has locked the account', async () => {
      const { user } = await createAdminUser(t, 'staff');
      const device = await deviceCookieAfterLogin(user.email);
      await floodFromElsewhere(user.email);
      const newBrowser = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD);
      assert.equal(newBrowser.statusCode, 429, 'locked for a browser it does not know');
      const known = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD, device);
      assert.equal(known.statusCode, 303, 'the officer’s own browser gets in');
      assert.equal(
        (await get('/admin', `inzage_admin=${cookieFrom(known.headers['set-cookie'], 'inzage_admin')}`)).statusCode,
        200,
      );
      const [login] = await t.services.audit.list({ limit: 1, action: 'login' });
      assert.equal(login?.details?.knownDevice, true);
      const stillLocked = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD);
      assert.equal(stillLocked.statusCode, 429, 'the lock stays on for everyone else');
    });

    it('lets an officer’s known browser through both steps while the account is locked', async () => {
      const officer = await createAdminUser(t, 'officer');
      const device = await deviceCookieAfterLogin(officer.user.email, officer.totpSecret);
      t.clock.advance(31 * SECOND);
      await floodFromElsewhere(officer.user.email);
      const step1 = await (await loginFrom(nextClient()))(officer.user.email, ADMIN_PASSWORD, device);
      assert.equal(step1.statusCode, 200, step1.body);
      const pending = `inzage_admin=${cookieFrom(step1.headers['set-cookie'], 'inzage_admin')}`;
      const code = totpNow(officer.totpSecret!, t.clock);
      const step2 = await postForm(
        t,
        '/admin/login/totp',
        { _csrf: csrfFrom(step1.body), code },
        `${pending}; ${device}`,
      );
      assert.equal(step2.statusCode, 303, step2.body);
    });

    it('gives a device cookie its own lockout, which leaves the account open to other browsers', async () => {
      const { user } = await createAdminUser(t, 'staff');
      const device = await deviceCookieAfterLogin(user.email);
      const post = await loginFrom(nextClient());
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(user.email, `wrong ${i}`, device)).statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
      assert.equal((await post(user.email, ADMIN_PASSWORD, device)).statusCode, 429, 'this browser waits');
      const other = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD);
      assert.equal(other.statusCode, 303, 'the account itself was not locked by it');
      t.clock.advance(15 * MINUTE);
      assert.equal((await post(user.email, ADMIN_PASSWORD, device)).statusCode, 303);
    });

    it('treats a changed device cookie, or another account’s, as no device cookie at all', async () => {
      const { user } = await createAdminUser(t, 'staff');
      const other = await createAdminUser(t, 'staff');
      const own = await deviceCookieAfterLogin(user.email);
      const theirs = await deviceCookieAfterLogin(other.user.email);
      await floodFromElsewhere(user.email);
      const [name, value] = own.split('=') as [string, string];
      const parts = value.split('.');
      parts[1] = other.user.id;
      const forged = `${name}=${parts.join('.')}`;
      // The last two hex digits changed to something else; a fixed "00" would equal the MAC's own ending one time in 256.
      const tampered = `${own.slice(0, -2)}${own.endsWith('00') ? 'ff' : '00'}`;
      for (const cookie of [theirs, forged, tampered]) {
        const res = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD, cookie);
        assert.equal(res.statusCode, 429, cookie);
      }
      // 180 days on, the cookie has run out: a new flood locks that browser out too.
      t.clock.advance(181 * 24 * HOUR);
      await floodFromElsewhere(user.email);
      const stale = await (await loginFrom(nextClient()))(user.email, ADMIN_PASSWORD, own);
      assert.equal(stale.statusCode, 429, 'an expired device cookie is no device cookie');
    });

    it('writes no e-mail address into any log line', async () => {
      await adminLogin(t, 'officer', { email: 'log.check@balkonzon.test' });
      const post = await loginFrom(nextClient());
      await post('log.check@balkonzon.test', 'wrong password 123');
      assert.doesNotMatch(t.logs(), /@balkonzon\.test/);
      assert.doesNotMatch(JSON.stringify(await t.services.audit.list({ limit: 1000 })), /@/);
    });
  });
}
