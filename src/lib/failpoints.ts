/**
 * Failpoints: named places where a test can make the process die at once, as a power cut or
 * `kill -9` would, to prove that a resumed run records exactly what an uninterrupted one would.
 *
 * `INZAGE_FAILPOINTS=name[,name…]` arms them for a process; the list of names and where each sits is
 * `docs/failpoints.md` (src/lib/failpoints-doc.test.ts keeps the two in sync). Unset, `failpoint()` is one comparison with
 * `undefined`: the environment is read once, at load.
 */
export const FAILPOINTS = [
  'erasure.before-shop-commit',
  'erasure.after-shop-commit',
  'erasure.after-seal',
  'retention.before-shop-commit',
  'retention.after-shop-commit',
  'retention.after-hub-commit',
  'mail.after-send',
  'export.after-store',
  'secret.after-column',
] as const;
export type Failpoint = (typeof FAILPOINTS)[number];

/** The exit code of a process killed by SIGKILL (128 + 9), which is what a failpoint imitates. */
export const FAILPOINT_EXIT_CODE = 137;

let armed: ReadonlySet<string> | undefined = parse(process.env.INZAGE_FAILPOINTS);

function parse(value: string | undefined): ReadonlySet<string> | undefined {
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? new Set(names) : undefined;
}

/** Dies at once (exit code 137, no cleanup, no flush) when `name` is armed; otherwise does nothing. */
export function failpoint(name: Failpoint): void {
  if (armed === undefined || !armed.has(name)) return;
  process.stderr.write(`failpoint ${name}: exiting\n`);
  // Node's own exit without 'exit' handlers or flushing: nothing after this point runs.
  const hard = (process as unknown as { reallyExit?: (code: number) => never }).reallyExit;
  if (hard) hard.call(process, FAILPOINT_EXIT_CODE);
  process.exit(FAILPOINT_EXIT_CODE);
}

/** For tests in one process: arm these names instead of the environment's (`undefined` disarms all). */
export function armFailpoints(names: ReadonlyArray<Failpoint> | undefined): void {
  armed = names?.length ? new Set(names) : undefined;
}
