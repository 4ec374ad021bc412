import type { StartedTestContainer } from 'testcontainers';
import { UserError } from '../../../generators/user-error.js';
import { MANAGED_LABEL, docker, engineAvailable, imageExists, pullImage } from './engine.js';
import { StartedServices } from '../running-stack.js';
import type { ServiceStatus } from '../service-status.js';
import type { StackService } from '../services/registry.js';
import {
  imageFor,
  type ContainerContext,
  type RenderContext,
  type StackServiceModule,
  type StackSettings,
} from '../services/service-module.js';
import { renderContext } from '../stack-plan.js';
import { containerAddresses } from '../stack-topology.js';
import { startFailure } from './start-failure.js';

/** The name containers reach the host's generators and webhook by (the sandbox network's gateway). */
export const HOST_ALIAS = 'sandbox-host';

type Module = StackServiceModule<StackService>;

/** What starts containers: testcontainers (~340 ms of CPU to load), imported only when containers start. */
const loadContainerKit = async () => {
  const [{ LoopbackContainer }, { Wait }] = await Promise.all([
    import('./loopback-container.js'),
    import('testcontainers'),
  ]);
  return { LoopbackContainer, Wait };
};
type ContainerKit = Awaited<ReturnType<typeof loadContainerKit>>;

export interface DockerStackOptions {
  runId: string;
  modules: readonly Module[];
  settings: StackSettings;
  generators: readonly { job: string; port: number }[];
  webhookPort: number;
  /** The webhook receiver's path, which holds its secret (default /alertmanager). */
  webhookPath?: string;
  /** Host ports (127.0.0.1) per service, for the port it is checked on; defaults to the service's own port. */
  hostPorts?: Partial<Record<StackService, number>>;
  /** Added to every default host port. */
  portOffset?: number;
  onStatus?: (status: ServiceStatus) => void;
}

export interface SandboxNetwork {
  name: string;
  gateway: string;
}

/**
 * Removes every container labelled with the run, started or not: one whose start failed (a port already
 * allocated, an interrupted copy) stays in the Created state, and no started-container handle knows it.
 */
