import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { loadExamplePolicy } from '../../../test/helpers/app.ts';
import { checkApiSystems } from '../../datamap/check.ts';
import { DataMap } from '../../datamap/datamap.schema.ts';
import { Executor } from '../../executor/executor.ts';
import { FakeClock } from '../../lib/clock.ts';
import { HttpClient, ProcessorError } from '../http/http-client.ts';
import { ManualConnector } from '../manual/manual.connector.ts';
import { ApiConnector } from './api.connector.ts';
import { checkConnections, connectionsExitCode, describeConnections } from './connection-check.ts';
import type { ProcessorApi, ProcessorApiFactory } from './processor-api.ts';

const clock = new FakeClock();
const policy = loadExamplePolicy();
const fallbackConfig = {
  processor: 'myonlinestore',
  contact: 'support',
  days: 30,
  instructions: { nl: 'met de hand', en: 'by hand' },
};

/** An HttpClient whose every request answers 200 {} (or fails as told), counting what it sent. */
function stubHttp(status = 200) {
  return new HttpClient({
    system: 'myonlinestore',
    baseUrl: 'http://processor.test',
    auth: async () => ({}),
    fetch: async () => new Response('{}', { status, headers: { 'content-type': 'application/json' } }),
    sleep: async () => {},
    maxRetries: 1,
  });
}

function connector(api: Partial<ProcessorApi>, http = stubHttp()) {
  const full: ProcessorApi = {
    capabilities: { access: true, erase: true, rectify: true, restrict: true },
    find: async () => [],
    test: async () => ({ ok: true, checks: [] }),
    ...api,
  };
  return new ApiConnector({
    system: 'myonlinestore',
    processor: 'myonlinestore',
    api: full,
    http,
    fallback: new ManualConnector('myonlinestore', fallbackConfig, ['contact']),
  });
}

const subject = { email: 'iemand@example.com' };

describe('ApiConnector', () => {
  it('turns a capability the API lacks into the manual task', async () => {
    const c = connector({ capabilities: { access: true, erase: false, rectify: false, restrict: false } });
    const erased = await c.erase(subject, { now: clock.now() });
    assert.equal(erased.status, 'manual');
    assert.equal(erased.task?.action, 'erase');
    assert.equal(erased.task?.contact, 'support');
    assert.equal((await c.rectify(subject, { values: { last_name: 'Jansen' } })).task?.action, 'rectify');
    assert.equal((await c.restrict(subject)).task?.action, 'restrict');
  });

  it('counts the API part of an erasure and adds a task for the part it cannot do', async () => {
    const http = stubHttp();
    const c = connector(
      {
        erase: async () => {
          await http.request({ method: 'DELETE', path: '/customers/1' });
          return {
            answer: 'customer 1 deleted; 2 orders kept',
            collections: [
              {
                system: 'myonlinestore',
                collection: 'customers',
                found: 1,
                deleted: 1,
                anonymised: 0,
                sealed: 0,
                keptFields: [],
              },
            ],
            manual: { nl: 'Verwijder de bestellingen in de backoffice.', en: 'Delete the orders in the back office.' },
          };
        },
      },
      http,
    );
    const erased = await c.erase(subject, { now: clock.now() });
    assert.equal(erased.status, 'erased');
    assert.equal(erased.collections[0]?.deleted, 1);
    assert.equal(erased.task?.instructions.en, 'Delete the orders in the back office.');
    assert.equal(erased.queries, 1);
    assert.equal(erased.answer, 'customer 1 deleted; 2 orders kept');
  });

  it('reports a processor error as a failed system, without the person in the message', async () => {
    const c = connector({
      erase: async () => {
        throw new ProcessorError('myonlinestore', 'unavailable', 'GET /customers/:email: HTTP 503 after 6 attempts');
      },
    });
    const erased = await c.erase(subject, { now: clock.now() });
    assert.equal(erased.status, 'failed');
    assert.match(erased.error!, /HTTP 503/);
    const odd = connector({
      rectify: async () => {
        throw new TypeError(`no customer for ${subject.email}`);
      },
    });
    const rectified = await odd.rectify(subject, { values: {} });
    assert.equal(rectified.status, 'failed');
    assert.doesNotMatch(rectified.error!, /iemand/);
  });

  it('says what a dry run would erase without asking the processor to delete anything', async () => {
    let erased = false;
    const c = connector({
      find: async () => [
        {
          system: 'myonlinestore',
          collection: 'customers',
          records: [{ system: 'myonlinestore', collection: 'customers', key: '1', data: {}, categories: {} }],
        },
      ],
      erase: async () => {
        erased = true;
        return { answer: '', collections: [] };
      },
    });
    const report = await c.erase(subject, { now: clock.now(), dryRun: true });
    assert.equal(report.status, 'dry-run');
    assert.equal(report.collections[0]?.found, 1);
    assert.equal(erased, false);
  });
});

