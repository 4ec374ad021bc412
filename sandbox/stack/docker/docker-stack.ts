import type { Readable } from 'node:stream';
import { Wait, type StartedTestContainer } from 'testcontainers';
import { directoryArchive } from '../../docker/directory-archive.js';
import { imageUser } from '../../docker/image-user.js';
import { UserError } from '../../../generators/model/errors.js';
import { MANAGED_LABEL, docker, engineAvailable, imageExists, pullImage } from '../../docker/engine.js';
import type { AlertmanagerFile } from '../../routing/alertmanager-file.js';
import { alertmanagerConfig } from '../configs/alertmanager.js';
import { grafanaDashboardProviders, grafanaDatasources, grafanaEnvironment } from '../configs/grafana.js';
import { jaegerConfig } from '../configs/jaeger.js';
import { lokiConfig } from '../configs/loki.js';
import { prometheusConfig } from '../configs/prometheus.js';
import type { StackRuleFile } from '../../rules/stack-rules.js';
import type { DashboardFile } from '../dashboards/user-dashboards.js';
import { imageFor, type StackService } from '../images.js';
import type { ServiceStatus } from '../native/native-stack.js';
import { ServiceBoard } from '../service-board.js';
import { SERVICE_PORTS, containerAddresses } from '../topology.js';
import { LoopbackContainer } from './loopback-container.js';
import { startFailure } from './start-failure.js';

/** The name containers reach the host's generators and webhook by (the sandbox network's gateway). */
export const HOST_ALIAS = 'sandbox-host';
const PROMETHEUS_DATA = '/tmp/prometheus';

interface ContainerSpec {
  service: StackService;
  required: boolean;
  files: () => Record<string, string>;
  /** Directories to copy in before the start, as tar streams (built once the image is known). */
  archives?: (image: string) => Promise<{ tar: Readable; target: string }[]>;
  command: string[];
  env?: Record<string, string>;
  health: { path: string; port: number };
}

export interface DockerStackOptions {
  runId: string;
  /** The user's Alertmanager configuration (its routing, receivers replaced by the webhook). */
  alertmanager?: AlertmanagerFile;
  generators: readonly { job: string; port: number }[];
  webhookPort: number;
  /** The webhook receiver's path, which holds its secret (default /alertmanager). */
  webhookPath?: string;
  ruleFiles: readonly StackRuleFile[];
  /** Prometheus' scrape and evaluation interval (default 15s, as in the seed). */
  interval?: string;
  grafanaPassword: string;
  /** TSDB blocks (a directory) for Prometheus to start with: the generators' simulated history. */
  historyBlocks?: string;
  /** Told what could not be done (history that could not be copied in). */
  onMessage?: (message: string) => void;
  /** The user's dashboards (`--dashboards`), provisioned beside the bundled ones. */
  userDashboards?: readonly DashboardFile[];
  /** The dashboards that come with the systems, by file name (`bundledDashboards`). */
  bundledDashboards: Readonly<Record<string, unknown>>;
  /** Host ports (127.0.0.1) per service; defaults to the service's own port. */
  hostPorts?: Partial<Record<StackService, number>>;
  /** Added to every default host port. */
  portOffset?: number;
  onStatus?: (status: ServiceStatus) => void;
}

export interface SandboxNetwork {
  name: string;
  gateway: string;
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
export class DockerStack {
  private readonly board: ServiceBoard;
  readonly statuses: ReadonlyMap<StackService, ServiceStatus>;
  private readonly containers = new Map<StackService, StartedTestContainer>();

  private constructor(
    private readonly options: DockerStackOptions,
    readonly network: SandboxNetwork,
  ) {
    this.board = new ServiceBoard('docker', options.onStatus);
    this.statuses = this.board.statuses;
  }

  services(): ServiceStatus[] {
    return this.board.services();
  }

  running(service: StackService): boolean {
    return this.board.running(service);
  }

