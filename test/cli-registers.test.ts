import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliDataDir, inzage } from './helpers/cli.ts';
import { editPolicyYaml, withEditorialChange } from './helpers/policy-change.ts';

describe('inzage registers and policy publish', () => {
  let remove = () => {};
  let dataDir = '';
  before(async () => {
    ({ remove, dataDir } = await cliDataDir(20));
  });
  after(() => remove());

  it('lists empty registers, as text and as JSON', async () => {
    const breaches = await inzage('registers', 'breaches');
    assert.equal(breaches.code, 0, breaches.err);
    assert.equal(breaches.out, 'no breaches recorded');
    assert.deepEqual(JSON.parse((await inzage('registers', 'disclosures', '--json')).out), []);
  });

  it('refuses to publish a file that changes nothing, or one with lint errors', async () => {
    const same = await inzage('policy', 'publish', '--yes');
    assert.equal(same.code, 1);
    assert.match(same.err, /nothing changed since version 1; not published/);
    const broken = join(dataDir, 'broken.yaml');
    writeFileSync(
      broken,
      editPolicyYaml((doc) => doc.deleteIn(['processors', 0, 'purpose'])),
    );
    const lint = await inzage('policy', 'publish', broken, '--yes');
    assert.equal(lint.code, 1);
    assert.match(lint.err, /broken\.yaml:\d+:\d+ error processor-incomplete/);
    assert.match(lint.err, /not published: the policy has 1 lint error/);
    const badDate = await inzage('policy', 'publish', broken, '--effective', 'morgen');
    assert.match(badDate.err, /--effective must be a date/);
  });

  it('publishes an editorial change as version 2, mailing nobody', async () => {
    const file = join(dataDir, 'policy.yaml');
    writeFileSync(file, withEditorialChange());
    const res = await inzage('policy', 'publish', file, '--effective', '2099-01-01', '--yes');
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /- text: Text edited: Contact details/);
    assert.match(res.out, /published version 2 \(2026-11-01\), effective 2098-12-31T23:00:00.000Z/);
    assert.match(res.out, /no material change: nobody is mailed/);
    const again = await inzage('policy', 'publish', file, '--yes');
    assert.match(again.err, /nothing changed since version 2/);
  });
});
