import type { Command } from 'commander';
import { z } from 'zod';
import { ROLES, type Role } from '../admin/users.ts';
import { emailAddress } from '../lib/email-address.ts';
import { validationFailed } from '../lib/errors.ts';
import { withAccounts } from './context.ts';
import type { CliIo } from './io.ts';

const Email = z.string().trim().pipe(emailAddress());
const RoleOption = z.enum(ROLES as [Role, ...Role[]]);

function email(value: string): string {
  const r = Email.safeParse(value);
  if (!r.success) throw validationFailed('--email must be an e-mail address', 'email');
  return r.data.toLowerCase();
}

/** `inzage user add|list|disable|reset`: back-office accounts; a setup link is printed, never mailed. */
export function registerUserCommands(program: Command, io: CliIo): void {
  const user = program.command('user').description('back-office accounts (officer, staff)');

  user
    .command('add')
    .description('create an account and print its one-time setup link (valid 72 hours)')
    .requiredOption('--email <address>', 'the login address')
    .requiredOption('--role <role>', 'officer (everything; TOTP mandatory) or staff (customer lookup)')
    .action((opts: { email: string; role: string }) => {
      const role = RoleOption.safeParse(opts.role);
      if (!role.success) throw validationFailed('--role must be officer or staff', 'role');
      const address = email(opts.email);
      return withAccounts(async ({ admin, audit }) => {
        const { account, setupLink } = await admin.users.add(address, role.data);
        await audit.record({
          actor: 'cli',
          action: 'user.add',
          target: `user:${account.id}`,
          details: { role: account.role },
        });
        io.out(`account ${account.id} (${account.role}) created`);
        io.out(`setup link, valid 72 hours, usable once — give it to the person privately:`);
        io.out(setupLink);
      });
    });

  user
    .command('list')
    .description('every account with its role and state')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) =>
      withAccounts(async ({ admin }) => {
        const list = await admin.users.list();
        if (opts.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return io.out('no accounts; create one with: inzage user add --email E --role officer');
        for (const a of list) {
          const state = a.disabled ? 'disabled' : a.active ? 'active' : 'awaiting setup';
          io.out(`${a.id}  ${a.role.padEnd(7)} ${state.padEnd(14)} ${a.totp ? 'totp   ' : 'no totp'}  ${a.email}`);
        }
      }),
    );

  user
    .command('disable')
    .description('stop an account: no login, its sessions end now')
    .requiredOption('--email <address>', 'the login address')
    .action((opts: { email: string }) => {
      const address = email(opts.email);
      return withAccounts(async ({ admin, audit }) => {
        const account = await admin.users.disable(address);
        await audit.record({ actor: 'cli', action: 'user.disable', target: `user:${account.id}` });
        io.out(`account ${account.id} disabled; its sessions have ended`);
      });
    });

  user
    .command('reset')
    .description('a new setup link: password and second factor are set again, sessions end')
    .requiredOption('--email <address>', 'the login address')
    .action((opts: { email: string }) => {
      const address = email(opts.email);
      return withAccounts(async ({ admin, audit }) => {
        const { account, setupLink } = await admin.users.reset(address);
        await audit.record({ actor: 'cli', action: 'user.reset', target: `user:${account.id}` });
        io.out(`account ${account.id} reset; new setup link, valid 72 hours, usable once:`);
        io.out(setupLink);
      });
    });
}
