import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackChild } from '../cleanup.js';
import { readProcessIdentity, type ProcessIdentity } from './process-identity.js';

/** The environment variable that hands the reaper its orders (see reaper-main.ts). */
export const REAPER_ENV = 'OBS_SANDBOX_REAPER';

/** What the reaper watches and what it removes once the process it watches is gone. */
export interface ReaperOrders {
  /** The process that started the sandbox. */
  pid: number;
  /** Its identity, so that a later process given the same pid is not taken for it (none without /proc). */
  process?: ProcessIdentity;
  /** The sandbox's state directory: what `sandbox down` would clean up there, the reaper does. */
  stateDir: string;
  /** Remove the state directory itself too (a temporary one made for the sandbox). */
  removeStateDir: boolean;
}

/**
 * Run from the sources (the project's own tests), the entry script is TypeScript and needs tsx, which costs
 * each reaper half a second of CPU: the tests name the build of the same code here when there is one.
 */
export const REAPER_ENTRY_ENV = 'OBS_SANDBOX_REAPER_ENTRY';
const ENTRY = fileURLToPath(new URL(`./reaper-main${extname(import.meta.url)}`, import.meta.url));

/**
 * Starts the reaper of a sandbox, a detached process in the manner of Testcontainers' Ryuk: should this
 * process die without cleaning up (SIGKILL, a crash of the runtime), it does what `sandbox down` does for
 * `stateDir` within a second or so. Returns what ends it once the sandbox has stopped; an exit of this
 * process ends it too (the exit hooks clean up then).
 */
export function startReaper(
  stateDir: string,
  options: { removeStateDir?: boolean; onMessage?: (message: string) => void } = {},
): () => void {
  const orders: ReaperOrders = {
    pid: process.pid,
    process: readProcessIdentity(process.pid),
    stateDir,
    removeStateDir: options.removeStateDir ?? false,
  };
  // The orders go in the environment, not on the command line: a look for processes naming the state
  // directory finds the sandbox's services, not the reaper waiting for them.
  const entry = (ENTRY.endsWith('.ts') && process.env[REAPER_ENTRY_ENV]) || ENTRY;
  const child = spawn(process.execPath, entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [REAPER_ENV]: JSON.stringify(orders) },
  });
  child.once('error', (error) =>
    options.onMessage?.(`no reaper: a SIGKILL would leave the sandbox running (${error.message})`),
  );
  child.unref();
  trackChild(child);
  return () => {
    child.kill();
  };
}
