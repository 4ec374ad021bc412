import { createServer } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../generators/model/errors.js';
import { BinaryUnavailableError, ensureBinary, findBinary } from '../../binaries/index.js';
import type { AlertmanagerFile } from '../../routing/alertmanager-file.js';
import { alertmanagerConfig } from '../configs/alertmanager.js';
import { grafanaDashboardProviders, grafanaDatasources, grafanaEnvironment } from '../configs/grafana.js';
import { jaegerConfig } from '../configs/jaeger.js';
import { lokiConfig } from '../configs/loki.js';
import { prometheusConfig } from '../configs/prometheus.js';
import type { StackService } from '../images.js';
import type { StackRuleFile } from '../../rules/stack-rules.js';
import { nativeAddresses } from '../topology.js';
import { runTmpDir } from '../run-dir.js';
import { alertmanagerCommand } from './alertmanager-templates.js';
import {
  DEFAULT_NATIVE_PORTS,
  NATIVE_SERVICES,
  type NativePorts,
  type NativeServiceSpec,
} from './services.js';
import { ManagedProcess } from './supervisor.js';
import type { ProcessIdentity } from '../process-identity.js';
import { ServiceBoard } from '../service-board.js';

export interface ServiceStatus {
  service: StackService;
  state: 'starting' | 'running' | 'unavailable' | 'failed' | 'crashed';
  runtime: 'native' | 'docker';
  url?: string;
  version?: string;
  reason?: string;
  /** What to do about it (an install hint), for views with no room for the whole reason. */
  fix?: string;
  /** Process group id (native) for `sandbox down`. */
  pid?: number;
  /** Native: the process' start time and command line, so that `sandbox down` never kills a reused pid. */
  process?: ProcessIdentity;
  readyMs?: number;
}

export interface NativeStackOptions {
  dataDir: string;
  /** The user's Alertmanager configuration (its routing, receivers replaced by the webhook). */
  alertmanager?: AlertmanagerFile;
  ports?: Partial<NativePorts>;
  generators: readonly { job: string; port: number }[];
  webhookPort: number;
  /** The webhook receiver's path, which holds its secret (default /alertmanager). */
  webhookPath?: string;
  ruleFiles: readonly StackRuleFile[];
  /** Prometheus' scrape and evaluation interval (default 15s, as in the seed). */
  interval?: string;
  grafanaPassword: string;
  userDashboards?: string;
  /** The dashboards that come with the systems, by file name (`bundledDashboards`). */
  bundledDashboards: Readonly<Record<string, unknown>>;
  healthTimeoutMs?: number;
  onStatus?: (status: ServiceStatus) => void;
}

async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitHealthy(url: string, timeoutMs: number, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && alive()) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

/** Prometheus, Alertmanager, Grafana, Loki and Jaeger as supervised child processes on 127.0.0.1. */
export class NativeStack {
  private readonly board: ServiceBoard;
  readonly statuses: ReadonlyMap<StackService, ServiceStatus>;
  private readonly processes = new Map<StackService, ManagedProcess>();
  readonly ports: NativePorts;

  private constructor(private readonly options: NativeStackOptions) {
    this.ports = { ...DEFAULT_NATIVE_PORTS, ...options.ports };
    this.board = new ServiceBoard('native', options.onStatus);
    this.statuses = this.board.statuses;
  }

  services(): ServiceStatus[] {
    return NATIVE_SERVICES.map((s) => this.statuses.get(s.service)).filter((s) => s !== undefined);
  }

  running(service: StackService): boolean {
    return this.board.running(service);
  }

