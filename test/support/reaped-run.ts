import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReaper } from '../../sandbox/stack/reaper.js';
import { createRunDir, runTmpDir } from '../../sandbox/stack/run-dir.js';

export interface ReapedRun {
  /** A temporary directory for the processes' files. */
  dir: string;
  /** The environment to spawn them with: its TMPDIR is what the reaper knows them by. */
  env: NodeJS.ProcessEnv;
  /** Ends the reaper and removes the directory: call it once the processes have exited. */
  release(): Promise<void>;
}

/**
 * A directory for services a test spawns itself (a bare Prometheus, say), watched by a reaper as a sandbox's
 * run is: should the test's worker be killed outright, every process spawned with `env` is killed and the
 * directory removed (a non-detached child outlives a SIGKILLed parent).
 */
export async function reapedRun(prefix: string): Promise<ReapedRun> {
  const stateDir = await mkdtemp(join(tmpdir(), prefix));
  const run = await createRunDir(stateDir);
  const stopReaper = startReaper(stateDir, { removeStateDir: true, onMessage: (m) => console.warn(m) });
  return {
    dir: run.path,
    env: { ...process.env, TMPDIR: await runTmpDir(run.path) },
    release: async () => {
      stopReaper();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
