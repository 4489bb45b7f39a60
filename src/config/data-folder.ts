import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InzageError } from '../lib/errors.ts';
import type { Config } from './config.ts';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'it is not a folder',
};

/**
 * Throws one line naming the folder and the variable that chose it when this process cannot create a
 * file in it. Inzage keeps its SQLite store (with its write-ahead log beside it), the generated secret
 * and the demo shop there; without this check the first write fails somewhere deep inside, much later.
 */
export function assertWritableFolder(folder: string, variable: string): void {
  const probe = join(folder, `.inzage-write-test-${process.pid}`);
  try {
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
    else if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw new InzageError(
      'CONFIG_INVALID',
      `cannot write to the data folder ${resolve(folder)} (${variable}): ${REASONS[code] ?? 'it cannot be written'} (${code}); make it writable for this user, or set ${variable} to a folder that is`,
      { cause: err },
    );
  }
}

/** The folders `serve` and `worker` write to: the SQLite store's, and the data folder when Inzage keeps files there. */
export function foldersToWrite(
  config: Pick<Config, 'database' | 'dataDir' | 'secretGenerated'>,
  env: NodeJS.ProcessEnv,
): Array<{ folder: string; variable: string }> {
  const folders = new Map<string, string>();
  const demoShop = !(env.INZAGE_DEMO === '0' || env.INZAGE_DEMO === 'false' || env.INZAGE_SHOP_DATABASE_URL);
  if (config.secretGenerated || demoShop) folders.set(config.dataDir, 'INZAGE_DATA_DIR');
  if (config.database.dialect === 'sqlite' && config.database.file !== ':memory:') {
    const folder = dirname(config.database.file);
    if (!folders.has(folder))
      folders.set(folder, resolve(folder) === resolve(config.dataDir) ? 'INZAGE_DATA_DIR' : 'INZAGE_DATABASE_URL');
  }
  return [...folders].map(([folder, variable]) => ({ folder, variable }));
}
