import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { InzageError, validationFailed } from '../lib/errors.ts';
import { withServices } from './context.ts';
import type { CliIo } from './io.ts';

export interface PublishOptions {
  effective?: string;
  yes?: boolean;
  json?: boolean;
}

/**
 * `inzage policy publish [FILE]`: the file becomes the next version. Refused with the lint errors, or
 * when nothing changed; in a terminal it shows what changed and asks first unless `--yes`.
 */
export async function publishPolicyCommand(file: string, opts: PublishOptions, io: CliIo): Promise<void> {
  let yaml: string;
  try {
    yaml = readFileSync(file, 'utf8');
  } catch {
    throw new InzageError('VALIDATION_FAILED', `cannot read the policy file ${file}`, { field: 'file' });
  }
  await withServices(async ({ registers, clock }) => {
    const [{ describeChange }, { parseEffectiveDate }] = await Promise.all([
      import('../policy/diff.ts'),
      import('../policy/versions.ts'),
    ]);
    const effective = opts.effective ? parseEffectiveDate(opts.effective, clock.now()) : undefined;
    if (opts.effective && !effective) throw validationFailed('--effective must be a date (YYYY-MM-DD)', 'effective');
    await registers.ensureFirstVersion();
    const preview = await registers.policyVersions.preview(yaml, file);
    if (!preview.ok && preview.reason === 'invalid') {
      for (const f of preview.findings) {
        const where = f.line ? `${file}:${f.line}:${f.column ?? 1}` : file;
        io.err(`${where} ${f.severity} ${f.rule}: ${f.path ? `${f.path}: ` : ''}${f.message}`);
      }
      throw new InzageError('POLICY_INVALID', `not published: the policy has ${preview.findings.length} lint error(s)`);
    }
    if (!preview.ok)
      throw new InzageError('CONFLICT', `nothing changed since version ${preview.against}; not published`);
    const diff = preview.diff;
    const lines = diff
      ? diff.changes.map((c) => `${c.material ? '* processing' : '- text'}: ${describeChange(c, 'en', diff.names)}`)
      : ['(the first version)'];
    const tty = process.stdout.isTTY && process.stdin.isTTY;
    if (tty && !opts.yes && !opts.json) {
      io.out(lines.join('\n'));
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      const answer = await rl.question(`Publish as version ${(preview.against?.number ?? 0) + 1}? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) return io.out('nothing published');
    }
    const version = await registers.policyVersions.publish({ yaml, effective, actor: 'cli', file });
    if (opts.json) {
      const { yaml: _, policy: __, ...summary } = version;
      io.out(JSON.stringify(summary, null, 2));
      return;
    }
    if (!tty || opts.yes) io.out(lines.join('\n'));
    io.out(`published version ${version.number} (${version.label}), effective ${version.effectiveAt}`);
    io.out(
      version.notify.status === 'queued'
        ? `the people with data in ${version.diff?.affectedCategories.join(', ')} will be mailed by the worker (inzage serve or inzage worker), at most ${registers.notifyPerMinute} a minute`
        : 'no material change: nobody is mailed',
    );
  });
}