  /** Starts what can run; only Prometheus is required. On failure everything started is stopped. */
  static async start(options: NativeStackOptions): Promise<NativeStack> {
    const stack = new NativeStack(options);
    try {
      await stack.writeConfigs();
      for (const spec of NATIVE_SERVICES) {
        // Prometheus's config lists the services that run (Grafana starts after it, if it can).
        if (spec.service === 'prometheus') await stack.writePrometheusConfig();
        await stack.startService(spec);
      }
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  async restart(service: StackService): Promise<void> {
    await this.processes.get(service)?.restart();
    this.board.update(service, { state: 'running', reason: undefined });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
  }

  /** Replaces the rule files Prometheus loads and tells it to reload (SIGHUP). */
  async replaceRules(files: readonly StackRuleFile[]): Promise<void> {
    await this.writeRules(files);
    this.processes.get('prometheus')?.signal('SIGHUP');
  }

  private rulesDir(): string {
    return join(this.options.dataDir, 'prometheus', 'rules');
  }

  private async writeRules(files: readonly StackRuleFile[]): Promise<void> {
    await mkdir(this.rulesDir(), { recursive: true });
    for (const file of files) await writeFile(join(this.rulesDir(), file.name), file.content);
  }

  private async startService(spec: NativeServiceSpec): Promise<void> {
    const started = Date.now();
    this.board.update(spec.service, { state: 'starting' });
    let binary;
    try {
      binary = spec.required ? await ensureBinary(spec.binary) : await findOrProvision(spec.binary);
    } catch (error) {
      if (spec.required) throw error;
      const fix = error instanceof BinaryUnavailableError ? error.fix : undefined;
      this.board.update(spec.service, { state: 'unavailable', reason: (error as Error).message, fix });
      return;
    }
    for (const port of spec.ports(this.ports)) {
      if (!(await portFree(port))) {
        throw new UserError(
          `port ${port} on 127.0.0.1 (${spec.service}) is in use; stop what uses it, or run \`sandbox down\` if it is an earlier sandbox`,
        );
      }
    }
    const dir = this.options.dataDir;
    let command = binary.path;
    let args = spec.args(dir, this.ports, binary.path);
    if (spec.service === 'alertmanager') {
      const wrapped = await alertmanagerCommand(binary.path, args, binary.assetsDir, dir);
      if ('unavailable' in wrapped) {
        this.board.update(spec.service, { state: 'unavailable', reason: wrapped.unavailable });
        return;
      }
      ({ command, args } = wrapped);
    }
    // Temporary files go into the run's directory, which `sandbox down` removes even after a SIGKILL.
    const env = {
      ...process.env,
      TMPDIR: await runTmpDir(dir),
      ...(spec.service === 'grafana' && {
        ...grafanaEnvironment(this.options.grafanaPassword),
        ...spec.env?.(dir, this.ports),
      }),
    };
    const managed = new ManagedProcess(
      { name: spec.service, command, args, env, logFile: join(dir, 'logs', `${spec.service}.log`) },
      (name, code, signal) =>
        this.board.update(name as StackService, {
          state: 'crashed',
          reason: `exited (${signal ?? `code ${code}`}); see ${join(dir, 'logs', `${name}.log`)}`,
        }),
    );
    this.processes.set(spec.service, managed);
    managed.start();
    const ready = await waitHealthy(spec.health(this.ports), this.options.healthTimeoutMs ?? 60_000, () =>
      managed.running(),
    );
    // Whatever answered must be this process: another program that took the port in the meantime would
    // answer the health check while ours exits, unable to bind.
    if (ready) await new Promise((r) => setTimeout(r, 250));
    if (!ready || !managed.running()) {
      const why = managed.running()
        ? `did not become ready within ${Math.round((this.options.healthTimeoutMs ?? 60_000) / 1000)}s`
        : 'exited while starting (is its port taken?)';
      await managed.stop();
      const reason = `${why}; see ${join(dir, 'logs', `${spec.service}.log`)}`;
      if (spec.required) throw new UserError(`${spec.service} ${reason}`);
      this.board.update(spec.service, { state: 'failed', reason });
      return;
    }
    this.board.update(spec.service, {
      state: 'running',
      url: spec.url(this.ports),
      version: binary.version,
      pid: managed.pid,
      process: managed.identity(),
      readyMs: Date.now() - started,
    });
  }

  private addresses() {
    const p = this.ports;
    return nativeAddresses(
      {
        prometheus: p.prometheus,
        alertmanager: p.alertmanager,
        grafana: p.grafana,
        loki: p.loki,
        jaeger: p.jaeger,
      },
      this.options.generators,
      this.options.webhookPort,
      this.options.webhookPath,
    );
  }

  private async writePrometheusConfig(): Promise<void> {
    const grafanaFound = await findOrProvision('grafana').then(
      () => true,
      () => false,
    );
    const config = prometheusConfig({
      addresses: this.addresses(),
      ruleFiles: this.options.ruleFiles.map((f) => join(this.rulesDir(), f.name)),
      scrapeInterval: this.options.interval,
      evaluationInterval: this.options.interval,
      selfScrape: [
        'prometheus',
        ...(['alertmanager', 'loki'] as const).filter((x) => this.board.running(x)),
        ...(grafanaFound ? (['grafana'] as const) : []),
      ],
    });
    await this.writeRules(this.options.ruleFiles);
    await writeFile(join(this.options.dataDir, 'prometheus', 'prometheus.yml'), config);
  }

  private async writeConfigs(): Promise<void> {
    const dir = this.options.dataDir;
    const p = this.ports;
    const addresses = this.addresses();
    const files: Record<string, string> = {
      'alertmanager/alertmanager.yml': alertmanagerConfig(addresses, undefined, this.options.alertmanager),
      'loki/loki.yaml': lokiConfig(join(dir, 'loki', 'data'), p.loki, '127.0.0.1'),
      'jaeger/jaeger.yaml': jaegerConfig('127.0.0.1', {
        ui: p.jaeger,
        otlpHttp: p.jaegerOtlpHttp,
        otlpGrpc: p.jaegerOtlpGrpc,
        health: p.jaegerHealth,
        queryGrpc: p.jaegerQueryGrpc,
      }),
      'grafana/provisioning/datasources/datasources.yaml': grafanaDatasources(addresses),
      'grafana/provisioning/dashboards/dashboards.yaml': grafanaDashboardProviders({
        bundled: join(dir, 'grafana', 'dashboards'),
        user: this.options.userDashboards,
      }),
    };
    for (const [name, dashboard] of Object.entries(this.options.bundledDashboards))
      files[`grafana/dashboards/${name}`] = JSON.stringify(dashboard, null, 2);
    await mkdir(join(dir, 'logs'), { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      // Alertmanager's config holds the webhook's secret path.
      await writeFile(join(dir, path), content, { mode: 0o600 });
    }
  }
}

/** Optional services are looked up without downloading what cannot be had here; errors say how to install. */
async function findOrProvision(name: NativeServiceSpec['binary']) {
  try {
    return await findBinary(name);
  } catch (error) {
    if (!(error instanceof BinaryUnavailableError)) throw error;
    return ensureBinary(name);
  }
}
