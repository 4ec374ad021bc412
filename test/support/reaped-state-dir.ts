import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReaper } from '../../sandbox/stack/reaper.js';

export interface ReapedStateDir {
  path: string;
  /** Ends the reaper and removes the directory: call it once the sandbox started there has stopped. */
  release(): void;
}

/**
 * A temporary state directory watched by a reaper, for a test that starts `Sandbox` itself (not through
 * `startSandbox`, which has its own): should the test's worker be killed outright, the reaper removes what
 * the sandbox left there, services and all, and the directory.
 */
export function reapedStateDir(prefix: string): ReapedStateDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const stopReaper = startReaper(path, { removeStateDir: true, onMessage: (m) => console.warn(m) });
  return {
    path,
    release: () => {
      stopReaper();
      rmSync(path, { recursive: true, force: true });
    },
  };
}
