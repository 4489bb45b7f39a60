import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { needsRehash, SCRYPT, verifyPassword } from '../src/admin/passwords.ts';
import { ADMIN_PASSWORD, cookieFrom, createAdminUser, csrfFrom, postForm } from './helpers/admin.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

/** A hash as Inzage made them before: scrypt with N = 2^15. */
function oldHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe('password hashing parameters', () => {
  it("are OWASP's current minimum for scrypt: N = 2^17, r = 8, p = 1", () => {
    assert.deepEqual({ N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, { N: 131072, r: 8, p: 1 });
  });

  it('call a hash made with less, or one that cannot be read, due for a rehash', () => {
    assert.equal(needsRehash(oldHash('x')), true);
    assert.equal(needsRehash('scrypt$131072$8$1$AAAA$AAAA'), true, 'a key shorter than 32 bytes');
    assert.equal(needsRehash('bcrypt$whatever'), true);
    assert.equal(needsRehash(`scrypt$131072$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`), false);
  });

  it('refuse a stored hash that asks for absurd memory rather than try it', async () => {
    assert.equal(await verifyPassword('x', `scrypt$${2 ** 30}$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`), false);
  });
});

for (const dialect of DIALECTS) {
  describe(`an old password hash on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    before(async () => {
      // The production parameters: they are what this test is about.
      t = await buildTestApp(dialect, { passwordCost: SCRYPT });
    });
    after(() => t?.close());

    const storedHash = async (id: string) =>
      (
        await t.store.db
          .selectFrom('admin_users')
          .select('password_hash')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).password_hash!;
    const login = async (email: string, password: string) => {
      const page = await t.app.inject({ method: 'GET', url: '/admin/login' });
      const pre = cookieFrom(page.headers['set-cookie'], 'inzage_admin_pre')!;
      return postForm(t, '/admin/login', { _csrf: csrfFrom(page.body), email, password }, `inzage_admin_pre=${pre}`);
    };

    it('logs in, and is rewritten with the new parameters; a wrong password rewrites nothing', async () => {
      const { user } = await createAdminUser(t, 'staff');
      const old = oldHash(ADMIN_PASSWORD);
      await t.store.db.updateTable('admin_users').set({ password_hash: old }).where('id', '=', user.id).execute();

      assert.equal((await login(user.email, 'niet het goede wachtwoord')).statusCode, 401);
      assert.equal(await storedHash(user.id), old, 'a failed login leaves the hash as it was');

      const res = await login(user.email, ADMIN_PASSWORD);
      assert.equal(res.statusCode, 303, res.body);
      const upgraded = await storedHash(user.id);
      assert.notEqual(upgraded, old);
      assert.match(upgraded, /^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      assert.equal(await verifyPassword(ADMIN_PASSWORD, upgraded), true);

      assert.equal((await login(user.email, ADMIN_PASSWORD)).statusCode, 303);
      assert.equal(await storedHash(user.id), upgraded, 'a current hash is not made again');
    });
  });
}
