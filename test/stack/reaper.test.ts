/**
 * The reaper of a sandbox (startSandbox's): a SIGKILL of the test process, which runs no clean-up of its
 * own, still leaves nothing behind within seconds (processes, run directory, state, a temporary state
 * directory); a sandbox stopped normally ends its reaper at once.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { readProcessIdentity } from '../../sandbox/stack/process-identity.js';
import { REAPER_ENV, type ReaperOrders } from '../../sandbox/stack/reaper.js';
import { startSandbox } from '../../sandbox/testing.js';
import { docker, MANAGED_LABEL } from '../../sandbox/stack/docker/engine.js';
import { buildLocalImage } from '../../sandbox/stack/docker/local-images.js';
import { requireBinaries } from '../support/binaries.js';
import { requireDocker } from '../support/docker.js';
import { waitFor } from '../support/ports.js';
import { processesUsing } from '../support/processes.js';
import { sandboxChildArgs } from '../support/sandbox-child.js';
import { reapersOf } from '../support/reapers.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);

const REAPER = fileURLToPath(new URL('../../sandbox/stack/reaper-main.ts', import.meta.url));
/**
 * What a reaper removes does not depend on history or the scrape interval: none, and a 1s interval, so that
 * the start's wait for Prometheus' first scrapes (staggered within the interval) is short.
 */
const QUICK = { history: '0', interval: '1s' } as const;

/** A user's test process that starts a sandbox and waits (see sandbox-child.ts). */
function startChild(options: object, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, sandboxChildArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  /**
   * The state directory once the child says it runs; if it never does, the error carries what it printed, at
   * once if it exited (waitFor retries a check that throws: an exit must end the wait as a value).
   */
  const ready = async (timeoutMs: number) => {
    const seen: { dir?: string; error?: string } = await waitFor(
      'the sandbox to run',
      async (): Promise<{ dir?: string } | undefined> => {
        const dir = /^ready (.+)$/m.exec(output)?.[1];
        if (dir) return { dir };
        return child.exitCode !== null || child.signalCode !== null ? {} : undefined;
      },
      timeoutMs,
    ).catch((error: Error) => ({ error: error.message }));
    if (seen.dir !== undefined) return seen.dir;
    const why = seen.error ?? 'the child exited before it said it runs';
    throw new Error(
      `${why}; the child (${child.exitCode ?? child.signalCode ?? 'running'}) printed:\n${output}`,
    );
  };
  return { child, output: () => output, ready, exited: once(child, 'exit') };
}

/** Everything of the sandbox still there: its processes, its reaper, and what is left of its directory. */
function leftovers(stateDir: string, ownDir: boolean): string[] {
  return [
    ...processesUsing(stateDir),
    ...reapersOf(stateDir).map((pid) => `reaper ${pid}`),
    ...(ownDir ? readdirSync(stateDir) : existsSync(stateDir) ? [stateDir] : []),
  ];
}

