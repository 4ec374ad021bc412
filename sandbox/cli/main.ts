#!/usr/bin/env node
import { processIo, reportError } from './io.js';
import { drawSplash, opensTui } from './splash.js';

const argv = process.argv.slice(2);
// What a command's action does not await (a timer, a signal or event handler, a promise left running, the
// terminal UI) fails here: one line like any other error, the stack only with --debug, and the exit hooks run.
const fail = (error: unknown) => process.exit(reportError(error, argv.includes('--debug'), processIo));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// A reader that stops early (`sandbox faults | head -1`) closes the pipe: stop quietly, as `cat` does.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});
// React's development build costs the terminal UI a few times more CPU; loaded only after this is set.
process.env.NODE_ENV ??= 'production';
if (opensTui(argv)) {
  drawSplash();
  (await import('../tui/early-frame.js')).drawEarlyFrame();
}
const { runCli } = await import('./program.js');

const code = await runCli(argv, processIo);
// Long-running commands (generate) keep the process alive through their servers and exit on a signal.
if (code !== 0) process.exit(code);
