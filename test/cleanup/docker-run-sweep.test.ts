/**
 * The detached reaper trackDockerRun leaves behind when a process exits with a Docker run not stopped: it
 * removes the run's containers and network, including one the engine creates only after the process has
 * gone (a request sent just before the exit, carried out late by a busy engine).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docker, MANAGED_LABEL } from '../../sandbox/stack/docker/engine.js';
import { requireDocker } from '../support/docker.js';
import { waitFor } from '../support/ports.js';

const engine = await requireDocker();
const CLEANUP = fileURLToPath(new URL('../../sandbox/cleanup.ts', import.meta.url));

describe.skipIf(!engine.available)('the Docker run reaper of an exiting process', () => {
  it('removes a network of the run that the engine created seconds after the process exited', async () => {
    const run = `run-sweep-test-${randomBytes(6).toString('hex')}`;
    const filters = { label: [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${run}`] };
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { trackDockerRun } = await import(${JSON.stringify(CLEANUP)}); trackDockerRun(${JSON.stringify(run)});`,
      ],
      { stdio: 'ignore' },
    );
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    try {
      // Later than the reaper's first sweep, one second after the exit.
      await new Promise((r) => setTimeout(r, 2_000));
      await docker().createNetwork({
        Name: `obs-sandbox-${run}`,
        Driver: 'bridge',
        Labels: { [MANAGED_LABEL]: 'true', 'org.obs-sandbox.run': run },
      });
      await waitFor(
        'the late network removed',
        async () => ((await docker().listNetworks({ filters })).length === 0 ? true : undefined),
        30_000,
      );
    } finally {
      for (const n of await docker().listNetworks({ filters }))
        await docker()
          .getNetwork(n.Id)
          .remove()
          .catch(() => undefined);
    }
  }, 60_000);
});
