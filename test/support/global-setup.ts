import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { processesMarked } from './leftover-processes.js';

const MARKER = 'OBS_SANDBOX_TEST_RUN';

/** The sandbox's containers and networks (by its label), or none when there is no Docker engine. */
function dockerObjects(): string[] {
  const list = (args: string[]) =>
    (spawnSync('docker', args, { encoding: 'utf8', timeout: 20_000 }).stdout ?? '')
      .split('\n')
      .filter(Boolean);
  return [
    ...list(['ps', '-a', '--filter', 'label=org.obs-sandbox.managed', '--format', 'container {{.Names}}']),
    ...list(['network', 'ls', '--filter', 'label=org.obs-sandbox.managed', '--format', 'network {{.Name}}']),
  ];
}

async function settled<T>(probe: () => T[]): Promise<T[]> {
  // What a test's last cleanup stopped may take a few seconds to go (the Docker reaper waits a second).
  const deadline = Date.now() + 20_000;
  let left = probe();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    left = probe();
  }
  return left;
}

/**
 * Marks every process the suite starts (the environment is inherited by test workers, the CLIs they spawn
 * and the services those start), and fails the run when any of them, or any container or network of the
 * sandbox created during the run, is still there once the suite is over: tests must clean up as users do,
 * and a leak must not pass unnoticed.
 */
export default function setup(): () => Promise<void> {
  const run = randomUUID();
  process.env[MARKER] = run;
  const dockerBefore = new Set(dockerObjects());
  return async () => {
    const processes = await settled(() => processesMarked(MARKER, run, [process.pid]));
    const docker = await settled(() => dockerObjects().filter((o) => !dockerBefore.has(o)));
    for (const p of processes) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const leaks = [...processes.map((p) => `process ${p.pid} ${p.command}`), ...docker];
    if (leaks.length === 0) return;
    // vitest reports an error thrown here but would still exit 0.
    process.exitCode = 1;
    throw new Error(`the suite left ${leaks.length} thing(s) behind: ${leaks.join('; ')}`);
  };
}
