import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { z } from 'zod';
import type { ProcessorApi, ProcessorApiFactory } from '../src/connectors/api/processor-api.ts';
import { DataMap } from '../src/datamap/datamap.schema.ts';
import { createWorker, type Worker } from '../src/jobs/worker.ts';
import { FakeClock, HOUR, MINUTE } from '../src/lib/clock.ts';
import { createLogger, silentLogger } from '../src/lib/logger.ts';
import { PROCESS_JOB } from '../src/requests/intake.service.ts';
import { buildServices, type Services } from '../src/services.ts';
import { sendJson, startFakeServer } from './fakes/fake-processor.ts';
import { testConfig } from './helpers/app.ts';
import { createTestStore, DIALECTS, skipFor, type TestStore } from './helpers/db.ts';
import { createTestShop, type TestShop } from './helpers/demo-shop.ts';
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

/**
 * Runs the worker until nothing is due (`drain`), or moves the clock in steps and runs what is due at
 * each (`wait`).
 */
function driveWorker(worker: () => Worker, clock: FakeClock) {
  const drain = async () => {
    for (let i = 0; i < 50 && (await worker().tick()) > 0; i++) {}
  };
  const wait = async (ms: number, step = 10 * MINUTE) => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      await drain();
    }
  };
  return { drain, wait };
}

