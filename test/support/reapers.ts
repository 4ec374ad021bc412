import { readdirSync, readFileSync } from 'node:fs';
import { REAPER_ENV, type ReaperOrders } from '../../sandbox/stack/reaper.js';

/** The pids of the reapers watching this state directory (their orders are in their environment). */
export function reapersOf(stateDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    let environ: string;
    let cmdline: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const orders = environ
      .split('\0')
      .find((v) => v.startsWith(`${REAPER_ENV}=`))
      ?.slice(REAPER_ENV.length + 1);
    // Run from the sources, the reaper's tsx starts an esbuild service, which inherits its environment.
    if (
      cmdline.includes('reaper-main') &&
      orders &&
      (JSON.parse(orders) as ReaperOrders).stateDir === stateDir
    )
      found.push(Number(entry));
  }
  return found;
}

/** Kills the reapers of this state directory, as if they had died too: `sandbox down` is what is left. */
export function killReapers(stateDir: string): void {
  for (const pid of reapersOf(stateDir)) process.kill(pid, 'SIGKILL');
}
