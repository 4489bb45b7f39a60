import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InzageError } from '../lib/errors.ts';
import { dayInAmsterdam } from '../lib/legal-period.ts';
import type { ProcessorAnswer } from '../requests/manual-tasks.ts';
import type { DsrRequest } from '../requests/request.repository.ts';
import { isShopifyTask } from '../shopify/shopify-webhooks.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';
import { registerRequestCreateCommand } from './requests-create.command.ts';

// A day as it is in Amsterdam: a deadline is the end of its day there (23:59 local is 22:59 or 21:59 UTC).
const day = (iso: string | null) => (iso ? dayInAmsterdam(iso) : '—');

/** One line of the register: no identity is shown for requests that no longer hold one. */
function line(r: DsrRequest): string {
  const who = r.email ?? '(identity erased)';
  return `${r.id}  ${r.type.padEnd(13)} ${r.status.padEnd(21)} received ${day(r.receivedAt)}  due ${day(r.dueAt)} (legal ${day(r.legalDueAt)})  ${who}`;
}

export function registerRequestCommands(program: Command, io: CliIo): void {
  const fail = (message: string) => {
    io.err(`error: ${message}`);
    process.exitCode = 1;
  };
  const requests = program.command('requests').description('data-subject requests and their register');
  registerRequestCreateCommand(requests, io);

  requests
    .command('list')
    .description('the register of requests, newest first')
    .option('--open', 'only requests still open')
    .option('--json', 'as JSON')
    .action((opts: { open?: boolean; json?: boolean }) =>
      withServices(async ({ requests: repo, notices }) => {
        const list = await repo.list({ open: opts.open });
        if (opts.json) {
          // The register says which processors were told (Art. 19), by id only.
          const told = await notices.processorsTold(list.map((r) => r.id));
          return io.out(
            JSON.stringify(
              list.map((r) => ({ ...r, processorsTold: told.get(r.id) ?? [] })),
              null,
              2,
            ),
          );
        }
        if (list.length === 0) return io.out('no requests');
        for (const r of list) io.out(line(r));
      }),
    );

  requests
    .command('show <id>')
    .description("a request's status, timeline, result and tasks")
    .option('--json', 'as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      withServices(async ({ requests: repo, notices: noticeRepo }) => {
        const r = await repo.get(id);
        if (!r) {
          io.err(`error: no request ${id}`);
          process.exitCode = 1;
          return;
        }
        const events = await repo.events(id);
        const tasks = await repo.tasks({ requestId: id });
        const notices = await noticeRepo.forRequest(id);
        if (opts.json) return io.out(JSON.stringify({ ...r, events, tasks, notices }, null, 2));
        io.out(line(r));
        if (r.channel) io.out(`came by: ${r.channel}`);
        if (r.outcome) io.out(`outcome: ${r.outcome}`);
        for (const e of events) io.out(`  ${e.at}  ${e.event}${e.detail ? `  ${e.detail}` : ''}`);
        for (const t of tasks)
          io.out(
            `  task ${t.id}  ${t.status.padEnd(5)} ${t.action} at ${t.processor} (${t.contact}), due ${day(t.due_at)}`,
          );
        // GDPR Art. 19: which processors were told, when, and what they answered.
        if (notices.length) io.out('processors told:');
        for (const n of notices)
          io.out(
            `  ${n.at}  ${n.action.padEnd(8)} ${n.processor.padEnd(22)} ${n.status.padEnd(13)} ${n.answer}${n.requests ? ` (${n.requests} HTTP requests)` : ''}`,
          );
      }),
    );

  const decide = (
    name: string,
    description: string,
    run: (s: Parameters<Parameters<typeof withServices>[0]>[0], id: string, reason?: string) => Promise<unknown>,
    needsReason = false,
  ) => {
    const cmd = requests.command(`${name} <id>`).description(description);
    if (needsReason) cmd.requiredOption('--reason <text>', 'the reasons, sent to the person');
    cmd.action((id: string, opts: { reason?: string }) =>
      withServices(async (services) => {
        const result = await run(services, id, opts.reason);
        // Reasons go to the person and may name them: the trail records that one was given.
        await services.audit.record({
          actor: 'cli',
          action: `request.${name}`,
          target: `request:${id}`,
          ...(needsReason ? { details: { reasonGiven: true } } : {}),
        });
        const r = await services.requests.get(id);
        io.out(`${id}: ${r?.status}${typeof result === 'string' ? ` (${result})` : ''}`);
      }),
    );
  };
  decide('approve', 'approve a rectification (applied now) or uphold an objection (export, then erasure)', (s, id) =>
    s.handling.approve(id),
  );
  decide(
    'reject',
    'reject a request; the reasons go to the person with their right to complain',
    (s, id, reason) => s.handling.reject(id, reason!),
    true,
  );
  decide(
    'extend',
    'extend the deadline by two months (GDPR Art. 12(3)); the reasons go to the person',
    (s, id, reason) => s.handling.extend(id, reason!),
    true,
  );
  decide('verify-identity', 'the identity of someone who asked delivery elsewhere has been checked', (s, id) =>
    s.handling.verifyIdentity(id),
  );
  decide('lift', 'lift the restriction a request set', (s, id) => s.handling.lift(id));

  const tasks = program.command('tasks').description('manual tasks for processors without an API');
  tasks
    .command('list')
    .option('--all', 'also tasks that are done')
    .option('--json', 'as JSON')
    .action((opts: { all?: boolean; json?: boolean }) =>
      withServices(async ({ requests: repo }) => {
        const list = await repo.tasks({ open: !opts.all });
        if (opts.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return io.out('no open tasks');
        for (const t of list) {
          const how = JSON.parse(t.instructions) as { nl: string };
          const of = isShopifyTask(t) ? 'from a Shopify webhook' : `request ${t.request_id}`;
          io.out(
            `${t.id}  ${t.status.padEnd(5)} ${t.action.padEnd(8)} ${t.processor.padEnd(22)} due ${day(t.due_at)}  ${of}`,
          );
          io.out(`    ask ${t.contact}: ${how.nl}`);
        }
      }),
    );
  tasks
    .command('done <taskId>')
    .option('--note <text>', 'a note for the file (the person does not see it)')
    .option('--attach <file>', 'for an access task: the file the processor gave; the person gets it as the next part')
    .option('--answer <text>', 'for an access task: what the processor holds, in words, for the person')
    .option('--nothing-held', 'for an access task: the processor holds nothing about the person')
    .action((taskId: string, opts: { note?: string; attach?: string; answer?: string; nothingHeld?: boolean }) =>
      withServices(async ({ handling, audit, requests: repo, shopifyWebhooks }) => {
        const task = await repo.task(taskId);
        if (task && isShopifyTask(task)) {
          // From a Shopify webhook (shop/redact): no request waits on it.
          if (!(await shopifyWebhooks.completeTask(taskId, opts.note ?? null)))
            return io.out(`task ${taskId} was done already`);
          await audit.record({ actor: 'cli', action: 'task.done', target: `task:${taskId}`, details: {} });
          return io.out(`task ${taskId} done`);
        }
        const given = [opts.attach, opts.answer, opts.nothingHeld].filter(Boolean).length;
        if (given > 1) return fail('give one of --attach, --answer and --nothing-held');
        let answer: ProcessorAnswer | undefined;
        if (opts.nothingHeld) answer = { kind: 'nothing-held' };
        else if (opts.answer) answer = { kind: 'text', text: opts.answer };
        else if (opts.attach) {
          try {
            answer = { kind: 'file', fileName: basename(opts.attach), content: readFileSync(opts.attach) };
          } catch {
            return fail(`--attach: cannot read ${opts.attach}`);
          }
        }
        let r: Awaited<ReturnType<typeof handling.completeTask>>;
        try {
          r = await handling.completeTask(taskId, opts.note, answer);
        } catch (err) {
          if (err instanceof InzageError && err.code === 'VALIDATION_FAILED')
            return fail('an access task needs what the processor gave: --attach FILE, --answer TEXT or --nothing-held');
          if (err instanceof InzageError && err.code === 'NOT_FOUND') return fail(`no task ${taskId}`);
          throw err;
        }
        await audit.record({ actor: 'cli', action: 'task.done', target: `request:${r.id}`, details: { task: taskId } });
        io.out(`task ${taskId} done; request ${r.id} is ${r.status}`);
      }),
    );

  program
    .command('mail')
    .description('the outbox')
    .command('attention')
    .description('messages failed for good, or recorded as sent without the mail server confirming it')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withServices(async ({ outbox }) => {
        const rows = await outbox.needingAttention();
        if (opts.json) return io.out(JSON.stringify(rows, null, 2));
        if (rows.length === 0) return io.out('no messages need attention');
        for (const m of rows)
          io.out(
            `${m.id}  ${m.status.padEnd(11)} ${m.template.padEnd(20)} ${day(m.at)}  request ${m.requestId ?? '—'}`,
          );
      }),
    );

  const apikey = program.command('apikey').description('API keys for the shop');
  apikey
    .command('create')
    .requiredOption('--name <name>', 'what the key is for, e.g. shop')
    .action((opts: { name: string }) =>
      withServices(async ({ apiKeys }) => {
        const { id, key } = await apiKeys.create(opts.name);
        io.out(`API key ${id} (${opts.name}) — shown once, store it now:`);
        io.out(key);
      }),
    );
  apikey.command('list').action(() =>
    withServices(async ({ apiKeys }) => {
      for (const k of await apiKeys.list())
        io.out(`${k.id}  ${k.name}  created ${day(k.created_at)}  ${k.revoked_at ? 'revoked' : 'active'}`);
    }),
  );
  apikey.command('revoke <id>').action((id: string) =>
    withServices(async ({ apiKeys }) => {
      io.out((await apiKeys.revoke(id)) ? `revoked ${id}` : `no active key ${id}`);
    }),
  );
}
