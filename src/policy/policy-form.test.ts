import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { EXAMPLE_POLICY_FILE } from '../../test/helpers/app.ts';
import {
  applyPolicyEdits,
  formEdits,
  listFromForm,
  type PolicyField,
  policyFields,
  textForForm,
  textFromForm,
} from './policy-form.ts';

const EXAMPLE = readFileSync(EXAMPLE_POLICY_FILE, 'utf8');
const field = (fields: PolicyField[], key: string) => fields.find((f) => f.key === key);

describe('the policy as a form', () => {
  it('lists every text, translated or not, and every list, and leaves ids to the YAML', () => {
    const fields = policyFields(EXAMPLE);
    assert.deepEqual(field(fields, 'controller/name'), {
      key: 'controller/name',
      path: ['controller', 'name'],
      kind: 'text',
      lang: undefined,
      value: 'Balkonzon b.v.',
      long: false,
    });
    const intro = field(fields, 'introduction/text/nl')!;
    assert.equal(intro.long, true);
    assert.equal(intro.lang, 'nl');
    assert.match(intro.value as string, /^Balkonzon b\.v\. geeft veel om uw privacy\./);
    assert.equal((intro.value as string).split('\n').length, 3, 'three paragraphs');
    assert.deepEqual(field(fields, 'processing/sections/0/processors')?.value, ['myonlinestore']);
    assert.equal(field(fields, 'processing/sections/0/processors')?.kind, 'list');
    assert.equal(field(fields, 'version')?.value, '2026-11-01', 'the version label, a string or a number');
    assert.ok(!fields.some((f) => f.path.at(-1) === 'id'), 'no ids');
    assert.ok(!fields.some((f) => f.key.endsWith('/legalBasis')), 'no choices from a fixed list (legal bases)');
    assert.ok(fields.length > 300, `${fields.length} fields`);
    assert.deepEqual(policyFields('processors: [unclosed'), [], 'nothing from a file that does not parse');
  });

  it('shows paragraphs apart by a blank line, and takes them back as the folded YAML keeps them', () => {
    assert.equal(textForForm('Een.\nTwee.'), 'Een.\n\nTwee.');
    assert.equal(textFromForm('Een regel\r\ndie doorloopt.\r\n\r\n  Twee.  \n\n\n'), 'Een regel die doorloopt.\nTwee.');
    assert.equal(textFromForm(textForForm('Een.\nTwee.')), 'Een.\nTwee.');
    assert.deepEqual(listFromForm(' mollie, moneybird;\nmyonlinestore ,, '), ['mollie', 'moneybird', 'myonlinestore']);
  });

  it('finds in a sent form only the fields the officer changed', () => {
    const fields = policyFields(EXAMPLE);
    const untouched: Record<string, string> = {};
    for (const f of fields) {
      if (f.kind === 'list') untouched[`l:${f.key}`] = (f.value as string[]).join(', ');
      else untouched[`f:${f.key}`] = f.long ? textForForm(f.value as string) : (f.value as string);
    }
    assert.deepEqual(formEdits(fields, untouched), []);
    const edits = formEdits(fields, {
      ...untouched,
      'f:controller/name': '  Balkonzon  B.V. ',
      'l:processing/sections/0/processors': 'myonlinestore, mollie',
      'f:introduction/text/en': 'One.\r\n\r\nTwo.',
    });
    assert.deepEqual(edits, [
      { path: ['controller', 'name'], value: 'Balkonzon B.V.' },
      { path: ['introduction', 'text', 'en'], value: 'One.\nTwo.' },
      { path: ['processing', 'sections', 0, 'processors'], value: ['myonlinestore', 'mollie'] },
    ]);
  });

  it('writes an edit into the file changing only that value’s lines: comments, quoting and folding stay', () => {
    const after = applyPolicyEdits(EXAMPLE, [
      { path: ['controller', 'name'], value: 'Balkonzon B.V.' },
      { path: ['processing', 'sections', 0, 'title', 'nl'], value: 'Webwinkel: software, en meer' },
      { path: ['processing', 'sections', 0, 'processors'], value: ['myonlinestore', 'mollie'] },
      {
        path: ['introduction', 'text', 'nl'],
        value:
          'Een korte eerste alinea.\nEen tweede alinea die lang genoeg is om over de breedte van de regels in dit bestand heen gevouwen te worden.',
      },
    ]);
    const data = parseDocument(after).toJS();
    assert.equal(data.controller.name, 'Balkonzon B.V.');
    assert.equal(data.processing.sections[0].title.nl, 'Webwinkel: software, en meer');
    assert.deepEqual(data.processing.sections[0].processors, ['myonlinestore', 'mollie']);
    assert.match(data.introduction.text.nl, /^Een korte eerste alinea\.\nEen tweede alinea/);
    // Every comment of the file is still there, and everything outside the edited values is the same text.
    const comments = (s: string) => s.split('\n').filter((l) => l.trim().startsWith('#'));
    assert.deepEqual(comments(after), comments(EXAMPLE));
    const lines = after.split('\n');
    assert.ok(lines.includes('  name: Balkonzon B.V.'));
    assert.ok(
      lines.includes('      title: { nl: "Webwinkel: software, en meer", en: Webshop software }'),
      'quoted in flow',
    );
    assert.ok(lines.includes('      processors: [myonlinestore, mollie]'));
    assert.ok(lines.includes('    nl: >-'), 'the text stays a folded block');
    const intro = lines.slice(lines.indexOf('    nl: >-') + 1, lines.indexOf('    nl: >-') + 5);
    assert.ok(
      intro.every((l) => l.length <= 110),
      `folded at the file’s width: ${intro.join('|')}`,
    );
    const tail = (s: string) => s.slice(s.indexOf('# ── Over de gegevensverwerking'));
    const undone = tail(after)
      .replace('title: { nl: "Webwinkel: software, en meer", en:', 'title: { nl: Webwinkelsoftware, en:')
      .replace('processors: [myonlinestore, mollie]', 'processors: [myonlinestore]');
    assert.equal(undone, tail(EXAMPLE), 'the rest of the file is unchanged, byte for byte');
    assert.equal(after.slice(0, after.indexOf('  name: ')), EXAMPLE.slice(0, EXAMPLE.indexOf('  name: ')));
  });

  it('writes a list written one item per line back in that style', () => {
    const block = EXAMPLE.replace(
      '      processors: [myonlinestore]\n',
      '      processors:\n        - myonlinestore\n',
    );
    const after = applyPolicyEdits(block, [
      { path: ['processing', 'sections', 0, 'processors'], value: ['myonlinestore', 'mollie'] },
    ]);
    assert.equal(after, block.replace('        - myonlinestore\n', '        - myonlinestore\n        - mollie\n'));
    const emptied = applyPolicyEdits(block, [{ path: ['processing', 'sections', 0, 'processors'], value: [] }]);
    assert.deepEqual(parseDocument(emptied).toJS().processing.sections[0].processors, []);
  });

  it('falls back to the yaml Document API where a value cannot be spliced, still keeping the comments', () => {
    const text = '# head\nlist:\n  - een # first\n  - twee\n# tail\n';
    const after = applyPolicyEdits(text, [{ path: ['list', 0], value: 'drie' }]);
    assert.deepEqual(parseDocument(after).toJS(), { list: ['drie', 'twee'] });
    for (const c of ['# head', '# first', '# tail']) assert.ok(after.includes(c), c);
  });
});
