import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_LABEL, docker } from '../../../sandbox/stack/docker/engine.js';
import { buildLocalImage } from '../../../sandbox/stack/docker/local-images.js';
import { fetchAlertingRules, queryVector } from '../../../sandbox/stack/prometheus-api.js';
import { startReaper } from '../../../sandbox/stack/reaper.js';
import { Sandbox } from '../../../sandbox/stack/sandbox-stack.js';
import type { Notification } from '../../../sandbox/stack/webhook-receiver.js';
import { requireBinaries } from '../../support/binaries.js';
import { startCli } from '../../support/cli.js';
import { requireDocker } from '../../support/docker.js';
import { freePort, waitFor } from '../../support/ports.js';

const engine = await requireDocker();
const bins = engine.available ? await requireBinaries(['prometheus', 'alertmanager']) : { available: false };

/**
 * The images every block starts with: Prometheus and Alertmanager built here, and images that cannot be had
 * for the others (those services are reported unavailable). Their registry refuses at once, with no network
 * to wait for; a pull from Docker Hub depends on the network and the hub.
 */
async function images(): Promise<NodeJS.ProcessEnv> {
  return {
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    OBS_SANDBOX_PROMETHEUS_IMAGE: await buildLocalImage('prometheus'),
    OBS_SANDBOX_ALERTMANAGER_IMAGE: await buildLocalImage('alertmanager'),
    ...Object.fromEntries(
      ['grafana', 'loki', 'jaeger'].map((s) => [
        `OBS_SANDBOX_${s.toUpperCase()}_IMAGE`,
        `127.0.0.1:1/obs-sandbox-missing/${s}:0`,
      ]),
    ),
  };
}

// The blocks run at once: each start has a state directory and ports of its own, and each block checks only
// the containers and networks of its own run (or its own port). The images are the process' for all of them.
beforeAll(async () => {
  if (engine.available && bins.available) Object.assign(process.env, await images());
}, 180_000);

