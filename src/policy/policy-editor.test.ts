import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { EXAMPLE_POLICY_FILE, loadExamplePolicy } from '../../test/helpers/app.ts';
import type { AuditEntryInput } from '../audit/audit-trail.ts';
import { PolicyEditor, textHash } from './policy-editor.ts';
import type { PolicyVersion } from './versions.ts';

const EXAMPLE = readFileSync(EXAMPLE_POLICY_FILE, 'utf8');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('editing the policy file', () => {
  let file: string;
  let audit: AuditEntryInput[];
  let latest: PolicyVersion | undefined;
  let editor: PolicyEditor;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-editor-'));
    dirs.push(dir);
    file = join(dir, 'policy.yaml');
    writeFileSync(file, EXAMPLE);
    chmodSync(file, 0o640);
    audit = [];
    latest = { number: 1, policy: loadExamplePolicy() } as PolicyVersion;
    editor = new PolicyEditor({
      file,
      versions: { latest: async () => latest },
      audit: { record: async (entry) => void audit.push(entry) },
    });
  });

  it('checks a draft: findings with their lines, the policy, and what changes against the latest version', async () => {
    const same = await editor.check(EXAMPLE);
    assert.equal(same.unchanged, true);
    assert.equal(same.against, 1);
    assert.equal(same.errors, 0);

    const draft = EXAMPLE.replace(
      '    categories: [contact, order, payment]\n',
      '    categories: [contact, order, payment, account]\n',
    );
    assert.notEqual(draft, EXAMPLE);
    const changed = await editor.check(draft);
    assert.equal(changed.unchanged, false);
    assert.equal(changed.diff?.material, true);
    assert.deepEqual(changed.diff?.affectedCategories, ['account']);

    const broken = await editor.check(EXAMPLE.replace("version: '2026-11-01'\n", 'version: [\n'));
    assert.equal(broken.policy, undefined);
    assert.ok(broken.errors > 0);
    assert.ok(
      broken.findings.every((f) => typeof f.line === 'number'),
      'a syntax error has its line',
    );

    latest = undefined;
    assert.equal((await editor.check(EXAMPLE)).diff, null, 'before the first version there is nothing to compare');
  });

  it('writes the draft over the file it was made from, atomically, keeping the mode, and audits it', async () => {
    const base = editor.read()!.hash;
    const draft = EXAMPLE.replace('  name: Balkonzon b.v.\n', '  name: Balkonzon B.V.\n');
    const saved = await editor.save({ text: draft, base, actor: 'user:u1', mode: 'form' });
    assert.ok(saved.ok);
    assert.equal(readFileSync(file, 'utf8'), draft);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(join(file, '..')), ['policy.yaml'], 'no temporary file left behind');
    assert.deepEqual(audit, [
      {
        actor: 'user:u1',
        action: 'policy.edit',
        target: 'policy-file',
        details: { mode: 'form', before: base.slice(0, 16), after: textHash(draft).slice(0, 16) },
      },
    ]);
    const again = await editor.save({ text: draft, base: textHash(draft), actor: 'user:u1', mode: 'yaml' });
    assert.ok(again.ok);
    assert.equal(audit.length, 1, 'saving the same text writes and records nothing');
  });

  it('refuses to write over a file that changed since the form was opened', async () => {
    const base = editor.read()!.hash;
    const theirs = EXAMPLE.replace('  phone: (051) 322-1283\n', '  phone: (051) 322-0000\n');
    writeFileSync(file, theirs);
    const saved = await editor.save({
      text: EXAMPLE.replace('Gorredijk', 'Heerenveen'),
      base,
      actor: 'user:u1',
      mode: 'yaml',
    });
    assert.ok(!saved.ok && saved.reason === 'changed');
    assert.equal(saved.current.text, theirs);
    assert.equal(readFileSync(file, 'utf8'), theirs, 'the other change stays');
    assert.deepEqual(audit, []);
  });

  it('refuses to write a draft that would not load as a policy, and keeps the file', async () => {
    const base = editor.read()!.hash;
    const saved = await editor.save({
      text: EXAMPLE.replace('  email: enrico@balkonzon.nl\n', '  email: not-an-address\n'),
      base,
      actor: 'user:u1',
      mode: 'yaml',
    });
    assert.ok(!saved.ok && saved.reason === 'invalid');
    assert.ok(saved.check.findings.some((f) => f.path === 'controller.email' && f.line === 39));
    assert.equal(readFileSync(file, 'utf8'), EXAMPLE);
  });

  it('saves a draft with lint errors (the file is the draft); publishing refuses them later', async () => {
    const base = editor.read()!.hash;
    // Template text, which the linter finds: a placeholder tells the reader nothing (GDPR Art. 12(1)).
    const draft = EXAMPLE.replace(
      'Het afhandelen van betalingen in onze webwinkel.',
      'Het afhandelen van betalingen door [AANBIEDER].',
    );
    const check = await editor.check(draft);
    assert.ok(check.policy);
    assert.ok(check.errors > 0, 'the draft has lint errors');
    const saved = await editor.save({ text: draft, base, actor: 'user:u1', mode: 'yaml' });
    assert.ok(saved.ok);
  });
});
