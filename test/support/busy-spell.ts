/** CPU time (user and system, in ms) this process has spent since `start`. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/**
 * The most CPU time this process spent between two turns of a 5 ms timer while `work` ran: how much work
 * kept timers (and so signals and scrapes) waiting. Unlike the wall time between turns, it does not grow
 * when a loaded machine leaves the process waiting for a core, so a bound on it holds under any load.
 */
export async function longestBusySpell(work: () => Promise<unknown>): Promise<number> {
  let last = process.cpuUsage();
  let longest = 0;
  const timer = setInterval(() => {
    longest = Math.max(longest, cpuMsSince(last));
    last = process.cpuUsage();
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, cpuMsSince(last));
}