  static async start(options: DockerStackOptions, network: SandboxNetwork): Promise<DockerStack> {
    // Ports are bound to 127.0.0.1 only; testcontainers would otherwise probe them via "localhost", which
    // may resolve to ::1. (Only for a local engine: a remote DOCKER_HOST keeps its own address.)
    if (!process.env.DOCKER_HOST || process.env.DOCKER_HOST.startsWith('unix://')) {
      process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    }
    const stack = new DockerStack(options, network);
    try {
      for (const spec of stack.specs()) {
        // Prometheus scrapes the services that run, and Grafana if its image is there to start after it.
        if (spec.service === 'prometheus') stack.grafanaExpected = await imageExists(imageFor('grafana'));
        await stack.startContainer(spec);
      }
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  hostPort(service: StackService, port: number): number {
    return this.containers.get(service)!.getMappedPort(port);
  }

  /** Replaces the rule files in the Prometheus container and tells it to reload (SIGHUP). */
  async replaceRules(files: readonly StackRuleFile[]): Promise<void> {
    const prometheus = this.containers.get('prometheus');
    if (!prometheus) return;
    await prometheus.copyContentToContainer(
      files.map((f) => ({ content: f.content, target: `/etc/prometheus/rules/${f.name}` })),
    );
    await docker().getContainer(prometheus.getId()).kill({ signal: 'SIGHUP' });
  }

  /** Removes every container of the run, then the network. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.containers.values()].map((c) =>
        c.stop({ remove: true, timeout: 5_000 }).catch(() => undefined),
      ),
    );
    await docker()
      .getNetwork(this.network.name)
      .remove()
      .catch(() => undefined);
  }

  private async startContainer(spec: ContainerSpec): Promise<void> {
    const image = imageFor(spec.service);
    const started = Date.now();
    this.board.update(spec.service, { state: 'starting' });
    if (!(await imageExists(image))) {
      const pulled = await pullImage(image);
      if (pulled !== undefined) {
        const reason = `image ${image} is not present and cannot be pulled (${pulled}); set OBS_SANDBOX_${spec.service.toUpperCase()}_IMAGE to an image you have`;
        if (spec.required) throw new UserError(reason);
        this.board.update(spec.service, { state: 'unavailable', reason });
        return;
      }
    }
    const port = SERVICE_PORTS[spec.service] as Record<string, number>;
    const offset = this.options.portOffset ?? 0;
    const exposed = Object.values(port).map((p) => ({
      container: p,
      host: p === spec.health.port ? (this.options.hostPorts?.[spec.service] ?? p + offset) : p + offset,
    }));
    const container = new LoopbackContainer(image)
      .withNetworkMode(this.network.name)
      .withNetworkAliases(spec.service)
      .withExtraHosts([{ host: HOST_ALIAS, ipAddress: this.network.gateway }])
      .withLabels({
        [MANAGED_LABEL]: 'true',
        'org.obs-sandbox.run': this.options.runId,
        'org.obs-sandbox.service': spec.service,
      })
      .withExposedPorts(...exposed)
      .withCopyContentToContainer(
        Object.entries(spec.files()).map(([target, content]) => ({ content, target })),
      )
      .withEnvironment(spec.env ?? {})
      .withWaitStrategy(Wait.forHttp(spec.health.path, spec.health.port).forStatusCode(200))
      .withStartupTimeout(60_000);
    if (spec.command.length > 0) container.withCommand(spec.command);
    if (spec.archives) container.withCopyArchivesToContainer(await spec.archives(image));
    try {
      const startedContainer = await container.start();
      this.containers.set(spec.service, startedContainer);
      const hostPort = startedContainer.getMappedPort(spec.health.port);
      this.board.update(spec.service, {
        state: 'running',
        url: `http://127.0.0.1:${hostPort}`,
        version: image.split(':')[1],
        readyMs: Date.now() - started,
      });
    } catch (error) {
      const reason = startFailure((error as Error).message);
      if (spec.required) throw new UserError(`${spec.service} ${reason}`);
      this.board.update(spec.service, { state: 'failed', reason });
    }
  }

  private grafanaExpected = false;

  /** The history blocks, owned by the user the Prometheus image runs as (the official one: nobody). */
  private async historyArchive(image: string): Promise<{ tar: Readable; target: string }[]> {
    const blocks = this.options.historyBlocks;
    if (!blocks) return [];
    const owner = await imageUser(image);
    if (!owner) {
      this.options.onMessage?.(`history not loaded: cannot tell which user ${image} runs as`);
      return [];
    }
    // Extracted at the root: the archive creates the data directory itself, owned by that user.
    return [{ tar: directoryArchive(blocks, PROMETHEUS_DATA.slice(1), owner), target: '/' }];
  }

  private selfScrape(): ('prometheus' | 'alertmanager' | 'grafana' | 'loki')[] {
    return [
      'prometheus',
      ...(['alertmanager', 'loki'] as const).filter((s) => this.board.running(s)),
      ...(this.grafanaExpected ? (['grafana'] as const) : []),
    ];
  }

  private specs(): ContainerSpec[] {
    const addresses = containerAddresses(
      this.options.generators,
      HOST_ALIAS,
      this.options.webhookPort,
      this.options.webhookPath,
    );
    const rules = this.options.ruleFiles;
    return [
      {
        service: 'loki',
        required: false,
        files: () => ({ '/etc/loki/loki.yaml': lokiConfig() }),
        command: ['-config.file=/etc/loki/loki.yaml'],
        health: { path: '/ready', port: 3100 },
      },
      {
        service: 'jaeger',
        required: false,
        files: () => ({ '/etc/jaeger/jaeger.yaml': jaegerConfig() }),
        command: ['--config=/etc/jaeger/jaeger.yaml'],
        health: { path: '/', port: 16686 },
      },
      {
        service: 'alertmanager',
        required: false,
        files: () => ({
          '/etc/alertmanager/alertmanager.yml': alertmanagerConfig(
            addresses,
            undefined,
            this.options.alertmanager,
          ),
        }),
        command: [
          '--config.file=/etc/alertmanager/alertmanager.yml',
          '--storage.path=/tmp/alertmanager',
          // No cluster listener (its default is 0.0.0.0:9094): one Alertmanager needs no peers.
          '--cluster.listen-address=',
        ],
        health: { path: '/-/ready', port: 9093 },
      },
      {
        service: 'prometheus',
        required: true,
        files: () => ({
          '/etc/prometheus/prometheus.yml': prometheusConfig({
            addresses,
            ruleFiles: rules.map((r) => `/etc/prometheus/rules/${r.name}`),
            scrapeInterval: this.options.interval,
            evaluationInterval: this.options.interval,
            selfScrape: this.selfScrape(),
          }),
          ...Object.fromEntries(rules.map((r) => [`/etc/prometheus/rules/${r.name}`, r.content])),
        }),
        archives: (image) => this.historyArchive(image),
        command: [
          '--config.file=/etc/prometheus/prometheus.yml',
          `--storage.tsdb.path=${PROMETHEUS_DATA}`,
          '--storage.tsdb.retention.time=1d',
          // Alerts that fire at once (history, for: 0m) may beat Alertmanager's discovery; resend soon.
          '--rules.alert.resend-delay=10s',
        ],
        health: { path: '/-/ready', port: 9090 },
      },
      {
        service: 'grafana',
        required: false,
        files: () => ({
          '/etc/grafana/provisioning/datasources/datasources.yaml': grafanaDatasources(addresses),
          '/etc/grafana/provisioning/dashboards/dashboards.yaml': grafanaDashboardProviders({
            bundled: '/var/lib/grafana/dashboards/bundled',
            user: this.options.userDashboards ? '/var/lib/grafana/dashboards/user' : undefined,
          }),
          ...Object.fromEntries(
            (this.options.userDashboards ?? []).map((d) => [
              `/var/lib/grafana/dashboards/user/${d.name}`,
              d.content,
            ]),
          ),
          ...Object.fromEntries(
            Object.entries(this.options.bundledDashboards).map(([n, d]) => [
              `/var/lib/grafana/dashboards/bundled/${n}`,
              JSON.stringify(d),
            ]),
          ),
        }),
        command: [],
        env: grafanaEnvironment(this.options.grafanaPassword),
        health: { path: '/api/health', port: 3000 },
      },
    ];
  }
}
