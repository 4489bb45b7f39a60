import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestStore, DIALECTS, skipFor, type TestStore } from '../../test/helpers/db.ts';
import { FakeClock, HOUR, SECOND } from '../lib/clock.ts';
import { InzageError } from '../lib/errors.ts';
import { passwordProblem, verifyPassword } from './passwords.ts';
import { totpCode, totpStep } from './totp.ts';
import { AdminUsers } from './users.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const GOOD = 'zonnepaneel op het balkon 42';
const tokenOf = (link: string) => link.split('/').at(-1)!;
const field = (f: string) => (err: unknown) => err instanceof InzageError && err.field === f;

describe('password rules', () => {
  it('refuse short, common and one-character passwords with a reason, and accept a long phrase', () => {
    assert.match(passwordProblem('kort123!')!, /minstens 12/);
    assert.match(passwordProblem('Password123456')!, /lijsten/);
    assert.match(passwordProblem('Welkom2026!!!')!, /lijsten/);
    assert.match(passwordProblem('aaaaaaaaaaaaaaaa')!, /verschillende/);
    assert.match(passwordProblem('123456789012345')!, /cijfers/);
    assert.match(passwordProblem('enrico.devries!!', 'enrico.devries@balkonzon.nl')!, /e-mailadres/);
    assert.equal(passwordProblem(GOOD), undefined);
  });
});

for (const dialect of DIALECTS) {
  describe(`back-office accounts on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let store: TestStore;
    let clock: FakeClock;
    let users: AdminUsers;
    before(async () => {
      store = await createTestStore(dialect);
      clock = new FakeClock();
      users = new AdminUsers({
        db: store.db,
        clock,
        secret: SECRET,
        baseUrl: 'https://privacy.balkonzon.nl',
        issuer: () => 'Balkonzon',
      });
    });
    after(async () => {
      await store?.drop();
    });

    it('makes a setup link on the base URL whose token is stored only as a hash', async () => {
      const { account, setupLink } = await users.add('Staff.One@Balkonzon.nl ', 'staff');
      assert.equal(account.email, 'staff.one@balkonzon.nl');
      assert.equal(account.active, false);
      assert.match(setupLink, /^https:\/\/privacy\.balkonzon\.nl\/admin\/setup\/[A-Za-z0-9_-]{43}$/);
      const rows = await store.db.selectFrom('admin_setup_tokens').select('hash').execute();
      assert.ok(rows.every((r) => r.hash !== tokenOf(setupLink)));
      await assert.rejects(users.add('staff.one@balkonzon.nl', 'officer'), /exists/);
    });

    it('uses a setup link once: the password is hashed with scrypt and the link is then used', async () => {
      const { setupLink } = await users.add('staff.two@balkonzon.nl', 'staff');
      const token = tokenOf(setupLink);
      const account = await users.completeSetup(token, { password: GOOD });
      assert.equal(account.active, true);
      assert.equal(account.totp, false);
      const creds = await users.credentials('staff.two@balkonzon.nl');
      assert.match(creds!.passwordHash!, /^scrypt\$131072\$8\$1\$/, "OWASP's minimum: N = 2^17, r = 8, p = 1");
      assert.equal(await verifyPassword(GOOD, creds!.passwordHash!), true);
      assert.equal(await verifyPassword('zonnepaneel op het balkon 43', creds!.passwordHash!), false);
      assert.deepEqual(await users.openSetup(token), { state: 'used' });
      await assert.rejects(users.completeSetup(token, { password: GOOD }), /used/);
    });

    it('lets a setup link expire after 72 hours', async () => {
      const { setupLink } = await users.add('staff.three@balkonzon.nl', 'staff');
      clock.advance(72 * HOUR - SECOND);
      assert.equal((await users.openSetup(tokenOf(setupLink))).state, 'ready');
      clock.advance(SECOND);
      assert.deepEqual(await users.openSetup(tokenOf(setupLink)), { state: 'expired' });
      await assert.rejects(users.completeSetup(tokenOf(setupLink), { password: GOOD }), /expired/);
      assert.deepEqual(await users.openSetup('x'.repeat(43)), { state: 'unknown' });
    });

    it('does not let an officer finish setup without a right TOTP code, and keeps the link usable', async () => {
      const { setupLink } = await users.add('officer.one@balkonzon.nl', 'officer');
      const token = tokenOf(setupLink);
      await assert.rejects(users.completeSetup(token, { password: GOOD }), field('totp'));
      await assert.rejects(users.completeSetup(token, { password: GOOD, totpCode: '000000' }), field('totp'));
      await assert.rejects(users.completeSetup(token, { password: 'short' }), field('password'));
      const setup = await users.openSetup(token);
      assert.equal(setup.state, 'ready');
      if (setup.state !== 'ready') return;
      assert.match(setup.totpUri, /^otpauth:\/\/totp\/Balkonzon:officer\.one%40balkonzon\.nl\?.*secret=/);
      const account = await users.completeSetup(token, { password: GOOD, totpCode: totpCode(setup.totpSecret, clock) });
      assert.equal(account.totp, true);
      const creds = await users.credentials('officer.one@balkonzon.nl');
      assert.equal(creds!.totpSecret, setup.totpSecret);
      const raw = await store.db
        .selectFrom('admin_users')
        .select('totp_secret')
        .where('id', '=', account.id)
        .executeTakeFirst();
      assert.notEqual(raw!.totp_secret, setup.totpSecret, 'the TOTP secret is encrypted at rest');
    });

    it('counts the TOTP code used at setup as used: the same code does not log in afterwards', async () => {
      const { setupLink } = await users.add('officer.two@balkonzon.nl', 'officer');
      const setup = await users.openSetup(tokenOf(setupLink));
      if (setup.state !== 'ready') return assert.fail(`setup link is ${setup.state}`);
      const code = totpCode(setup.totpSecret, clock);
      const account = await users.completeSetup(tokenOf(setupLink), { password: GOOD, totpCode: code });
      const step = totpStep(setup.totpSecret, code, clock)!;
      assert.equal((await users.credentials('officer.two@balkonzon.nl'))!.totpLastStep, step);
      assert.equal(await users.useTotpStep(account.id, step), false, 'the setup code is spent');
      assert.equal(await users.useTotpStep(account.id, step + 1), true, 'the next code logs in');
    });

    it('resets an account to a new link that voids the old password, and disables one', async () => {
      const { setupLink } = await users.add('staff.four@balkonzon.nl', 'staff');
      await users.completeSetup(tokenOf(setupLink), { password: GOOD });
      const reset = await users.reset('staff.four@balkonzon.nl');
      assert.notEqual(reset.setupLink, setupLink);
      assert.equal((await users.credentials('staff.four@balkonzon.nl'))!.passwordHash, null);
      const disabled = await users.disable('staff.four@balkonzon.nl');
      assert.equal(disabled.disabled, true);
      assert.deepEqual(await users.openSetup(tokenOf(reset.setupLink)), { state: 'unknown' });
      await assert.rejects(users.disable('nobody@balkonzon.nl'), /No account/);
    });
  });
}
