/**
 * A test process of a user's, as a child: starts a sandbox with the options given as JSON in argv[2],
 * prints each of its messages as `message: <text>` and `ready <state dir>` once it runs, then waits to be
 * signalled (startSandbox's own signal handling is what is under test).
 */
import { dirname } from 'node:path';
import { startSandbox, type StartSandboxOptions } from '../../sandbox/testing.js';

const options = JSON.parse(process.argv[2] ?? '{}') as StartSandboxOptions;
const sandbox = await startSandbox({
  ...options,
  onMessage: (message) => console.log(`message: ${message}`),
});
console.log(`ready ${dirname(sandbox.sandbox.state.dataDir)}`);
setInterval(() => undefined, 60_000);
