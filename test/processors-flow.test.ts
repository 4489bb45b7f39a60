import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import type { ProcessorApi, ProcessorApiFactory } from '../src/connectors/api/processor-api.ts';
import { DataMap } from '../src/datamap/datamap.schema.ts';
import { createWorker, type Worker } from '../src/jobs/worker.ts';
import { FakeClock, HOUR, MINUTE } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { PROCESS_JOB } from '../src/requests/intake.service.ts';
import { buildServices, type Services } from '../src/services.ts';
import { sendJson, startFakeServer } from './fakes/fake-processor.ts';
import { testConfig } from './helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from './helpers/db.ts';
import { insertRequest } from './helpers/requests.ts';

/**
 * A tiny processor: people by e-mail, delete, restrict. Enough to drive the request flow through the
 * real HttpClient, ApiConnector and handling, without waiting for the real processors' fakes.
 */
async function startTinyProcessor(key: string) {
  const people = new Map<string, { id: string; email: string; name: string; restricted: boolean }>();
  const calls: string[] = [];
  const server = await startFakeServer(
    (req, res) => {
      if (req.headers['x-api-key'] !== key) return sendJson(res, 401, { error: 'bad key' });
      calls.push(`${req.method} ${req.path}`);
      if (req.method === 'GET' && req.path === '/people') {
        const email = req.query.get('email')?.toLowerCase();
        return sendJson(res, 200, { people: [...people.values()].filter((p) => p.email === email) });
      }
      const m = /^\/people\/([^/]+)(\/restrict)?$/.exec(req.path);
      const person = m ? [...people.values()].find((p) => p.id === m[1]) : undefined;
      if (!person) return sendJson(res, 404, { error: 'no such person' });
      if (req.method === 'DELETE') {
        people.delete(person.email);
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'POST' && m?.[2]) {
        person.restricted = true;
        return sendJson(res, 200, { id: person.id, restricted: true });
      }
      return sendJson(res, 405, { error: 'method' });
    },
    { env: () => ({}) },
  );
  const add = (email: string) => people.set(email, { id: `p${people.size + 1}`, email, name: 'X', restricted: false });
  return { server, people, calls, add };
}

type Person = { id: string; email: string; name: string };

const tinyApi: ProcessorApiFactory = {
  connector: 'tiny',
  name: 'Tiny',
  defaultUrl: 'http://127.0.0.1:9',
  credentials: ['apiKey'],
  optionsSchema: z.object({}).passthrough(),
  auth: (ctx) => async () => ({ 'x-api-key': ctx.credentials.apiKey ?? '' }),
  create: (ctx): ProcessorApi => {
    const lookup = async (email: string) =>
      (await ctx.http.request<{ people: Person[] }>({ method: 'GET', path: '/people', query: { email } })).body.people;
    return {
      capabilities: { access: true, erase: true, rectify: false, restrict: true },
      find: async (subject) => [
        {
          system: ctx.system,
          collection: 'people',
          records: (await lookup(subject.email)).map((p) => ({
            system: ctx.system,
            collection: 'people',
            key: p.id,
            data: { email: p.email, name: p.name },
            categories: { email: 'contact', name: 'contact' },
          })),
        },
      ],
      erase: async (subject) => {
        const found = await lookup(subject.email);
        for (const p of found) await ctx.http.request({ method: 'DELETE', path: `/people/${p.id}` });
        return {
          answer: found.length ? `deleted ${found.map((p) => p.id).join(', ')}` : 'nothing found',
          collections: [
            {
              system: ctx.system,
              collection: 'people',
              found: found.length,
              deleted: found.length,
              anonymised: 0,
              sealed: 0,
              keptFields: [],
            },
          ],
        };
      },
      restrict: async (subject) => {
        const found = await lookup(subject.email);
        for (const p of found) await ctx.http.request({ method: 'POST', path: `/people/${p.id}/restrict` });
        return { found: found.length > 0, answer: `restricted ${found.length}` };
      },
      test: async () => ({ ok: true, checks: [] }),
    };
  },
};

const manual = (processor: string) => ({
  type: 'manual',
  processor,
  contact: 'support',
  days: 14,
  instructions: { nl: 'vraag het', en: 'ask' },
});

