import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadExamplePolicy } from '../../test/helpers/app.ts';
import { EXAMPLE_DATAMAP_FILE } from '../../test/helpers/demo-shop.ts';
import { loadDataMap } from '../datamap/datamap.ts';
import { describeChange, diffPolicies } from './diff.ts';
import { Policy } from './policy.schema.ts';
import { buildRegister } from './register.ts';

/** The controller's financial year and a fiscal term counted from its end (AWR art. 52(4)), as the policy file says them. */
describe('the financial year in the policy', () => {
  const policy = loadExamplePolicy();

  it('is 31 December unless the controller says otherwise, and refuses a day that does not exist', () => {
    const { financialYearEnd: _, ...controller } = policy.controller;
    assert.equal(Policy.parse({ ...policy, controller }).controller.financialYearEnd, '12-31');
    for (const bad of ['02-30', '13-01', '31-12', '1231'])
      assert.equal(
        Policy.safeParse({ ...policy, controller: { ...controller, financialYearEnd: bad } }).success,
        false,
        bad,
      );
    assert.equal(
      Policy.parse({ ...policy, controller: { ...controller, financialYearEnd: '02-29' } }).controller.financialYearEnd,
      '02-29',
    );
  });

  it('makes a new financial year a material change of the fiscal rule, told in words', () => {
    const after = { ...policy, controller: { ...policy.controller, financialYearEnd: '06-30' } };
    const diff = diffPolicies(policy, after);
    const change = diff.changes.find((c) => c.area === 'retention' && c.id === 'invoices');
    assert.equal(change?.material, true);
    assert.match(describeChange(change!, 'nl', diff.names), /boekjaar eindigt op 30 juni.*was.*31 december/);
  });

  it('puts the fiscal rule into the Art. 30 record with its start and its words', () => {
    const erasure = buildRegister(policy)
      .activities.flatMap((a) => a.erasure)
      .find((e) => e.ruleId === 'invoices');
    assert.equal(erasure?.until, 'end-of-financial-year');
    assert.match(erasure?.text.en ?? '', /7 years after the end of the financial year in which the invoice was issued/);
  });
});

describe("a legal hold's date from the parent row", () => {
  it('must name a collection the held one references', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-datamap-'));
    try {
      const file = join(dir, 'datamap.yaml');
      writeFileSync(
        file,
        readFileSync(EXAMPLE_DATAMAP_FILE, 'utf8').replace(
          'otherwise: orders.created_at',
          'otherwise: customers.created_at',
        ),
      );
      const loaded = loadDataMap(file, {});
      assert.equal(loaded.ok, false);
      const problems = loaded.ok ? [] : loaded.problems.map((p) => `${p.path}: ${p.message}`);
      assert.ok(
        problems.some((p) => p.startsWith('systems.shop.collections.payments.legalHold.otherwise: names "customers"')),
        problems.join('\n'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
