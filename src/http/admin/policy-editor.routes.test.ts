import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminLogin, postForm } from '../../../test/helpers/admin.ts';
import { buildTestApp, EXAMPLE_POLICY_FILE, type TestApp } from '../../../test/helpers/app.ts';
import { DIALECTS, skipFor } from '../../../test/helpers/db.ts';
import { textHash } from '../../policy/policy-editor.ts';
import { policyFields, textForForm } from '../../policy/policy-form.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;
const EXAMPLE = readFileSync(EXAMPLE_POLICY_FILE, 'utf8');

/** The form as the page sends it back untouched: every field with the file's value. */
function untouchedForm(text: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const f of policyFields(text)) {
    if (f.kind === 'list') form[`l:${f.key}`] = (f.value as string[]).join(', ');
    else form[`f:${f.key}`] = f.long ? textForForm(f.value as string) : (f.value as string);
  }
  return form;
}

for (const dialect of DIALECTS) {
  describe(`editing the policy from the back office on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let t: TestApp;
    let officer: Login;
    let staff: Login;
    let configDir: string;
    const policyFile = () => join(configDir, 'policy.yaml');
    const onDisk = () => readFileSync(policyFile(), 'utf8');
    before(async () => {
      configDir = mkdtempSync(join(tmpdir(), 'inzage-edit-'));
      copyFileSync(EXAMPLE_POLICY_FILE, policyFile());
      t = await buildTestApp(dialect, { env: { INZAGE_CONFIG_DIR: configDir } });
      officer = await adminLogin(t, 'officer');
      staff = await adminLogin(t, 'staff');
    });
    after(async () => {
      await t?.close();
      rmSync(configDir, { recursive: true, force: true });
    });

    const get = (url: string, who: Login) =>
      t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: who.cookie } });
    const send = (form: Record<string, string>, who: Login = officer) =>
      postForm(t, '/admin/policy/edit', { _csrf: who.csrf, base: textHash(onDisk()), ...form }, who.cookie);

    it('is for the officer only, and a form without the session’s token changes nothing', async () => {
      assert.equal((await get('/admin/policy/edit', staff)).statusCode, 403);
      assert.equal((await send({ mode: 'yaml', yaml: 'x', action: 'save' }, staff)).statusCode, 403);
      const forged = await postForm(
        t,
        '/admin/policy/edit',
        { mode: 'yaml', yaml: 'version: 2', action: 'save', base: textHash(onDisk()) },
        officer.cookie,
      );
      assert.equal(forged.statusCode, 403);
      assert.equal(onDisk(), EXAMPLE);
    });

    it('shows every text and list in a form, labelled in words, and the file as YAML', async () => {
      const form = await get('/admin/policy/edit', officer);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<legend>Over ons privacybeleid › Tekst<\/legend>/);
      assert.match(form.body, /<legend>Partijen › Mollie › Doel<\/legend>/);
      assert.match(form.body, /name="l:processing\/sections\/0\/processors" value="myonlinestore"/);
      assert.match(form.body, /name="_csrf"/);
      assert.match(form.body, /Gelijk aan versie 1: er is niets nieuws om te publiceren/);
      const yaml = await get('/admin/policy/edit?mode=yaml', officer);
      assert.match(yaml.body, /<textarea id="yaml" name="yaml"/);
      assert.ok(yaml.body.includes('# Privacy policy of Balkonzon b.v., as a policy file for Inzage.'));
    });

    it('checks an edit: what changes in the file and in processing, the preview, and nothing written', async () => {
      const res = await send({
        ...untouchedForm(onDisk()),
        mode: 'form',
        action: 'check',
        'l:processors/3/categories': 'contact, order, payment, account',
        'f:processors/3/purpose/nl': 'Het afhandelen van betalingen en het voorkomen van fraude.',
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<span class="ln">233<\/span>\+ {5}categories: \[contact, order, payment, account\]/);
      assert.match(res.body, /Gewijzigd bij: Mollie — ontvangt nu ook klantaccount/);
      assert.match(res.body, /Na publicatie krijgt iedereen met gegevens in klantaccount een e-mail/);
      assert.match(res.body, /Zo leest het beleid \(Nederlands\)/);
      assert.match(res.body, /Het afhandelen van betalingen en het voorkomen van fraude\./, 'the preview and the form');
      assert.match(res.body, /Partijen › Mollie › Doel.*\(gewijzigd\)/s);
      assert.equal(onDisk(), EXAMPLE, 'a check writes nothing');
    });

    it('shows the YAML’s lint findings with their line, and refuses to save a file that would not load', async () => {
      const broken = EXAMPLE.replace('  email: enrico@balkonzon.nl\n', '  email: enrico-at-balkonzon\n');
      const res = await send({ mode: 'yaml', action: 'save', yaml: broken });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Niet opgeslagen: zo is het bestand niet te lezen als beleid/);
      assert.match(res.body, /regel 39:10 · <code>controller.email<\/code>/);
      assert.match(res.body, /<span class="ln">39<\/span> {3}email: enrico-at-balkonzon/);
      assert.equal(onDisk(), EXAMPLE);
    });

    it('refuses a control character in any field, naming the field, and writes nothing', async () => {
      const res = await send({
        ...untouchedForm(onDisk()),
        mode: 'form',
        action: 'save',
        'f:processors/3/purpose/nl': 'Betalingen\u0000 verwerken.',
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /het veld &quot;Partijen › Mollie › Doel \(Nederlands\)&quot; bevat een stuurteken/);
      const yaml = await send({ mode: 'yaml', action: 'check', yaml: `${EXAMPLE}\u0007` });
      assert.equal(yaml.statusCode, 400);
      assert.match(yaml.body, /het YAML-bestand bevat een stuurteken/);
      assert.equal(onDisk(), EXAMPLE);
    });

    it('refuses to save over a file changed since the page was opened, and shows what saving would undo', async () => {
      const base = textHash(onDisk());
      const theirs = EXAMPLE.replace('  phone: (051) 322-1283\n', '  phone: (051) 322-0000\n');
      writeFileSync(policyFile(), theirs);
      const res = await postForm(
        t,
        '/admin/policy/edit',
        { _csrf: officer.csrf, base, mode: 'yaml', action: 'save', yaml: EXAMPLE.replace('Gorredijk', 'Heerenveen') },
        officer.cookie,
      );
      const afterwards = onDisk();
      writeFileSync(policyFile(), EXAMPLE);
      assert.equal(afterwards, theirs, 'the other change stays');
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Niet opgeslagen: het bestand is gewijzigd sinds u deze pagina opende/);
      assert.match(res.body, /− {3}phone: \(051\) 322-0000/, 'the other change, which this save would undo');
      assert.match(res.body, new RegExp(`name="base" value="${textHash(theirs)}"`), 'a deliberate second save may');
      assert.equal((await t.services.audit.list({ action: 'policy.edit' })).length, 0, 'nothing was recorded');
    });

    it('saves the form into the file, only the edited lines, and the policy page then offers to publish it', async () => {
      const res = await send({
        ...untouchedForm(onDisk()),
        mode: 'form',
        action: 'save',
        'l:processors/3/categories': 'contact, order, payment, account',
      });
      assert.equal(res.statusCode, 303, res.body);
      assert.equal(res.headers.location, '/admin/policy?saved=1');
      assert.equal(
        onDisk(),
        EXAMPLE.replace(
          '    categories: [contact, order, payment]\n',
          '    categories: [contact, order, payment, account]\n',
        ),
        'one line changed, every comment kept',
      );
      const [entry] = await t.services.audit.list({ action: 'policy.edit' });
      assert.equal(entry?.actor, `user:${officer.user.id}`);
      assert.deepEqual(entry?.details, {
        mode: 'form',
        before: textHash(EXAMPLE).slice(0, 16),
        after: textHash(onDisk()).slice(0, 16),
      });

      const page = await get('/admin/policy?saved=1', officer);
      assert.match(page.body, /Opgeslagen in <code>[^<]*policy\.yaml<\/code>\. Hieronder staat wat er verandert/);
      assert.match(page.body, /Publiceer als versie 2/);
      const published = await postForm(t, '/admin/policy/publish', { _csrf: officer.csrf }, officer.cookie);
      assert.equal(published.statusCode, 303);
      assert.equal(published.headers.location, '/admin/policy?published=2');
      assert.match((await get('/admin/policy?published=2', officer)).body, /Gepubliceerd als versie 2\./);
      const v2 = (await t.services.registers.policyVersions.get(2))!;
      assert.deepEqual(v2.policy.processors[3]!.categories, ['contact', 'order', 'payment', 'account']);
      assert.equal(v2.yaml, onDisk(), 'the published version is the file as saved');
    });
  });
}