for (const dialect of DIALECTS) {
  describe(`processors through their APIs on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let alpha: Awaited<ReturnType<typeof startTinyProcessor>>;
    let beta: Awaited<ReturnType<typeof startTinyProcessor>>;
    let store: TestStore;
    let services: Services;
    let worker: Worker;
    let dataDir: string;
    const clock = new FakeClock();
    const lines: string[] = [];

    before(async () => {
      alpha = await startTinyProcessor('key-alpha');
      beta = await startTinyProcessor('key-beta');
      store = await createTestStore(dialect);
      dataDir = mkdtempSync(join(tmpdir(), 'inzage-processors-'));
      const logger = createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk, _enc, cb) {
            lines.push(chunk.toString());
            cb();
          },
        }),
      });
      const api = (url: string, variable: string, processor: string) => ({
        type: 'api',
        connector: 'tiny',
        processor,
        url,
        credentials: { apiKey: variable },
        contact: 'support',
        days: 30,
        instructions: { nl: 'handmatig', en: 'by hand' },
      });
      const dataMap = DataMap.parse({
        systems: {
          mollie: api(alpha.server.url, 'ALPHA_KEY', 'mollie'),
          moneybird: api(beta.server.url, 'BETA_KEY', 'moneybird'),
          office365: api('http://127.0.0.1:9', 'OFFICE_SECRET_NOT_SET', 'office365'),
          webwinkelkeur: manual('webwinkelkeur'),
        },
      });
      services = buildServices(testConfig(dataDir), store, clock, logger, {
        dataMap,
        executor: {
          env: { ALPHA_KEY: 'key-alpha', BETA_KEY: 'key-beta' },
          processorApis: [tinyApi],
          apis: { sleep: async () => {}, http: { maxRetries: 2 } },
        },
      });
      worker = createWorker({ jobs: services.jobs, definitions: services.jobDefinitions, clock, logger });
    });
    after(async () => {
      await services?.close();
      await store?.drop();
      await alpha?.server.close();
      await beta?.server.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });
    beforeEach(() => {
      alpha.server.down(false);
      beta.server.down(false);
    });

    const drain = async () => {
      for (let i = 0; i < 50 && (await worker.tick()) > 0; i++) {}
    };
    /** Moves the clock in steps, running what is due at each. */
    const wait = async (ms: number, step = 10 * MINUTE) => {
      for (let t = 0; t < ms; t += step) {
        clock.advance(step);
        await drain();
      }
    };
    const start = async (type: 'access' | 'erasure' | 'restriction', email: string) => {
      const id = await insertRequest(services, { type, email });
      await services.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` });
      await drain();
      return id;
    };
    const noticesOf = async (id: string) =>
      (await services.notices.forRequest(id)).map((n) => `${n.action} ${n.system} ${n.status}`);

    it('tells each processor once and records what each answered', async () => {
      const email = 'eerste@example.com';
      alpha.add(email);
      beta.add(email);
      const id = await start('erasure', email);
      const request = await services.requests.get(id);
      assert.equal(request?.status, 'waiting_on_tasks');
      assert.deepEqual(await noticesOf(id), [
        'erase mollie done',
        'erase moneybird done',
        'erase office365 manual',
        'erase webwinkelkeur manual',
      ]);
      const notices = await services.notices.forRequest(id);
      const mollie = notices.find((n) => n.system === 'mollie')!;
      assert.equal(mollie.processor, 'mollie');
      assert.match(mollie.answer, /^deleted p\d+$/);
      assert.equal(mollie.requests, 2);
      assert.equal(alpha.people.has(email), false);
      const tasks = (await services.requests.tasks({ requestId: id })).map((t) => t.system).sort();
      assert.deepEqual(tasks, ['office365', 'webwinkelkeur']);
    });

    it('keeps a request in progress while a processor is down, visibly, and completes it when it recovers', async () => {
      const email = 'tweede@example.com';
      alpha.add(email);
      beta.add(email);
      beta.server.down(true);
      const id = await start('erasure', email);
      assert.equal((await services.requests.get(id))?.status, 'in_progress');
      const events = await services.requests.events(id);
      const down = events.filter((e) => e.event === 'processor_unavailable');
      assert.equal(down.length, 1);
      assert.deepEqual(JSON.parse(down[0]!.detail!).systems, ['moneybird']);
      assert.ok((await noticesOf(id)).includes('erase moneybird failed'));
      assert.ok((await noticesOf(id)).includes('erase mollie done'));

      await wait(3 * HOUR);
      assert.equal((await services.requests.get(id))?.status, 'in_progress', 'still waiting on the processor');
      const failedTries = (await noticesOf(id)).filter((n) => n === 'erase moneybird failed').length;
      assert.ok(failedTries >= 4, `${failedTries} tries in 3 hours`);

      beta.server.down(false);
      await wait(5 * HOUR, 30 * MINUTE);
      const request = await services.requests.get(id);
      assert.equal(request?.status, 'waiting_on_tasks', 'done but for the processors without an API');
      assert.ok((await noticesOf(id)).includes('erase moneybird done'));
      assert.equal(beta.people.has(email), false);
      // The healthy processor was told exactly once, however often the other was retried.
      assert.equal(alpha.calls.filter((c) => c.startsWith('DELETE')).length, 2);
      assert.equal((await noticesOf(id)).filter((n) => n === 'erase mollie done').length, 1);
      const mail = (await services.outbox.messages()).find((m) => m.template === 'erased' && m.to === email);
      assert.ok(mail, 'the erasure e-mail went out after the processor recovered');
      assert.match(mail.text, /mollie\.people|moneybird\.people/);
    });

    it('hands an erasure to the officer when a processor stays down for more than a day', async () => {
      const email = 'derde@example.com';
      beta.add(email);
      beta.server.down(true);
      const id = await start('erasure', email);
      await wait(26 * HOUR, HOUR);
      const request = await services.requests.get(id);
      assert.equal(request?.status, 'waiting_on_tasks');
      const task = (await services.requests.tasks({ requestId: id })).find((t) => t.system === 'moneybird');
      assert.equal(task?.action, 'erase');
      const last = (await services.notices.forRequest(id)).filter((n) => n.system === 'moneybird').at(-1);
      assert.equal(last?.status, 'manual');
      assert.match(last!.answer, /unreachable for 24 hours/);
    });

    it('delivers an access export without a processor that stays down, says so, and leaves a task', async () => {
      const email = 'vierde@example.com';
      alpha.add(email);
      beta.add(email);
      beta.server.down(true);
      const id = await start('access', email);
      assert.equal((await services.requests.get(id))?.status, 'in_progress');
      await wait(3 * HOUR);
      const request = await services.requests.get(id);
      assert.equal(request?.status, 'waiting_on_tasks');
      const mail = (await services.outbox.messages()).find((m) => m.template === 'access-ready' && m.to === email);
      assert.ok(mail);
      assert.match(mail.text, /MoneyBird was niet\s+bereikbaar/);
      const tasks = await services.requests.tasks({ requestId: id });
      assert.deepEqual(
        tasks.map((t) => `${t.action} ${t.system}`),
        ['access moneybird'],
      );
      const notices = await noticesOf(id);
      assert.ok(notices.includes('access mollie done'));
      assert.ok(notices.includes('access moneybird manual'));
    });

    it('does not call "no data" complete while a processor that may hold some could not be reached', async () => {
      const email = 'nergens-bekend@example.com';
      beta.server.down(true);
      await start('access', email);
      await wait(3 * HOUR);
      const mail = (await services.outbox.messages()).find((m) => m.template === 'no-data' && m.to === email);
      assert.ok(mail);
      assert.match(mail.subject, /nog niet compleet/);
      const text = mail.text.replace(/\s+/g, ' ');
      assert.match(text, /MoneyBird was niet bereikbaar/);
      assert.doesNotMatch(text, /Wij verwerken geen persoonsgegevens over u/);
    });

    it('tells processors with an API about a restriction and records their answers', async () => {
      const email = 'vijfde@example.com';
      alpha.add(email);
      const id = await start('restriction', email);
      assert.ok(alpha.calls.some((c) => /^POST \/people\/p\d+\/restrict$/.test(c)));
      const notices = await noticesOf(id);
      assert.ok(notices.includes('restrict mollie done'));
      assert.ok(notices.includes('restrict moneybird nothing-found'));
      assert.ok(notices.includes('restrict office365 manual'));
      assert.equal((await services.requests.get(id))?.status, 'waiting_on_tasks');
    });

    it('falls back to a manual task, with a warning, for a processor whose secret is not set', async () => {
      assert.deepEqual(services.executor?.warnings, [
        'office365: OFFICE_SECRET_NOT_SET not set; falls back to manual tasks',
      ]);
      assert.match(lines.join(''), /OFFICE_SECRET_NOT_SET not set/);
    });

    it('writes no e-mail address of a person to the log', () => {
      const log = lines.join('');
      assert.ok(log.includes('processor request'), 'HTTP requests were logged');
      for (const who of ['eerste', 'tweede', 'derde', 'vierde', 'vijfde']) assert.ok(!log.includes(who), who);
    });
  });
}
