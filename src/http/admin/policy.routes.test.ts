import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../../test/helpers/admin.ts';
import { buildTestApp, EXAMPLE_POLICY_FILE, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../../test/helpers/db.ts';
import { editPolicyYaml, withEditorialChange, withReviewProcessor } from '../../../test/helpers/policy-change.ts';
import { DAY } from '../../lib/clock.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

for (const dialect of DIALECTS) {
  describe(`policy versions on the web on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let officer: Login;
    let configDir: string;
    const policyFile = () => join(configDir, 'policy.yaml');
    before(async () => {
      // A config folder of the test's own: publishing reads policy.yaml, and the test edits it.
      configDir = mkdtempSync(join(tmpdir(), 'inzage-policy-'));
      copyFileSync(EXAMPLE_POLICY_FILE, policyFile());
      t = await buildTestApp(dialect, { env: { INZAGE_CONFIG_DIR: configDir } });
      officer = await adminLogin(t, 'officer');
    });
    after(async () => {
      await t?.close();
      rmSync(configDir, { recursive: true, force: true });
    });

    const get = (url: string, who?: Login) =>
      t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
    const publish = (form: Record<string, string> = {}) =>
      postForm(t, '/admin/policy/publish', { _csrf: officer.csrf, ...form }, officer.cookie);

    it('lists the policy Inzage started with as version 1 before anything is published', async () => {
      const res = await get('/privacy/versions');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Versie 1 \(2026-11-01\)/);
      assert.match(res.body, /geldt nu/);
      const en = await get('/privacy/versions?lang=en');
      assert.match(en.body, /Version 1 \(2026-11-01\)/);
      assert.match(en.body, /in force/);
    });

    it('says on /admin/policy that nothing changed while the file equals the latest version', async () => {
      const res = await get('/admin/policy', officer);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Niets veranderd: het beleidsbestand is gelijk aan versie 1/);
      assert.doesNotMatch(res.body, /Publiceer als versie/);
      const refused = await publish();
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /nothing changed since version 1/);
    });

    it('refuses to publish a file with lint errors and shows them', async () => {
      writeFileSync(
        policyFile(),
        editPolicyYaml((doc) => doc.deleteIn(['processors', 0, 'purpose'])),
      );
      const page = await get('/admin/policy', officer);
      assert.match(page.body, /Het beleidsbestand heeft fouten/);
      assert.match(page.body, /processor-incomplete/);
      const refused = await publish();
      assert.equal(refused.statusCode, 422);
      assert.equal((await t.services.registers.policyVersions.list()).length, 1);
    });

    it('previews an editorial change as affecting nobody, and publishes it with the button', async () => {
      writeFileSync(policyFile(), withEditorialChange());
      const page = await get('/admin/policy', officer);
      assert.match(page.body, /Alleen tekstuele wijzigingen: niemand krijgt een e-mail/);
      assert.match(page.body, /Publiceer als versie 2/);
      const res = await publish();
      assert.equal(res.statusCode, 303, res.body);
      const v2 = (await t.services.registers.policyVersions.get(2))!;
      assert.equal(v2.effectiveAt, t.clock.now().toISOString(), 'effective now when no date is given');
      assert.equal(v2.notify.status, 'none');
      assert.equal((await t.services.audit.list({ action: 'policy.publish' })).length, 1);
    });

    it('previews a new processor as material, naming the categories whose people will be mailed', async () => {
      writeFileSync(policyFile(), withReviewProcessor(withEditorialChange()));
      const page = await get('/admin/policy', officer);
      assert.match(page.body, /Nieuwe ontvanger: Trustpilot — ontvangt beoordelingen/);
      assert.match(page.body, /krijgt iedereen met gegevens in beoordelingen een e-mail \(hoogstens 60 per minuut\)/);
      const bad = await publish({ effective: 'morgen' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /geen geldige datum/);
      assert.equal(new Date(t.clock.now().getTime() + 14 * DAY).toISOString().slice(0, 10), '2026-11-15');
      const res = await publish({ effective: '2026-11-15' });
      assert.equal(res.statusCode, 303, res.body);
      const v3 = (await t.services.registers.policyVersions.get(3))!;
      assert.equal(v3.effectiveAt, '2026-11-14T23:00:00.000Z', 'the start of the day in Dutch time');
      assert.equal(v3.notify.status, 'queued');
      const admin = await get('/admin/policy', officer);
      assert.match(admin.body, /id="version-3"/);
      assert.match(admin.body, /verwerking gewijzigd/);
    });

    it('lists every version with its dates and renders each one', async () => {
      const list = await get('/privacy/versions');
      for (const n of [1, 2, 3]) assert.match(list.body, new RegExp(`href="/privacy/versions/${n}\\?lang=nl"`));
      assert.match(list.body, /gaat in/, 'version 3 waits for its date');
      assert.match(list.body, /vervangen/, 'version 1 was replaced by version 2');

      const v1 = await get('/privacy/versions/1');
      assert.equal(v1.statusCode, 200);
      assert.match(v1.body, /Dit is versie 1, geldig vanaf 1 november 2026 om 01:00 tot /);
      assert.doesNotMatch(v1.body, /Trustpilot/);
      const v3 = await get('/privacy/versions/3?lang=en');
      assert.match(v3.body, /This is version 3/);
      assert.match(v3.body, /Trustpilot/);
      assert.equal((await get('/privacy/versions/9')).statusCode, 404);
      assert.equal((await get('/privacy/versions/abc')).statusCode, 404);
    });
  });
}
