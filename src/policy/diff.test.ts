import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { editPolicyYaml, withEditorialChange, withReviewProcessor } from '../../test/helpers/policy-change.ts';
import { parseYamlWith } from '../config/yaml-file.ts';
import { describeChange, diffPolicies } from './diff.ts';
import { Policy } from './policy.schema.ts';

function parse(yaml: string): Policy {
  const loaded = parseYamlWith(yaml, 'policy.yaml', Policy);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

describe('diffPolicies', () => {
  const before = loadExamplePolicy();

  it('classifies a new processor for a category as material, affecting that category only', () => {
    const diff = diffPolicies(before, parse(withReviewProcessor()));
    assert.equal(diff.material, true);
    assert.deepEqual(diff.affectedCategories, ['review']);
    const change = diff.changes.find((c) => c.area === 'processor');
    assert.equal(change?.action, 'added');
    assert.equal(change?.id, 'trustpilot');
    assert.match(describeChange(change!, 'nl', diff.names), /^Nieuwe ontvanger: Trustpilot — ontvangt beoordelingen/);
    assert.match(
      describeChange(change!, 'en', diff.names),
      /^New recipient: Trustpilot — receives reviews; processes in Denmark/,
    );
  });

  it('classifies a text-only change (a phone number, a typo) as editorial, affecting nobody', () => {
    const diff = diffPolicies(before, parse(withEditorialChange()));
    assert.equal(diff.material, false);
    assert.deepEqual(diff.affectedCategories, []);
    assert.deepEqual(
      diff.changes.map((c) => [c.area, c.id, c.material]),
      [
        ['text', 'controller', false],
        ['text', 'introduction', false],
      ],
    );
  });

  it('finds nothing between a policy and itself', () => {
    const diff = diffPolicies(before, structuredClone(before));
    assert.deepEqual(diff.changes, []);
    assert.equal(diff.material, false);
  });

  it('treats a new location of an existing processor as material for every category it receives', () => {
    const after = parse(
      editPolicyYaml((doc) => {
        const i = (doc.toJS() as Policy).processors.findIndex((p) => p.id === 'jos-heeren-transport');
        doc.setIn(['processors', i, 'locations'], ['NL', 'US']);
      }),
    );
    const diff = diffPolicies(before, after);
    const change = diff.changes.find((c) => c.id === 'jos-heeren-transport')!;
    assert.equal(change.material, true);
    assert.deepEqual([...change.categories].sort(), ['contact', 'shipping']);
    assert.match(describeChange(change, 'en', diff.names), /now also processes in United States/);
  });

  it("treats a processor's new category as material for that category only, and a changed agreement as editorial", () => {
    const after = parse(
      editPolicyYaml((doc) => {
        const i = (doc.toJS() as Policy).processors.findIndex((p) => p.id === 'mollie');
        doc.setIn(['processors', i, 'categories'], ['contact', 'order', 'payment', 'shipping']);
        const j = (doc.toJS() as Policy).processors.findIndex((p) => p.id === 'moneybird');
        doc.setIn(['processors', j, 'agreement', 'reference'], 'DPA-2026-12');
      }),
    );
    const diff = diffPolicies(before, after);
    assert.deepEqual(diff.affectedCategories, ['shipping']);
    assert.equal(diff.changes.find((c) => c.id === 'moneybird')?.material, false);
  });

  it('treats a legal basis or a retention term that changes as material', () => {
    const after = parse(
      editPolicyYaml((doc) => {
        const p = doc.toJS() as Policy;
        const purpose = p.purposes.items.findIndex((x) => x.id === 'reviews');
        doc.setIn(['purposes', 'items', purpose, 'legalBasis'], 'legitimate-interests');
        const rule = p.retention.rules.findIndex((r) => r.term && r.categories.includes('request'));
        doc.setIn(['retention', 'rules', rule, 'term'], { years: 3 });
      }),
    );
    const diff = diffPolicies(before, after);
    const areas = diff.changes.filter((c) => c.material).map((c) => c.area);
    assert.deepEqual(areas, ['purpose', 'retention']);
    assert.ok(diff.affectedCategories.includes('review'));
    assert.ok(diff.affectedCategories.includes('request'));
  });
});