// Every case has its own state directory and free ports, and checks only what it started: they run at once
// (each mostly waits for processes and containers), and so do the native and the Docker block.
describe.skipIf(!bins.available)('the reaper of a test sandbox', { concurrent: true }, () => {
  it.for([
    ['once it runs, its temporary state directory', undefined],
    ['while its services start, the state directory given to it', 'given'],
  ] as const)(
    'cleans up after a SIGKILL of the test process %s included',
    { timeout: 180_000 },
    async ([when, given], { expect }) => {
      const ownDir = given ? mkdtempSync(join(tmpdir(), 'obs-sandbox-reaper-test-')) : undefined;
      const { child, ready, exited } = startChild({ runtime: 'native', ...QUICK, stateDir: ownDir });
      try {
        const stateDir = ownDir ?? (await ready(120_000));
        await waitFor(
          `the sandbox to start its services (${when})`,
          async () => processesUsing(stateDir).some((p) => p.includes('alertmanager')) || undefined,
          120_000,
        );
        expect(reapersOf(stateDir)).toHaveLength(1);
        child.kill('SIGKILL');
        await exited;
        const killedAt = Date.now();
        await waitFor(
          'nothing of the sandbox left',
          async () => (leftovers(stateDir, ownDir !== undefined).length === 0 ? true : undefined),
          30_000,
        );
        console.log(`reaper: nothing left ${Date.now() - killedAt} ms after the SIGKILL`);
      } finally {
        child.kill('SIGKILL');
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      }
    },
  );

  it('leaves alone a state directory whose sandbox still runs (one started after its own died)', async ({
    expect,
  }) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-reaper-test-'));
    try {
      await using sandbox = await startSandbox({ runtime: 'native', ...QUICK, stateDir });
      const before = readdirSync(stateDir).sort();
      // A reaper whose process is gone: this one's pid, with another start time.
      const me = readProcessIdentity(process.pid)!;
      const orders: ReaperOrders = {
        pid: me.pid,
        process: { ...me, startTicks: me.startTicks - 1 },
        stateDir,
        removeStateDir: true,
      };
      const reaper = spawn(process.execPath, ['--import', 'tsx', REAPER], {
        stdio: 'ignore',
        env: { ...process.env, [REAPER_ENV]: JSON.stringify(orders) },
      });
      const [code] = (await once(reaper, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(readdirSync(stateDir).sort()).toEqual(before);
      expect(await fetch(`${sandbox.services.prometheus.url()}/-/ready`).then((r) => r.status)).toBe(200);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('ends when the sandbox is stopped normally', async ({ expect }) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-reaper-test-'));
    try {
      const sandbox = await startSandbox({ runtime: 'native', ...QUICK, stateDir });
      const [reaper] = reapersOf(stateDir);
      expect(reaper).toBeDefined();
      await sandbox.stop();
      await waitFor(
        'the reaper to end',
        async () => (reapersOf(stateDir).length === 0 ? true : undefined),
        10_000,
      );
      expect(processesUsing(stateDir)).toEqual([]);
      expect(readdirSync(stateDir)).toEqual([]);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});

const engine = await requireDocker();

describe.skipIf(!engine.available || !bins.available)(
  'the reaper of a test sandbox on Docker',
  { concurrent: true },
  () => {
    it('removes its containers and network after a SIGKILL of the test process', async ({ expect }) => {
      const env = {
        ...process.env,
        TESTCONTAINERS_RYUK_DISABLED: 'true',
        OBS_SANDBOX_PROMETHEUS_IMAGE: await buildLocalImage('prometheus'),
        OBS_SANDBOX_ALERTMANAGER_IMAGE: await buildLocalImage('alertmanager'),
        // Images that cannot be had (those services are reported unavailable), from a registry that refuses
        // at once: no pull from Docker Hub, which waits on the network.
        OBS_SANDBOX_GRAFANA_IMAGE: '127.0.0.1:1/obs-sandbox-missing/grafana:0',
        OBS_SANDBOX_LOKI_IMAGE: '127.0.0.1:1/obs-sandbox-missing/loki:0',
        OBS_SANDBOX_JAEGER_IMAGE: '127.0.0.1:1/obs-sandbox-missing/jaeger:0',
      };
      const { child, ready, exited } = startChild({ runtime: 'docker', ...QUICK }, env);
      try {
        const stateDir = await ready(150_000);
        const run = readdirSync(stateDir).find((f) => f.startsWith('run-'))!;
        const filters = { label: [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${run}`] };
        const objects = async () =>
          (await docker().listContainers({ all: true, filters })).length +
          (await docker().listNetworks({ filters })).length;
        expect(await objects()).toBeGreaterThanOrEqual(3);
        child.kill('SIGKILL');
        await exited;
        const killedAt = Date.now();
        await waitFor(
          'no container, network or directory of the run left',
          async () => ((await objects()) === 0 && !existsSync(stateDir) ? true : undefined),
          60_000,
        );
        console.log(`reaper (Docker): nothing left ${Date.now() - killedAt} ms after the SIGKILL`);
      } finally {
        child.kill('SIGKILL');
      }
    }, 300_000);
  },
);
