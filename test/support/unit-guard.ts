import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterAll, vi } from 'vitest';
import { listenersNow, undoListenersSince } from './process-listeners.js';

/**
 * Set up before every file of the unit project: a unit test starts no process and listens on no socket.
 * One that does fails at once, naming the way out, instead of slowing `npm run test:unit` down.
 */
function refuse(what: string): never {
  throw new Error(
    `a unit test may not ${what}: add this test file to INTEGRATION_TESTS in vitest.config.ts ` +
      '(it then runs with `npm run test:integration`)',
  );
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.assign(childProcess, { [name]: () => refuse(`start a process (child_process.${name})`) });
}
// ES module imports of node:child_process see the replaced functions only once the exports are synced.
syncBuiltinESMExports();
net.Server.prototype.listen = function listen(): never {
  return refuse('listen on a socket (a server)');
};

// The unit project does not isolate its files (vitest.config.ts): without this, a file would get the
// project's modules as an earlier file in the same worker left them, mocked by its vi.mock or not.
vi.resetModules();

// A worker's process ends without running the exit hooks files registered (sandbox/cleanup.ts removes its
// temporary directories in one): each file's run when it ends, as its own process exiting would have.
const exitHooksBefore = listenersNow(['exit']);
afterAll(() => undoListenersSince(exitHooksBefore));