const tinyApi: ProcessorApiFactory = {
  connector: 'tiny',
  name: 'Tiny',
  defaultUrl: 'http://127.0.0.1:9',
  credentials: ['apiKey'],
  optionsSchema: z.object({}).passthrough(),
  auth: (ctx) => async () => ({ 'x-api-key': ctx.credentials.apiKey ?? '' }),
  capabilities: { access: true, erase: true, rectify: false, restrict: true },
  load:
    async () =>
    (ctx): ProcessorApi => {
      const lookup = async (email: string) =>
        (await ctx.http.request<{ people: Person[] }>({ method: 'GET', path: '/people', query: { email } })).body
          .people;
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

/** A processor reached through its API: `connector` names the fake's client, `variable` the secret it reads. */
const apiSystem = (url: string, connector: string, variable: string, processor: string) => ({
  type: 'api',
  connector,
  processor,
  url,
  credentials: { apiKey: variable },
  contact: 'support',
  days: 30,
  instructions: { nl: 'handmatig', en: 'by hand' },
});

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
      const dataMap = DataMap.parse({
        systems: {
          mollie: apiSystem(alpha.server.url, 'tiny', 'ALPHA_KEY', 'mollie'),
          moneybird: apiSystem(beta.server.url, 'tiny', 'BETA_KEY', 'moneybird'),
          office365: apiSystem('http://127.0.0.1:9', 'tiny', 'OFFICE_SECRET_NOT_SET', 'office365'),
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

    const { drain, wait } = driveWorker(() => worker, clock);
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
      // Each processor's part in words, by its name; never a system or collection name.
      assert.match(mail.text, /Uw gegevens bij Mollie/);
      assert.match(mail.text, /Uw gegevens bij MoneyBird/);
      assert.doesNotMatch(mail.text, /\bpeople\b|\bmollie\b|\bmoneybird\b/);
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
      // The one that stayed down, and the processors reached by hand (each asked by the officer).
      const tasks = await services.requests.tasks({ requestId: id });
      assert.deepEqual(tasks.map((t) => `${t.action} ${t.system}`).sort(), [
        'access moneybird',
        'access office365',
        'access webwinkelkeur',
      ]);
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

/**
 * A processor like MyOnlineStore: it erases the account and answers with a part it cannot do (the
 * orders, kept for its own fiscal term without a date), which becomes the officer's task.
 */
const partialApi: ProcessorApiFactory = {
  connector: 'partial',
  name: 'Partial',
  defaultUrl: 'http://127.0.0.1:9',
  credentials: ['apiKey'],
  optionsSchema: z.object({}).passthrough(),
  auth: () => async () => ({}),
  capabilities: { access: false, erase: true, rectify: false, restrict: false },
  load:
    async () =>
    (ctx): ProcessorApi => ({
      capabilities: { access: false, erase: true, rectify: false, restrict: false },
      find: async () => [],
      erase: async () => {
        await ctx.http.request({ method: 'DELETE', path: '/account', okStatuses: [404] });
        const c = { system: ctx.system, anonymised: 0, sealed: 0, keptFields: [] };
        return {
          answer: 'deleted 1 account; 2 orders kept',
          collections: [
            { ...c, collection: 'customers', found: 1, deleted: 1 },
            { ...c, collection: 'orders', found: 2, deleted: 0, retained: 2, reason: 'fiscale bewaarplicht' },
          ],
          manual: { nl: 'ruim bestellingen 1 en 2 op', en: 'clean up orders 1 and 2' },
        };
      },
      test: async () => ({ ok: true, checks: [] }),
    }),
};

for (const dialect of DIALECTS) {
  describe(`processors that answer in part, refuse, or fail at different times on ${dialect}`, {
    skip: skipFor(dialect),
  }, () => {
    let alpha: Awaited<ReturnType<typeof startTinyProcessor>>;
    let beta: Awaited<ReturnType<typeof startTinyProcessor>>;
    let refusing: Awaited<ReturnType<typeof startTinyProcessor>>;
    let partial: Awaited<ReturnType<typeof startFakeServer>>;
    let store: TestStore;
    let services: Services;
    let worker: Worker;
    let dataDir: string;
    const clock = new FakeClock();

    before(async () => {
      alpha = await startTinyProcessor('key-alpha');
      beta = await startTinyProcessor('key-beta');
      refusing = await startTinyProcessor('key-refusing');
      partial = await startFakeServer(
        (_req, res) => {
          res.writeHead(204);
          res.end();
        },
        { env: () => ({}) },
      );
      store = await createTestStore(dialect);
      dataDir = mkdtempSync(join(tmpdir(), 'inzage-processors-'));
      const dataMap = DataMap.parse({
        systems: {
          mollie: apiSystem(alpha.server.url, 'tiny', 'ALPHA_KEY', 'mollie'),
          moneybird: apiSystem(beta.server.url, 'tiny', 'BETA_KEY', 'moneybird'),
          myonlinestore: apiSystem(partial.url, 'partial', 'PARTIAL_KEY', 'myonlinestore'),
          webwinkelkeur: apiSystem(refusing.server.url, 'tiny', 'WRONG_KEY', 'webwinkelkeur'),
        },
      });
      services = buildServices(testConfig(dataDir), store, clock, silentLogger(), {
        dataMap,
        executor: {
          env: { ALPHA_KEY: 'key-alpha', BETA_KEY: 'key-beta', PARTIAL_KEY: 'k', WRONG_KEY: 'revoked-key' },
          processorApis: [tinyApi, partialApi],
          apis: { sleep: async () => {}, http: { maxRetries: 1 } },
        },
      });
      worker = createWorker({
        jobs: services.jobs,
        definitions: services.jobDefinitions,
        clock,
        logger: silentLogger(),
      });
    });
    after(async () => {
      await services?.close();
      await store?.drop();
      for (const s of [alpha?.server, beta?.server, refusing?.server, partial]) await s?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });
    beforeEach(() => {
      alpha.server.down(false);
      beta.server.down(false);
    });

    const { drain, wait } = driveWorker(() => worker, clock);
    const start = async (type: 'access' | 'erasure', email: string) => {
      const id = await insertRequest(services, { type, email });
      await services.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` });
      await drain();
      return id;
    };
    const tasksOf = async (id: string) =>
      (await services.requests.tasks({ requestId: id })).map((t) => `${t.action} ${t.system}`).sort();

    it("keeps a processor's manual part when another processor is down and the request is tried again", async () => {
      const email = 'deel@example.com';
      alpha.add(email);
      alpha.server.down(true);
      const id = await start('erasure', email);
      assert.equal((await services.requests.get(id))?.status, 'in_progress');
      assert.ok((await tasksOf(id)).includes('erase myonlinestore'), 'the orders task is recorded with the retry');
      alpha.server.down(false);
      await wait(2 * HOUR);
      assert.equal((await services.requests.get(id))?.status, 'waiting_on_tasks');
      assert.deepEqual(await tasksOf(id), ['erase myonlinestore', 'erase webwinkelkeur']);
      assert.equal(partial.requests.filter((r) => r.method === 'DELETE').length, 1, 'told once');
    });

    it('tells the person what a processor keeps for its own term, without a date', async () => {
      const email = 'bewaard@example.com';
      alpha.add(email);
      await start('erasure', email);
      const mail = (await services.outbox.messages()).find((m) => m.template === 'erased' && m.to === email);
      assert.ok(mail);
      assert.match(
        mail.text.replace(/\s+/g, ' '),
        /Uw bestellingen bij MyOnlineStore, tot de eigen bewaartermijn van de verwerker afloopt: fiscale bewaarplicht/,
      );
      assert.doesNotMatch(mail.text, /\bmyonlinestore\b|\borders\b|\bpeople\b/);
    });

    it('hands a processor that refuses the request to the officer at once, with the reason', async () => {
      const email = 'geweigerd@example.com';
      alpha.add(email);
      const id = await start('erasure', email);
      assert.equal((await services.requests.get(id))?.status, 'waiting_on_tasks', 'no day of retries');
      const events = await services.requests.events(id);
      assert.ok(!events.some((e) => e.event === 'processor_unavailable'));
      const task = (await services.requests.tasks({ requestId: id })).find((t) => t.system === 'webwinkelkeur');
      assert.match(
        JSON.parse(task!.instructions).nl,
        /^De API van de verwerker weigerde het verzoek \(.*401.*\)\. handmatig$/,
      );
      const notice = (await services.notices.forRequest(id)).filter((n) => n.system === 'webwinkelkeur').at(-1);
      assert.equal(notice?.status, 'manual');
      assert.match(notice!.answer, /^refused \(.*\): handed to the officer/);
    });

    it('gives each processor its own time to come back, counted from its own first failure', async () => {
      const email = 'eigen-klok@example.com';
      alpha.add(email);
      beta.add(email);
      alpha.server.down(true);
      const id = await start('access', email);
      await wait(100 * MINUTE);
      // MoneyBird answered so far; now it goes down as Mollie comes back.
      alpha.server.down(false);
      beta.server.down(true);
      await wait(50 * MINUTE);
      assert.equal((await services.requests.get(id))?.status, 'in_progress', 'MoneyBird gets its own two hours');
      const last = (await services.requests.events(id)).filter((e) => e.event === 'processor_unavailable').at(-1);
      assert.deepEqual(JSON.parse(last!.detail!).systems, ['moneybird']);
      await wait(5 * HOUR);
      assert.equal((await services.requests.get(id))?.status, 'waiting_on_tasks');
      const mail = (await services.outbox.messages()).find((m) => m.template === 'access-ready' && m.to === email);
      assert.match(mail!.text, /MoneyBird was niet\s+bereikbaar/);
      assert.ok((await tasksOf(id)).includes('access moneybird'));
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`the shop's own database out of reach on ${dialect}`, { skip: skipFor(dialect) }, () => {
    let shop: TestShop;
    let store: TestStore;
    let services: Services;
    let worker: Worker;
    let dataDir: string;
    let people: string[];
    const clock = new FakeClock();

    before(async () => {
      shop = await createTestShop('sqlite', 20);
      store = await createTestStore(dialect);
      dataDir = mkdtempSync(join(tmpdir(), 'inzage-shop-outage-'));
      const dataMap = { ...shop.dataMap, systems: { shop: shop.dataMap.systems.shop! } };
      services = buildServices(testConfig(dataDir), store, clock, silentLogger(), { dataMap });
      worker = createWorker({
        jobs: services.jobs,
        definitions: services.jobDefinitions,
        clock,
        logger: silentLogger(),
      });
      const db = new SqliteDatabase(shop.url, { readonly: true });
      people = db
        .prepare('select email from customers order by id limit 4')
        .all()
        .map((r) => (r as { email: string }).email);
      db.close();
    });
    after(async () => {
      await services?.close();
      await store?.drop();
      await shop?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /** The database answers, but not with the customers: every lookup fails as an outage would. */
    const outage = (away: boolean) => {
      const db = new SqliteDatabase(shop.url);
      db.exec(
        away ? 'alter table customers rename to customers_away' : 'alter table customers_away rename to customers',
      );
      db.close();
    };
    const customers = (email: string) => {
      const db = new SqliteDatabase(shop.url, { readonly: true });
      const n = (db.prepare('select count(*) as n from customers where email = ?').get(email) as { n: number }).n;
      db.close();
      return n;
    };
    const { drain, wait } = driveWorker(() => worker, clock);
    const start = async (email: string) => {
      const id = await insertRequest(services, { type: 'erasure', email });
      await services.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` });
      await drain();
      return id;
    };

    it('finishes an erasure when the shop database is back after an hour, trying on the outage schedule', async () => {
      const email = people[0]!;
      outage(true);
      const id = await start(email);
      await wait(HOUR);
      assert.equal((await services.requests.get(id))?.status, 'in_progress');
      const tries = (await services.requests.events(id)).filter((e) => e.event === 'system_unavailable');
      assert.ok(tries.length >= 4, `${tries.length} tries in an hour`);
      assert.deepEqual(JSON.parse(tries[0]!.detail!).systems, ['shop']);
      outage(false);
      await wait(3 * HOUR);
      assert.equal((await services.requests.get(id))?.status, 'completed');
      assert.equal(customers(email), 0);
      assert.equal((await services.jobs.counts()).failed, 0, 'no job gave up');
    });

    it('gives the officer a task when the shop database stays away for a day, and closes it when it answers', async () => {
      const email = people[1]!;
      outage(true);
      const id = await start(email);
      await wait(28 * HOUR, HOUR);
      const task = (await services.requests.tasks({ requestId: id })).find((t) => t.system === 'shop');
      assert.equal(task?.status, 'open');
      assert.match(JSON.parse(task!.instructions).nl, /^shop is sinds .* niet bereikbaar/);
      assert.equal((await services.requests.get(id))?.status, 'in_progress', 'still trying');
      outage(false);
      await wait(5 * HOUR, HOUR);
      assert.equal((await services.requests.get(id))?.status, 'completed');
      const closed = (await services.requests.tasks({ requestId: id })).find((t) => t.system === 'shop');
      assert.equal(closed?.status, 'done');
      assert.equal(customers(email), 0);
    });

    it('starts a request again whose processing job stopped for good', async () => {
      const email = people[2]!;
      const id = await insertRequest(services, { type: 'erasure', email, status: 'in_progress' });
      await services.jobs.enqueue('requests.housekeeping', {}, { dedupeKey: 'housekeeping:early' });
      await drain();
      assert.ok(!(await services.requests.events(id)).some((e) => e.event === 'resumed'), 'not while just touched');
      clock.advance(20 * MINUTE);
      await services.jobs.enqueue('requests.housekeeping', {});
      await drain();
      assert.ok((await services.requests.events(id)).some((e) => e.event === 'resumed'));
      assert.equal((await services.requests.get(id))?.status, 'completed');
      assert.equal(customers(email), 0);
    });

    it('records an erasure in the audit trail with counts per system and without the address', async () => {
      const email = people[3]!;
      const id = await start(email);
      assert.equal((await services.requests.get(id))?.status, 'completed');
      const entry = (await services.audit.list({ action: 'request.erased' })).find((e) => e.target === `request:${id}`);
      assert.ok(entry, 'the erasure is in the audit trail');
      assert.equal(entry.actor, 'system');
      const details = entry.details as { systems: Record<string, number>; retained: number; status: string };
      assert.ok(details.systems.shop! > 0);
      assert.equal(details.status, 'completed');
      assert.equal(typeof details.retained, 'number');
      assert.ok(!JSON.stringify(entry).includes(email.split('@')[0]!));
      assert.equal((await services.audit.verify()).ok, true);
    });
  });
}
