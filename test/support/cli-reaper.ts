import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** The environment variable that marks the CLI processes of one test process. */
export const CLI_MARK = 'OBS_SANDBOX_TEST_CLI';
/** The environment variable that hands the reaper its orders (see cli-reaper-main.ts). */
export const CLI_REAPER_ENV = 'OBS_SANDBOX_TEST_CLI_REAPER';

/** What the reaper kills: processes running `entry` with `mark` (NAME=VALUE) in their environment. */
export interface CliReaperOrders {
  entry: string;
  mark: string;
}

const MAIN = fileURLToPath(new URL('./cli-reaper-main.ts', import.meta.url));

export interface CliReaper {
  /** To add to the environment of every CLI this process spawns: the reaper knows them by it. */
  env: Record<string, string>;
  /** Ends the reaper: call it once every CLI spawned with `env` has exited. */
  release(): void;
}

/**
 * Starts a reaper for the CLI processes this test process spawns running `entry`, as a sandbox has one for
 * its services (sandbox/stack/reaper.ts): a detached process, tied to this one by an IPC channel that closes
 * when this process dies, however it dies (a SIGKILLed worker's CLI otherwise ran on until its next write
 * failed, 3-8 s for `start`, for ever for a quiet `generate`). It then SIGKILLs every process running `entry`
 * with the mark in its environment, the CLIs and any sandbox one started in the background; each sandbox's
 * own reaper removes what it had started, as after a user's SIGKILL.
 */
export function startCliReaper(entry: string, onMessage: (message: string) => void): CliReaper {
  const mark = randomBytes(12).toString('hex');
  const orders: CliReaperOrders = { entry, mark: `${CLI_MARK}=${mark}` };
  // The orders go in the environment: a look for processes running the CLI does not find the reaper.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [CLI_REAPER_ENV]: JSON.stringify(orders) },
  });
  child.once('error', (error) =>
    onMessage(`no CLI reaper: a SIGKILL of this process would leave its CLIs running (${error.message})`),
  );
  // Neither the process nor the channel keeps this one alive.
  child.unref();
  child.channel?.unref();
  return { env: { [CLI_MARK]: mark }, release: () => child.kill() };
}