export async function removeRunContainers(runId: string): Promise<void> {
  const containers = await docker()
    .listContainers({
      all: true,
      filters: { label: [`${MANAGED_LABEL}=true`, `org.obs-sandbox.run=${runId}`] },
    })
    .catch(() => []);
  await Promise.all(
    containers.map((c) =>
      docker()
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/** Creates the sandbox network; its gateway is the host address containers reach the generators on. */
export async function createSandboxNetwork(runId: string): Promise<SandboxNetwork> {
  if (!(await engineAvailable())) {
    throw new UserError(
      'no Docker engine answers (is the Docker daemon running? is DOCKER_HOST right?); use --runtime native',
    );
  }
  const name = `obs-sandbox-${runId.toLowerCase()}`;
  const network = await docker().createNetwork({
    Name: name,
    Driver: 'bridge',
    Labels: { [MANAGED_LABEL]: 'true', 'org.obs-sandbox.run': runId },
  });
  const info = await network.inspect();
  const gateway = (info.IPAM?.Config?.[0] as { Gateway?: string } | undefined)?.Gateway;
  if (!gateway) throw new Error(`network ${name} has no gateway address`);
  return { name, gateway };
}

/** The stack as containers on a dedicated network, ports published on 127.0.0.1. */
export class DockerStack extends StartedServices {
  private readonly containers = new Map<StackService, StartedTestContainer>();
  private readonly context: RenderContext;

  private constructor(
    private readonly options: DockerStackOptions,
    readonly network: SandboxNetwork,
  ) {
    super(options.modules, 'docker', options.onStatus);
    const addresses = containerAddresses(
      Object.fromEntries(options.modules.map((m) => [m.name, m.ports])),
      options.generators,
      HOST_ALIAS,
      options.webhookPort,
      options.webhookPath,
    );
    this.context = renderContext(options.modules, options.settings, addresses, this.board, (m) =>
      imageExists(imageFor(m)),
    );
  }

  static async start(options: DockerStackOptions, network: SandboxNetwork): Promise<DockerStack> {
    // Ports are bound to 127.0.0.1 only; testcontainers would otherwise probe them via "localhost", which
    // may resolve to ::1. (Only for a local engine: a remote DOCKER_HOST keeps its own address.)
    if (!process.env.DOCKER_HOST || process.env.DOCKER_HOST.startsWith('unix://')) {
      process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    }
    const stack = new DockerStack(options, network);
    try {
      const kit = await loadContainerKit();
      for (const module of options.modules) await stack.startContainer(module, kit);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Removes every container of the run, then the network. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.containers.values()].map((c) =>
        c.stop({ remove: true, timeout: 5_000 }).catch(() => undefined),
      ),
    );
    await removeRunContainers(this.options.runId);
    await docker()
      .getNetwork(this.network.name)
      .remove()
      .catch(() => undefined);
  }

  private fail(module: Module, reason: string, state: 'failed' | 'unavailable'): void {
    if (module.required) throw new UserError(state === 'failed' ? `${module.name} ${reason}` : reason);
    this.board.update(module.name, { state, reason });
  }

  private async startContainer(module: Module, { LoopbackContainer, Wait }: ContainerKit): Promise<void> {
    const image = imageFor(module);
    const started = Date.now();
    const spec = module.container;
    this.board.update(module.name, { state: 'starting' });
    if (!(await imageExists(image))) {
      const pulled = await pullImage(image);
      if (pulled !== undefined) {
        const reason = `image ${image} is not present and cannot be pulled (${pulled}); set OBS_SANDBOX_${module.name.toUpperCase()}_IMAGE to an image you have`;
        return this.fail(module, reason, 'unavailable');
      }
    }
    const ctx: ContainerContext = { ...this.context, image };
    const healthPort = module.ports[spec.health.port]!;
    const offset = this.options.portOffset ?? 0;
    const exposed = spec.publish.map((name) => {
      const port = module.ports[name]!;
      const host = port === healthPort ? this.options.hostPorts?.[module.name] : undefined;
      return { container: port, host: host ?? port + offset };
    });
    const container = new LoopbackContainer(image)
      .withNetworkMode(this.network.name)
      .withNetworkAliases(module.name)
      .withExtraHosts([{ host: HOST_ALIAS, ipAddress: this.network.gateway }])
      .withLabels({
        [MANAGED_LABEL]: 'true',
        'org.obs-sandbox.run': this.options.runId,
        'org.obs-sandbox.service': module.name,
      })
      .withExposedPorts(...exposed)
      .withCopyContentToContainer(
        Object.entries(await spec.files(ctx)).map(([target, content]) => ({ content, target })),
      )
      .withEnvironment(spec.env?.(ctx) ?? {})
      .withWaitStrategy(Wait.forHttp(spec.health.path, healthPort).forStatusCode(200))
      .withStartupTimeout(60_000);
    if (spec.command.length > 0) container.withCommand(spec.command);
    if (spec.archives) container.withCopyArchivesToContainer(await spec.archives(ctx));
    let running: StartedTestContainer;
    try {
      running = await container.start();
    } catch (error) {
      return this.fail(module, startFailure((error as Error).message), 'failed');
    }
    this.containers.set(module.name, running);
    const url = (port?: string) =>
      `http://127.0.0.1:${running.getMappedPort(port ? module.ports[port]! : healthPort)}`;
    this.handles.set(module.name, {
      service: module.name,
      url,
      writeFiles: (files) =>
        running.copyContentToContainer(
          Object.entries(files).map(([path, content]) => ({ content, target: `${spec.root}/${path}` })),
        ),
      signal: async (signal) => {
        await docker().getContainer(running.getId()).kill({ signal });
      },
    });
    this.board.update(module.name, {
      state: 'running',
      url: url(),
      version: image.split(':')[1],
      readyMs: Date.now() - started,
    });
  }
}
