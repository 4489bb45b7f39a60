import { processIo } from './io.ts';
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), processIo);
// Long-running commands (serve, worker) keep the event loop alive; the others end here.
if (code !== 0) process.exitCode = code;
