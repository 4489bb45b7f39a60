import type { Command } from 'commander';
import { InzageError } from '../lib/errors.ts';
import { dayInAmsterdam } from '../lib/legal-period.ts';
import { correctionsFromPairs, OFFICER_CHANNELS } from '../requests/officer-intake.ts';
import { REQUEST_TYPES } from '../requests/request.types.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';

interface CreateOptions {
  type: string;
  email: string;
  received?: string;
  channel?: string;
  name?: string;
  message?: string;
  correct: string[];
  purpose: string[];
  lang?: string;
  identityChecked?: boolean;
  json?: boolean;
}

// The input's field names as the flags that set them, for messages.
const FLAG: Record<string, string> = {
  corrections: 'correct',
  purposes: 'purpose',
  language: 'lang',
  identityChecked: 'identity-checked',
};

/** `inzage requests create`: a request that came by e-mail, post, phone or in person, with the day it arrived. */
export function registerRequestCreateCommand(requests: Command, io: CliIo): void {
  requests
    .command('create')
    .description(
      'enter a request that came by e-mail, post, phone or in person; the deadlines count from the day it arrived',
    )
    .requiredOption('--type <type>', REQUEST_TYPES.join('|'))
    .requiredOption('--email <address>', "the person's e-mail address (the verification link and the answer go there)")
    .option('--received <YYYY-MM-DD>', 'the day it arrived, in Dutch time (default: today)')
    .option('--channel <channel>', `how it came: ${OFFICER_CHANNELS.join('|')}`, 'email')
    .option('--name <name>', "the person's name, as given")
    .option('--message <text>', 'what they asked (for an objection without --purpose: what it is about)')
    .option(
      '--purpose <id>',
      "for an objection: a purpose of the policy objected to (repeatable; see 'inzage policy register')",
      collect,
      [],
    )
    .option(
      '--correct <role=value>',
      'for rectification: a corrected value, e.g. last_name=Jansen (repeatable)',
      collect,
      [],
    )
    .option('--lang <nl|en>', 'the language of the e-mails to the person', 'nl')
    .option('--identity-checked', 'you have checked who the person is: no verification link, handling starts now')
    .option('--json', 'as JSON')
    .action((opts: CreateOptions) =>
      withServices(async ({ officerIntake }) => {
        if (opts.lang !== 'nl' && opts.lang !== 'en') return fail(io, '--lang must be nl or en');
        try {
          const corrections = correctionsFromPairs(opts.correct);
          const r = await officerIntake.enter(
            {
              type: opts.type,
              email: opts.email,
              received: opts.received,
              channel: opts.channel,
              name: opts.name,
              message: opts.message,
              corrections,
              purposes: opts.purpose,
              language: opts.lang,
              identityChecked: opts.identityChecked === true,
            },
            'cli',
          );
          if (opts.json) return io.out(JSON.stringify(r, null, 2));
          const day = (iso: string) => dayInAmsterdam(iso);
          io.out(
            `${r.joined ? 'joined open request' : 'entered request'} ${r.id}: ${r.status}; received ${day(r.receivedAt)}, ` +
              `due ${day(r.dueAt)} (legal deadline ${day(r.legalDueAt)}, GDPR Art. 12(3))`,
          );
          if (!r.joined && r.status === 'awaiting_verification')
            io.out('the person gets a verification link by e-mail; handling starts when they confirm');
        } catch (err) {
          if (err instanceof InzageError && err.code === 'VALIDATION_FAILED' && err.field)
            return fail(io, `--${FLAG[err.field] ?? err.field} ${err.message}`);
          throw err;
        }
      }),
    );
}

const collect = (value: string, previous: string[]) => [...previous, value];

function fail(io: CliIo, message: string): void {
  io.err(`error: ${message}`);
  process.exitCode = 1;
}
