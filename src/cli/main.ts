import { processIo } from './io.ts';
import { runCli } from './program.ts';

// `inzage requests list | head` closes the pipe early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2), processIo);
// Long-running commands (serve, worker) keep the event loop alive; the others end here.
if (code !== 0) process.exitCode = code;
