import { join, basename } from 'node:path';
import type { History } from '../../generators/live/history.js';
import { docker as dockerClient } from './docker/engine.js';
import { DockerStack, HOST_ALIAS, removeRunContainers, type SandboxNetwork } from './docker/docker-stack.js';
import { prepareHistory } from './history-blocks.js';
import { NativeStack, type NativePorts } from './native/native-stack.js';
import type { RunningStack } from './running-stack.js';
import type { ServiceStatus } from './service-status.js';
import { stackModules, type StackService } from './services/registry.js';
import type { StackSettings } from './services/service-module.js';

/** What the runtimes take from the start options. */
export interface RuntimeOptions {
  ports?: NativePorts;
  hostPorts?: Partial<Record<StackService, number>>;
  portOffset?: number;
  traces?: string;
  onMessage?: (message: string) => void;
}

/** Undoes the network step: the run's containers (started or not), then the network. */
export async function removeNetwork(name: string, runId: string): Promise<void> {
  await removeRunContainers(runId);
  await dockerClient()
    .getNetwork(name)
    .remove()
    .catch(() => undefined);
}

export type GeneratorPort = { job: string; instance: number; port: number };

/** Where the stack runs, as the steps of a start see it. */
export interface StackRuntime {
  /** Addresses the generators listen on. */
  hosts: string[];
  /** Address the webhook receiver listens on (what Alertmanager reaches). */
  webhookHost: string;
  /**
   * Loads the simulated history where Prometheus will read it; gives the blocks' directory when the runtime
   * copies them in (Docker). Never rejects: without history Prometheus starts empty.
   */
  loadHistory(history: History | undefined, ports: readonly GeneratorPort[]): Promise<string | undefined>;
  /** Starts the services; only Prometheus waits for `history` (what `loadHistory` gives). */
  start(options: {
    settings: StackSettings;
    history: Promise<string | undefined>;
    generators: readonly GeneratorPort[];
    webhookPort: number;
    webhookPath: string;
  }): Promise<RunningStack>;
}

const portOf = (ports: readonly GeneratorPort[], job: string, instance: number) =>
  ports.find((p) => p.job === job && p.instance === instance)?.port;

export function nativeRuntime(
  options: RuntimeOptions,
  dataDir: string,
  onStatus: (s: ServiceStatus) => void,
): StackRuntime {
  return {
    hosts: ['127.0.0.1'],
    webhookHost: '127.0.0.1',
    loadHistory: async (history, ports) => {
      await prepareHistory(
        history,
        (job, instance) => `127.0.0.1:${portOf(ports, job, instance)}`,
        join(dataDir, 'prometheus', 'data'),
        dataDir,
        options.onMessage,
      );
      return undefined;
    },
    // The history's blocks go straight into Prometheus' data directory: the others start meanwhile.
    start: ({ history, ...run }) =>
      NativeStack.start({
        ...run,
        dataDir,
        modules: stackModules(options.traces),
        portOffset: options.portOffset,
        ports: options.ports,
        onStatus,
        awaits: { prometheus: history },
      }),
  };
}

export function dockerRuntime(
  options: RuntimeOptions,
  dataDir: string,
  network: SandboxNetwork,
  onStatus: (s: ServiceStatus) => void,
): StackRuntime {
  return {
    // Containers reach the host's generators and webhook on the sandbox network's gateway address.
    hosts: ['127.0.0.1', network.gateway],
    webhookHost: network.gateway,
    loadHistory: async (history, ports) => {
      const blocks = join(dataDir, 'history');
      const loaded = await prepareHistory(
        history,
        (job, instance) => `${HOST_ALIAS}:${portOf(ports, job, instance)}`,
        blocks,
        dataDir,
        options.onMessage,
      );
      return loaded ? blocks : undefined;
    },
    start: async ({ history, ...run }) =>
      DockerStack.start(
        {
          ...run,
          settings: { ...run.settings, historyBlocks: await history },
          runId: basename(dataDir),
          modules: stackModules(options.traces),
          hostPorts: options.hostPorts,
          portOffset: options.portOffset,
          onStatus,
        },
        network,
      ),
  };
}
