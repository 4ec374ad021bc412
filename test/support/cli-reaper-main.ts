/**
 * The reaper of a test process' CLIs (see cli-reaper.ts): once the IPC channel to the test process closes,
 * it SIGKILLs every process that runs the CLI with the test process' mark, and exits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CLI_REAPER_ENV, type CliReaperOrders } from './cli-reaper.js';

const { entry, mark } = JSON.parse(process.env[CLI_REAPER_ENV] ?? '') as CliReaperOrders;

function read(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\0');
  } catch {
    return [];
  }
}

const marked = () =>
  readdirSync('/proc')
    .map(Number)
    .filter(
      (pid) =>
        Number.isInteger(pid) &&
        read(`/proc/${pid}/cmdline`).includes(entry) &&
        read(`/proc/${pid}/environ`).includes(mark),
    );

async function reap(): Promise<never> {
  // A CLI killed while it started a sandbox in the background may have spawned it just before: look again.
  for (let pass = 0; pass < 5; pass++) {
    const pids = marked();
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.exit(0);
}

// The channel may have closed while this module loaded, before its 'disconnect' could be heard.
if (process.connected) process.once('disconnect', () => void reap());
else void reap();
