import { type Command, Option } from 'commander';
import type { Lang } from '../policy/labels.ts';
import type { Finding } from '../policy/lint.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { publishPolicyCommand } from './policy-publish.command.ts';

export interface PolicyCommandDeps {
  /** The policy file used when none is given on the command line. */
  defaultPolicyFile: () => string;
  /** Writes one line or block; the writer adds the final line end. */
  out: (s: string) => void;
  err: (s: string) => void;
}

const LANGS = ['nl', 'en'] as const;

/** Adds `policy lint`, `policy register` and `policy render` to the program. */
export function registerPolicyCommands(program: Command, deps: PolicyCommandDeps): void {
  const policy = program.command('policy').description('check, render and export the privacy policy file');

  policy
    .command('lint')
    .description('check the policy file against the GDPR and itself; exits 1 when there are errors')
    .argument('[file]', 'policy file (YAML)')
    .option('--json', 'print the findings as JSON')
    .action(async (file: string | undefined, opts: { json?: boolean }) => {
      await lintCommand(file ?? deps.defaultPolicyFile(), opts.json === true, deps);
    });

  policy
    .command('register')
    .description('export the record of processing activities (GDPR Art. 30)')
    .argument('[file]', 'policy file (YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('json'))
    .addOption(new Option('--lang <lang>', 'language of the CSV').choices(LANGS).default('nl'))
    .action(async (file: string | undefined, opts: { format: 'csv' | 'json'; lang: Lang }) => {
      const loaded = await loadPolicy(file ?? deps.defaultPolicyFile(), deps);
      if (!loaded) return;
      const { buildRegister, registerToCsv, registerToJson } = await import('../policy/register.ts');
      const record = buildRegister(loaded);
      deps.out(withoutFinalNewline(opts.format === 'csv' ? registerToCsv(record, opts.lang) : registerToJson(record)));
    });

  policy
    .command('render')
    .description('render the public policy text')
    .argument('[file]', 'policy file (YAML)')
    .addOption(new Option('--lang <lang>', 'language').choices(LANGS).default('nl'))
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'md']).default('html'))
    .action(async (file: string | undefined, opts: { lang: Lang; format: 'html' | 'md' }) => {
      const loaded = await loadPolicy(file ?? deps.defaultPolicyFile(), deps);
      if (!loaded) return;
      const { renderPolicy } = await import('../policy/render.ts');
      deps.out(withoutFinalNewline(renderPolicy(loaded, { lang: opts.lang, format: opts.format })));
    });

  policy
    .command('publish')
    .description('publish the policy file as a new version; a change in processing mails the people it concerns')
    .argument('[file]', 'policy file (YAML)')
    .option('--effective <date>', 'when it takes effect (YYYY-MM-DD, Dutch time); now when left out')
    .option('--yes', 'do not ask for confirmation in a terminal')
    .option('--json', 'print the published version as JSON')
    .action((file: string | undefined, opts: { effective?: string; yes?: boolean; json?: boolean }) =>
      publishPolicyCommand(file ?? deps.defaultPolicyFile(), opts, deps),
    );
}

// The linter, the renderer and the schema are loaded when a command uses them (see context.ts).
async function lintCommand(file: string, json: boolean, deps: PolicyCommandDeps): Promise<void> {
  const { lintPolicyFile } = await import('../policy/lint.ts');
  const { findings, ok } = lintPolicyFile(file);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (json) {
    deps.out(JSON.stringify({ file, ok, errors, warnings, findings }, null, 2));
  } else {
    for (const f of findings) deps.out(formatFinding(file, f));
    deps.out(`${count(errors, 'error')}, ${count(warnings, 'warning')}`);
  }
  process.exitCode = ok ? 0 : 1;
}

/** `FILE:LINE:COL severity rule: path: message (reference)`, the shape editors and CI annotate. */
export function formatFinding(file: string, f: Finding): string {
  const where = f.line ? `${file}:${f.line}:${f.column ?? 1}` : file;
  const path = f.path ? `${f.path}: ` : '';
  const reference = f.reference ? ` (${f.reference})` : '';
  return `${where} ${f.severity} ${f.rule}: ${path}${f.message}${reference}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Loads the policy, or prints why not and sets exit code 1. */
async function loadPolicy(file: string, deps: PolicyCommandDeps): Promise<Policy | undefined> {
  const [{ formatProblem, loadYamlFile }, { Policy }] = await Promise.all([
    import('../config/yaml-file.ts'),
    import('../policy/policy.schema.ts'),
  ]);
  const loaded = loadYamlFile(file, Policy);
  if (loaded.ok) return loaded.value;
  for (const p of loaded.problems) deps.err(formatProblem(p));
  process.exitCode = 1;
  return undefined;
}

/** The writer adds the line end, so a block that ends in one would leave an empty line. */
function withoutFinalNewline(s: string): string {
  return s.replace(/\r?\n$/, '');
}
