import { execFileSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';

/**
 * Makes a file or folder impossible to write for this process, and returns how to undo it. Root
 * ignores permission bits, so as root the file is made immutable (`chattr +i`, which binds root too);
 * elsewhere its write bits are taken away. Undefined when neither works here (the caller skips, saying so).
 */
export function makeUnwritable(path: string): (() => void) | undefined {
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
      return () => execFileSync('chattr', ['-i', path], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
  }
  const mode = statSync(path).mode & 0o777;
  chmodSync(path, mode & ~0o222);
  return () => chmodSync(path, mode);
}
