import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The environment variable that marks the CLI processes of one test process. */
export const CLI_MARK = 'OBS_SANDBOX_TEST_CLI';
/** The environment variable that hands the reaper its orders (see REAPER). */
export const CLI_REAPER_ENV = 'OBS_SANDBOX_TEST_CLI_REAPER';

/** The reaper's argument, which names it among processes (its orders are in its environment). */
export const CLI_REAPER_PROCESS = 'obs-sandbox-test-cli-reaper';

/** What the reaper kills: processes running `entry` with `mark` (NAME=VALUE) in their environment. */
export interface CliReaperOrders {
  entry: string;
  mark: string;
}

/**
 * The reaper's process: once the IPC channel to the test process closes, it SIGKILLs every process that runs
 * the CLI with the test process' mark, and exits. Plain JavaScript run with `node -e`: started for each test
 * file, through tsx it cost half a second of CPU each time.
 */
const REAPER = `
const { readdirSync, readFileSync } = require('node:fs');
const { entry, mark } = JSON.parse(process.env.${CLI_REAPER_ENV});
const read = (path) => { try { return readFileSync(path, 'utf8').split('\\0'); } catch { return []; } };
const marked = () => readdirSync('/proc').map(Number).filter((pid) =>
  Number.isInteger(pid) && read('/proc/' + pid + '/cmdline').includes(entry) && read('/proc/' + pid + '/environ').includes(mark));
async function reap() {
  // A CLI killed while it started a sandbox in the background may have spawned it just before: look again.
  for (let pass = 0; pass < 5; pass++) {
    const pids = marked();
    if (pids.length === 0) break;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.exit(0);
}
// The channel may have closed while this started, before its 'disconnect' could be heard.
if (process.connected) process.once('disconnect', () => void reap()); else void reap();
`;

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
  const child = spawn(process.execPath, ['-e', REAPER, CLI_REAPER_PROCESS], {
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
