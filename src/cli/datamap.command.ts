import type { Command } from 'commander';
import type { DataMapFinding } from '../datamap/check.ts';
import type { UnmappedColumn } from '../datamap/discovery.ts';
import type { CliIo } from './io.ts';

export function registerDataMapCommands(program: Command, io: CliIo): void {
  const datamap = program.command('datamap').description('the data map: where personal data lives');
  datamap
    .command('check')
    .description(
      'check datamap.yaml against the policy and the live databases, and look for personal data it does not map',
    )
    .option('--json', 'print the findings as JSON')
    .option('--no-live', 'do not connect to the databases')
    .action(async (opts: { json?: boolean; live: boolean }) => {
      // Loaded when the command runs (see context.ts).
      const [
        { loadConfig },
        { openSqlDatabase },
        { readIndexes },
        { checkAgainstDatabase, checkAgainstPolicy, checkApiSystems, checkMetaIndexes, metaLookupTables },
        { loadConfiguredDataMap },
        { checkDeclaredFormats, describeUnmapped, discoverUnmapped },
        { checkRecipientValues },
      ] = await Promise.all([
        import('../config/config.ts'),
        import('../connectors/sql/sql-database.ts'),
        import('../connectors/sql/sql-indexes.ts'),
        import('../datamap/check.ts'),
        import('../datamap/configured.ts'),
        import('../datamap/discovery.ts'),
        import('../datamap/recipients.ts'),
      ]);
      const config = loadConfig();
      const map = loadConfiguredDataMap(config);
      const findings: DataMapFinding[] = checkAgainstPolicy(map, config.policy);
      const unmapped: UnmappedColumn[] = [];
      findings.push(...checkApiSystems(map, process.env));
      if (opts.live) {
        for (const [id, system] of Object.entries(map.systems)) {
          if (system.type !== 'sql') continue;
          try {
            const database = openSqlDatabase(system.url, { schema: system.schema });
            try {
              findings.push(...(await checkAgainstDatabase(id, system, database.db)));
              const indexes = await readIndexes(database, metaLookupTables(system));
              findings.push(...checkMetaIndexes(id, system, indexes));
              findings.push(...(await checkRecipientValues(id, system, database.db, config.policy)));
              findings.push(...(await checkDeclaredFormats(id, system, database.db)));
              unmapped.push(...(await discoverUnmapped(id, system, database.db)));
            } finally {
              await database.close();
            }
          } catch (err) {
            findings.push({
              severity: 'error',
              path: `systems.${id}.url`,
              message: `cannot connect: ${(err as Error).message}`,
            });
          }
        }
      }
      const errors = findings.filter((f) => f.severity === 'error').length;
      // Unmapped columns that look personal are warnings: where, what and how many, never a value.
      if (opts.json) io.out(JSON.stringify({ ok: errors === 0, findings, unmapped }, null, 2));
      else {
        for (const f of findings) io.out(`${config.datamapFile} ${f.severity} ${f.path}: ${f.message}`);
        for (const u of unmapped) io.out(`${config.datamapFile} warning unmapped ${describeUnmapped(u)}`);
        const systems = Object.keys(map.systems).length;
        const warnings = findings.length - errors + unmapped.length;
        io.out(`${systems} systems checked: ${errors} errors, ${warnings} warnings (${unmapped.length} unmapped)`);
      }
      if (errors > 0) process.exitCode = 1;
    });
}