describe.skipIf(!engine.available || !bins.available)(
  'the Docker stack end to end (locally built Prometheus and Alertmanager images)',
  { concurrent: true },
  () => {
    let sandbox: Sandbox;
    const notifications: Notification[] = [];
    const messages: string[] = [];
    const stateRoot = mkdtempSync(join(tmpdir(), 'obs-sandbox-docker-state-'));
    // Should the worker be killed, its containers and network go with it (Ryuk is off).
    let stopReaper: (() => void) | undefined;

    beforeAll(async () => {
      stopReaper = startReaper(stateRoot, { removeStateDir: true });
      sandbox = await Sandbox.start({
        runtime: 'docker',
        stateDir: stateRoot,
        generatorPort: 0,
        hostPorts: { prometheus: await freePort(), alertmanager: await freePort() },
        // The start waits for the first scrapes, staggered within the interval; the alert fires at the first
        // evaluation. The history keeps its own 15s step.
        interval: '1s',
        faults: [{ name: 'emergency', params: {} }],
        onNotification: (n) => notifications.push(n),
        onMessage: (m) => messages.push(m),
      });
    }, 180_000);

    afterAll(async () => {
      await sandbox?.stop();
      stopReaper?.();
      rmSync(stateRoot, { recursive: true, force: true });
    });

    it.sequential(
      'publishes every container port on 127.0.0.1 only, labels everything, runs nothing privileged',
      async () => {
        const containers = await docker().listContainers({
          filters: {
            label: [
              `${MANAGED_LABEL}=true`,
              `org.obs-sandbox.run=${sandbox.state.dataDir.split('/').at(-1)}`,
            ],
          },
        });
        expect(containers.map((c) => c.Labels['org.obs-sandbox.service']).sort()).toEqual([
          'alertmanager',
          'prometheus',
        ]);
        for (const c of containers) {
          for (const port of c.Ports.filter((p) => p.PublicPort)) expect(port.IP).toBe('127.0.0.1');
          const info = await docker().getContainer(c.Id).inspect();
          expect(info.HostConfig.Privileged).toBe(false);
          expect(info.HostConfig.Binds ?? []).not.toContainEqual(expect.stringContaining('docker.sock'));
        }
        const unavailable = sandbox.stack.services().filter((s) => s.state === 'unavailable');
        expect(unavailable.map((s) => s.service).sort()).toEqual(['grafana', 'jaeger', 'loki']);
        for (const s of unavailable) expect(s.reason).toMatch(/cannot be pulled.*OBS_SANDBOX_\w+_IMAGE/);
      },
    );

    it.sequential(
      'loads the rules into the container once Prometheus has scraped every generator target',
      async () => {
        await sandbox.rulesLoaded;
        expect(messages).toContainEqual(
          expect.stringMatching(
            /^alert rules loaded after the first scrape of every generator target \(\d+s\)$/,
          ),
        );
        const rules = await fetchAlertingRules(sandbox.stack.statuses.get('prometheus')!.url!);
        expect(rules.map((r) => r.name)).toContain('EmergencyActive');
      },
    );

    it.sequential(
      'scrapes the generators on the host through the network gateway',
      async () => {
        const api = sandbox.stack.statuses.get('prometheus')!.url!;
        await waitFor(
          'generator targets up',
          async () => {
            const body = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
              data: { activeTargets: { labels: { job: string }; health: string }[] };
            };
            const up = body.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.job);
            return ['vaultmesh-portal', 'vaultmesh-guardian', 'vaultmesh-oracle', 'zkp-dataset-ledger'].every(
              (j) => up.includes(j),
            )
              ? up
              : undefined;
          },
          60_000,
        );
      },
      70_000,
    );

    it.sequential(
      'fires the alert of a fault and Alertmanager (in its container) delivers it to the webhook on the host',
      async () => {
        const delivered = await waitFor(
          'the notification at the webhook',
          async () => notifications.find((n) => n.alertname === 'EmergencyActive'),
          90_000,
        );
        expect(delivered).toMatchObject({ status: 'firing', receiver: 'sandbox-warning' });
      },
      100_000,
    );

    it.sequential(
      'starts Prometheus with the simulated history, copied in as blocks owned by the image user',
      async () => {
        const counts = await queryVector(
          sandbox.control.prometheusUrl,
          'count_over_time(up{job="vaultmesh-portal"}[2h])',
        );
        // One series: the history carries the instance Prometheus scrapes (sandbox-host:port).
        expect(counts).toHaveLength(1);
        expect(counts[0]!.metric.instance).toMatch(/^sandbox-host:\d+$/);
        expect(counts[0]!.value).toBeGreaterThanOrEqual(280);
      },
    );

    it.sequential(
      "compresses the rules' for: for live replay inside the container (copied in, SIGHUP), and restores them",
      async () => {
        const forOf = async (alert: string) =>
          (await fetchAlertingRules(sandbox.control.prometheusUrl)).find((r) => r.name === alert)?.duration;
        expect(await forOf('AnchorDelayed')).toBe(300);
        await sandbox.control.setForScale(0.1);
        expect(await forOf('AnchorDelayed')).toBe(30);
        await sandbox.control.setForScale(1);
        expect(await forOf('AnchorDelayed')).toBe(300);
      },
      60_000,
    );

    it.sequential(
      'removes its containers and network when stopped',
      async () => {
        const run = sandbox.state.dataDir.split('/').at(-1)!;
        const before = await docker().listNetworks({ filters: { label: [`org.obs-sandbox.run=${run}`] } });
        expect(before).toHaveLength(1);
        await sandbox.stop();
        const left = await docker().listContainers({
          all: true,
          filters: { label: [`org.obs-sandbox.run=${run}`] },
        });
        const networks = await docker().listNetworks({ filters: { label: [`org.obs-sandbox.run=${run}`] } });
        expect([left.length, networks.length]).toEqual([0, 0]);
        expect(run).toMatch(/^run-/);
        sandbox = undefined as unknown as Sandbox;
      },
      60_000,
    );
  },
);

