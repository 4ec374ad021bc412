import { afterAll, vi } from 'vitest';
import { listenersNow, undoListenersSince } from './process-listeners.js';

/**
 * Set up before every file of the integration project, which does not isolate its files (vitest.config.ts):
 * a worker runs file after file in one process. What a file changes in that process is undone when the file
 * ends, as the end of a process of its own used to undo it, so that the next file starts as it would alone.
 */

/** The process events a file's code (the sandbox's cleanup, a CLI run in the test's process) listens to. */
const PROCESS_EVENTS = [
  'exit',
  'beforeExit',
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'uncaughtException',
  'unhandledRejection',
] as const;

const envBefore = { ...process.env };
const exitCodeBefore = process.exitCode;
const listenersBefore = listenersNow(PROCESS_EVENTS);

/** Restores process.env as it was before the file (tests set TMPDIR, state directories, binary paths). */
function restoreEnv(): void {
  for (const key of Object.keys(process.env)) if (!(key in envBefore)) delete process.env[key];
  for (const [key, value] of Object.entries(envBefore))
    if (process.env[key] !== value) process.env[key] = value;
}

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  restoreEnv();
  // A command run in the test's process sets it when it fails; the worker's own exit must not take it.
  process.exitCode = exitCodeBefore;
  // A leftover uncaughtException or unhandledRejection listener would also make vitest take later files'
  // unhandled errors as handled.
  undoListenersSince(listenersBefore);
});

// Without this, a file would get the project's modules as an earlier file in the same worker left them:
// their state (sandbox/cleanup.ts's tracked children and runs, the Docker client) and the afterAll hooks
// that support modules register as they load (test/support/cli.ts, tmux.ts) are per file only if they load
// afresh for each file.
vi.resetModules();