describe('Executor with processors', () => {
  it('finds what the healthy systems hold when one processor fails, and lists the failure', async () => {
    const down = connector({
      find: async () => {
        throw new ProcessorError('myonlinestore', 'unavailable', 'GET /customers: network error after 6 attempts');
      },
    });
    const manual = new ManualConnector('mollie', { ...fallbackConfig, processor: 'mollie' }, ['payment']);
    const executor = new Executor({ connectors: [down, manual], policy, clock });
    const result = await executor.find(subject);
    assert.deepEqual(result.failed, [
      { system: 'myonlinestore', error: 'GET /customers: network error after 6 attempts' },
    ]);
    assert.equal(result.manualTasks.length, 1);
  });

  it('tells processors about a restriction through their API, and by task where there is none', async () => {
    let told = 0;
    const api = connector({
      restrict: async () => {
        told++;
        return { found: true, answer: 'customer 1 blocked' };
      },
    });
    const manual = new ManualConnector('mollie', { ...fallbackConfig, processor: 'mollie' }, ['payment']);
    const report = await new Executor({ connectors: [api, manual], policy, clock }).restrict(subject);
    assert.equal(told, 1);
    assert.deepEqual(
      report.systems.map((s) => `${s.system} ${s.status}`),
      ['myonlinestore restricted', 'mollie manual'],
    );
    assert.equal(report.status, 'waiting_on_tasks');
  });
});

const testFactory = (result: { ok: boolean; message: string }): ProcessorApiFactory => ({
  connector: 'tiny',
  name: 'Tiny',
  defaultUrl: 'http://tiny.test',
  credentials: ['apiKey'],
  optionsSchema: z.object({ shopId: z.string().optional() }).strict(),
  auth: () => async () => ({}),
  capabilities: { access: true, erase: false, rectify: false, restrict: false },
  load: async () => () => ({
    capabilities: { access: true, erase: false, rectify: false, restrict: false },
    find: async () => [],
    test: async () => ({ ok: result.ok, checks: [{ name: 'credentials', ok: result.ok, message: result.message }] }),
  }),
});

const apiMap = (systems: Record<string, unknown>) =>
  DataMap.parse({
    systems: Object.fromEntries(
      Object.entries(systems).map(([id, extra]) => [
        id,
        {
          type: 'api',
          connector: 'tiny',
          processor: id,
          credentials: { apiKey: `${id.toUpperCase()}_KEY` },
          contact: 'support',
          instructions: { nl: 'x', en: 'x' },
          ...(extra as object),
        },
      ]),
    ),
  });

describe('api systems in the data map', () => {
  it('warns about missing secrets by variable name and flags unknown connectors and bad options', () => {
    const map = apiMap({ mollie: {}, moneybird: { connector: 'nope' }, office365: { options: { shop: 1 } } });
    const findings = checkApiSystems(map, { MOLLIE_KEY: undefined, OFFICE365_KEY: 'x' }, [
      testFactory({ ok: true, message: '' }),
    ]);
    assert.deepEqual(
      findings.map((f) => `${f.severity} ${f.path}`),
      ['warning systems.mollie.credentials', 'error systems.moneybird.connector', 'error systems.office365.options'],
    );
    assert.match(findings[0]!.message, /MOLLIE_KEY not set/);
  });

  it('rejects a secret written into the map instead of a variable name', () => {
    assert.throws(() => apiMap({ mollie: { credentials: { apiKey: 'live_abcdef' } } }), /environment variable/);
  });

  it('connectors test: passes configured systems that answer, skips unconfigured ones, fails the rest', async () => {
    const map = apiMap({ mollie: {}, moneybird: {} });
    const env = { MOLLIE_KEY: 'k' };
    const ok = await checkConnections(map, policy, {
      env,
      clock,
      registry: [testFactory({ ok: true, message: 'the key is accepted' })],
    });
    assert.deepEqual(
      ok.map((r) => `${r.system} ${r.state}`),
      ['mollie ok', 'moneybird missing-secrets'],
    );
    assert.equal(connectionsExitCode(ok), 0);
    assert.match(describeConnections(ok).join('\n'), /moneybird .*MONEYBIRD_KEY not set/);
    const bad = await checkConnections(map, policy, {
      env,
      clock,
      registry: [testFactory({ ok: false, message: 'the key was refused (401)' })],
    });
    assert.equal(connectionsExitCode(bad), 1);
    assert.match(describeConnections(bad).join('\n'), /FAIL credentials: the key was refused/);
  });
});