/** Containers and networks left by one run (its id is the name of the run's data directory). */
async function leftovers(run: string): Promise<number> {
  const filters = { label: [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${run}`] };
  const containers = await docker().listContainers({ all: true, filters });
  const networks = await docker().listNetworks({ filters });
  return containers.length + networks.length;
}

describe.skipIf(!engine.available || !bins.available)(
  'sandbox start --runtime docker cleans up on signals',
  { concurrent: true },
  () => {
    // Each case on ports of its own (Prometheus and Alertmanager: the other services have no image), signalled
    // at a point it waits for, not after a delay a loaded machine may stretch past it. Once running, what is
    // removed does not depend on the history: none.
    it.for([
      ['SIGINT', 'once its network is made', 12100, 'network'],
      ['SIGTERM', 'while containers start (one created)', 12110, 'container'],
      ['SIGINT', 'once running', 12120, 'running'],
    ] as const)(
      '%s %s leaves no labelled container or network',
      { timeout: 120_000 },
      async ([signal, _when, offset, at], { expect }) => {
        const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-docker-cleanup-'));
        const env = { ...process.env, OBS_SANDBOX_STATE_DIR: stateDir };
        try {
          const cli = startCli(
            [
              ...['start', '--no-tui', '--runtime', 'docker', '--interval', '1s'],
              ...['--port', '0', '--port-offset', String(offset)],
              ...(at === 'running' ? ['--history', '0'] : []),
            ],
            env,
          );
          const run = await waitFor('the run directory', async () =>
            readdirSync(stateDir).find((f) => f.startsWith('run-')),
          );
          const filters = { label: [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${run}`] };
          if (at === 'running')
            // Its state says so: the first line of output comes while the network is still being made.
            await waitFor('the sandbox to run', async () => {
              if (cli.child.exitCode !== null) return true;
              const file = join(stateDir, 'state.json');
              if (!existsSync(file)) return undefined;
              return (
                (JSON.parse(readFileSync(file, 'utf8')) as { phase: string }).phase === 'running' || undefined
              );
            });
          else
            await waitFor(`the run's first ${at}`, async () => {
              if (cli.child.exitCode !== null) return true;
              const made =
                at === 'network'
                  ? await docker().listNetworks({ filters })
                  : await docker().listContainers({ all: true, filters });
              return made.length > 0 || undefined;
            });
          expect(cli.child.exitCode, cli.stderr()).toBeNull();
          // What is removed must have been made first, or the check below would pass with nothing to remove.
          expect(await leftovers(run)).toBeGreaterThan(0);
          await cli.stop(signal);
          // A detached reaper removes them once the CLI has exited (as Ryuk would).
          await waitFor('no container or network of the run', async () =>
            (await leftovers(run)) === 0 ? true : undefined,
          );
        } finally {
          rmSync(stateDir, { recursive: true, force: true });
        }
      },
    );
  },
);

describe.skipIf(!engine.available || !bins.available)(
  'the Docker stack on a taken port',
  { concurrent: true },
  () => {
    it('says which port is taken and how to get another, and leaves nothing', async ({ expect }) => {
      const stateRoot = mkdtempSync(join(tmpdir(), 'obs-sandbox-docker-busy-'));
      const stopReaper = startReaper(stateRoot, { removeStateDir: true });
      const port = await freePort();
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
      // The container whose port could not be bound is left Created, not started: it must be removed too.
      // Only containers bound to this test's port count: other files' stacks may be starting meanwhile.
      const onThisPort = async () => {
        const stacks = await docker().listContainers({
          all: true,
          filters: { label: [`${MANAGED_LABEL}=true`, 'org.obs-sandbox.service'] },
        });
        const bound = await Promise.all(
          stacks.map(async (c) => {
            const info = await docker()
              .getContainer(c.Id)
              .inspect()
              .catch(() => undefined);
            const bindings = Object.values(info?.HostConfig.PortBindings ?? {}) as (
              { HostPort?: string }[] | null
            )[];
            return bindings.some((b) => b?.some((p) => p.HostPort === String(port))) ? [c.Id] : [];
          }),
        );
        return bound.flat();
      };
      try {
        const started = Sandbox.start({
          runtime: 'docker',
          stateDir: stateRoot,
          generatorPort: 0,
          hostPorts: { prometheus: port },
          historyMs: 0,
        });
        await expect(started).rejects.toThrow(
          `port ${port} on 127.0.0.1 is in use; stop what uses it, pick other ports with --port-offset, or run \`sandbox down\` if it is an earlier sandbox`,
        );
        expect(readdirSync(stateRoot).filter((f) => f.startsWith('run-'))).toEqual([]);
        expect(await onThisPort()).toEqual([]);
      } finally {
        busy.close();
        stopReaper();
        rmSync(stateRoot, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
