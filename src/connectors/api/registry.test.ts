import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { FakeClock } from '../../lib/clock.ts';
import { ManualConnector } from '../manual/manual.connector.ts';
import { ApiConnector } from './api.connector.ts';
import { connectApiSystem, createProcessorApi, resolveApiSystem } from './api-systems.ts';
import type { ProcessorApi, ProcessorApiContext, ProcessorApiFactory } from './processor-api.ts';
import { PROCESSOR_APIS } from './registry.ts';

const clock = new FakeClock();
const HERE = import.meta.dirname;

/** Options each connector needs before its code can be made (the rest have defaults). */
const OPTIONS: Record<string, Record<string, unknown>> = {
  moneybird: { administrationId: '123' },
  'microsoft-graph': { mailbox: 'klantenservice@example.nl' },
};

/** The relative modules a source file imports or re-exports for their values (`import type` loads nothing). */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?from\s+)?'(\.[^']+)';/gms)].map((m) =>
    resolve(dirname(file), m[1]!),
  );
}

/** A factory whose code is counted as it is loaded. */
function countingFactory(capabilities: ProcessorApi['capabilities']) {
  const loads: number[] = [];
  const finds: string[] = [];
  const factory: ProcessorApiFactory = {
    connector: 'counted',
    name: 'Counted',
    defaultUrl: 'http://counted.test',
    credentials: ['apiKey'],
    optionsSchema: z.strictObject({}),
    auth: () => async () => ({}),
    capabilities,
    load: async () => {
      loads.push(loads.length + 1);
      return (ctx: ProcessorApiContext): ProcessorApi => ({
        capabilities,
        find: async (subject) => {
          finds.push(subject.email);
          return [];
        },
        test: async () => ({ ok: true, checks: [{ name: ctx.system, ok: true, message: 'fine' }] }),
      });
    },
  };
  return { factory, loads, finds };
}

const config = {
  type: 'api' as const,
  connector: 'counted',
  processor: 'counted',
  credentials: { apiKey: 'COUNTED_KEY' },
  options: {},
  contact: 'support',
  days: 30,
  instructions: { nl: 'met de hand', en: 'by hand' },
  unconfigured: 'manual' as const,
};

describe('processor connectors are loaded when first used', () => {
  it('wires a system without loading its code, loads it once on the first call, and not for what goes by hand', async () => {
    const { factory, loads, finds } = countingFactory({ access: true, erase: false, rectify: false, restrict: false });
    const resolved = resolveApiSystem('counted', config, { COUNTED_KEY: 'k' }, [factory]);
    const { connector } = connectApiSystem(resolved, ['contact'], { clock });
    assert.ok(connector instanceof ApiConnector);
    assert.deepEqual(loads, [], 'building the executor loads no processor code');
    assert.equal(connector.capabilities.erase, false, 'capabilities come from the description');
    // An erasure the API cannot do is the manual task: still nothing loaded.
    const erased = await connector.erase({ email: 'iemand@example.com' }, { now: clock.now() });
    assert.equal(erased.status, 'manual');
    assert.deepEqual(loads, []);
    await connector.find({ email: 'iemand@example.com' });
    await connector.find({ email: 'ander@example.com' });
    assert.deepEqual(loads, [1], 'loaded once, on the first find');
    assert.deepEqual(finds, ['iemand@example.com', 'ander@example.com']);
  });

  it('tries a failed import again on the next call', async () => {
    const { factory } = countingFactory({ access: true, erase: false, rectify: false, restrict: false });
    let fail = true;
    const flaky: ProcessorApiFactory = {
      ...factory,
      load: async () => {
        if (fail) throw new Error('the chunk could not be read');
        return factory.load();
      },
    };
    const resolved = resolveApiSystem('counted', config, { COUNTED_KEY: 'k' }, [flaky]);
    const { api } = createProcessorApi(resolved, ['contact'], { clock });
    await assert.rejects(api.find({ email: 'iemand@example.com' }), /could not be read/);
    fail = false;
    assert.deepEqual(await api.find({ email: 'iemand@example.com' }), []);
  });

  it('describes each processor as its code does: the same capabilities, and a method for each', async () => {
    assert.equal(PROCESSOR_APIS.length, 7);
    for (const factory of PROCESSOR_APIS) {
      const create = await factory.load();
      const api = create({
        system: factory.connector,
        processor: factory.connector,
        categories: ['contact'],
        http: undefined as never, // not called: nothing is asked of the processor here
        credentials: { shop: 'balkonzon.myshopify.com', propertyId: '1' },
        options: factory.optionsSchema.parse(OPTIONS[factory.connector] ?? {}),
        clock,
      });
      assert.deepEqual(api.capabilities, factory.capabilities, factory.connector);
      for (const method of ['erase', 'rectify', 'restrict'] as const)
        assert.equal(
          typeof api[method] === 'function',
          factory.capabilities[method],
          `${factory.connector}: ${method} is ${factory.capabilities[method] ? 'promised but missing' : 'there but not described'}`,
        );
    }
  });

  it('keeps every processor implementation out of what the registry imports', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const imported of valueImports(file)) visit(imported);
    };
    visit(join(HERE, 'registry.ts'));
    visit(join(HERE, 'api-systems.ts'));
    const implementations = [...seen].filter((f) => f.endsWith('.api.ts'));
    assert.deepEqual(implementations, [], 'only import() in a factory may reach a processor implementation');
    // Each description points at its implementation.
    const factories = [...seen].filter((f) => f.endsWith('.factory.ts'));
    assert.equal(factories.length, 7);
    for (const f of factories) assert.match(readFileSync(f, 'utf8'), /import\('\.\/[a-z-]+\.api\.ts'\)/);
  });

  it('still falls back to the manual task without loading anything when a secret is missing', async () => {
    const { factory, loads } = countingFactory({ access: true, erase: true, rectify: false, restrict: false });
    const resolved = resolveApiSystem('counted', config, {}, [factory]);
    const { connector, warning } = connectApiSystem(resolved, ['contact'], { clock });
    assert.ok(connector instanceof ManualConnector);
    assert.match(warning ?? '', /COUNTED_KEY not set/);
    await connector.find({ email: 'iemand@example.com' });
    assert.deepEqual(loads, []);
  });
});
