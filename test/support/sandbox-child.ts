import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBuildOf } from './cli-entry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = currentBuildOf('sandbox/testing');

/**
 * A test process of a user's, as a child: starts a sandbox with the options given as JSON in its first
 * argument, prints each of its messages as `message: <text>` and `ready <state dir>` once it runs, then
 * waits to be signalled (startSandbox's own signal handling is what is under test). It imports the build of
 * `obs-sandbox/testing` when that is current (through tsx the sources cost each child a second of CPU),
 * else the sources.
 */
const SCRIPT = `
import { dirname } from 'node:path';
const { startSandbox } = await import(${JSON.stringify(pathToFileURL(BUILT ?? join(ROOT, 'sandbox', 'testing.ts')).href)});
const options = JSON.parse(process.argv[1] ?? '{}');
const sandbox = await startSandbox({ ...options, onMessage: (message) => console.log('message: ' + message) });
console.log('ready ' + dirname(sandbox.sandbox.state.dataDir));
setInterval(() => undefined, 60_000);
`;

/** Node's arguments that run the child with these startSandbox options. */
export function sandboxChildArgs(options: object): string[] {
  return [
    ...(BUILT ? [] : ['--import', 'tsx']),
    '--input-type=module',
    '-e',
    SCRIPT,
    JSON.stringify(options),
  ];
}
