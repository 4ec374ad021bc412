import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../../generators/model/errors.js';
import type { FaultRequest } from '../../generators/model/faults/catalogue.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { trackDockerRun, removeOnExit } from '../cleanup.js';
import { parseDuration } from '../../generators/model/duration.js';
import { historyBudget, historyIntervalMs, prepareHistory } from './history-blocks.js';
import { commandAlertmanager } from '../routing/alertmanager-file.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { readStackRules, type StackRuleFile } from '../rules/stack-rules.js';
import { docker as dockerClient } from '../docker/engine.js';
import { DockerStack, HOST_ALIAS, createSandboxNetwork } from './docker/docker-stack.js';
import type { StackService } from './images.js';
import { NativeStack, type ServiceStatus } from './native/native-stack.js';
import { DEFAULT_NATIVE_PORTS, type NativePorts } from './native/services.js';
import { LiveScenarioRunner } from '../replay/live/scenario-runner.js';
import { scenarioVocabulary } from '../scenario/load.js';
import { runningSystemProblem } from '../systems/scenario-systems.js';
import { SystemCatalogue } from '../systems/system-catalogue.js';
import { ControlServer } from './control-server.js';
import { bundledDashboards } from './dashboards/bundled.js';
import { readUserDashboards } from './dashboards/user-dashboards.js';
import { SandboxControl } from './sandbox-control.js';
import { readProcessIdentity } from './process-identity.js';
import { createRunDir } from './run-dir.js';
import {
  readState,
  removeState,
  sandboxAlive,
  stateDir,
  stateFile,
  writeState,
  type SandboxState,
} from './state.js';
import { WebhookReceiver, type Notification } from './webhook-receiver.js';

export interface StartOptions {
  runtime?: 'native' | 'docker' | 'auto';
  /** The simulated systems (default: VaultMesh and ZKP); their rules and dashboards come with them. */
  systems?: SystemCatalogue;
  seed?: number | string;
  generatorPort?: number;
  ports?: Partial<NativePorts>;
  /** Docker runtime: host ports (127.0.0.1) per service. */
  hostPorts?: Partial<Record<StackService, number>>;
  /** Added to every default port of the stack (both runtimes), when the defaults are taken. */
  portOffset?: number;
  rules?: readonly string[];
  /** The user's Alertmanager configuration file: its routing, every receiver replaced by the webhook. */
  alertmanagerConfig?: string;
  /** False leaves out the rules that come with the systems. */
  bundledRules?: boolean;
  /** The project file's `alerts:`: which rule file a scenario means by an alert name several files define. */
  projectAlerts?: Readonly<Record<string, string>>;
  /** Prometheus' scrape and evaluation interval (default 15s, as in the seed). */
  interval?: string;
  /**
   * Model time simulated before the start and loaded into Prometheus, so that dashboards and 1-hour
   * baselines are full from the first minute (default 1h10m, as a scenario's warm-up; 0: none).
   */
  historyMs?: number;
  dashboards?: string;
  faults?: readonly FaultRequest[];
  knobs?: Readonly<Record<string, unknown>>;
  onStatus?: (status: ServiceStatus) => void;
  onMessage?: (message: string) => void;
  onNotification?: (notification: Notification) => void;
}

/** What both runtimes offer once started. */
export interface RunningStack {
  readonly statuses: ReadonlyMap<StackService, ServiceStatus>;
  services(): ServiceStatus[];
  running(service: StackService): boolean;
  /** Replaces the rule files Prometheus loads (same names) and has it reload them. */
  replaceRules(files: readonly StackRuleFile[]): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_HISTORY_MS = 70 * 60_000;

const portOf = (
  ports: readonly { job: string; instance: number; port: number }[],
  job: string,
  instance: number,
) => ports.find((p) => p.job === job && p.instance === instance)?.port;

function offsetPorts(offset: number): Partial<NativePorts> {
  return Object.fromEntries(Object.entries(DEFAULT_NATIVE_PORTS).map(([k, v]) => [k, v + offset]));
}

async function removeNetwork(name: string): Promise<void> {
  await dockerClient()
    .getNetwork(name)
    .remove()
    .catch(() => undefined);
}

/** A running sandbox: the stack, the generators feeding it, and the webhook receiver Alertmanager calls. */
export class Sandbox {
  private constructor(
    readonly stack: RunningStack,
    readonly generators: LiveGenerators,
    readonly webhook: WebhookReceiver,
    readonly state: SandboxState,
    readonly systems: SystemCatalogue,
    readonly control: SandboxControl,
    /** Runs live scenarios (the TUI, and `sandbox replay --mode live` through the control server). */
    readonly scenarios: LiveScenarioRunner,
    private readonly controlServer: ControlServer,
    private readonly untrackData: () => void,
  ) {}

  static async start(options: StartOptions = {}): Promise<Sandbox> {
    const previous = await readState();
    if (previous && sandboxAlive(previous)) {
      throw new UserError(
        `a sandbox is already running (pid ${previous.pid}); see \`sandbox status\`, or stop it with \`sandbox down\``,
      );
    }
    await mkdir(stateDir(), { recursive: true, mode: 0o700 });
    // The run directory carries a marker with a random id, and the state names it (and this process) before
    // anything else is made: `sandbox down` finds what a SIGKILL at any point left, and only that.
    const run = await createRunDir(stateDir());
    const dataDir = run.path;
    // Removed on any exit, even one that never reaches stop().
    const untrackData = removeOnExit(dataDir);
    const grafanaPassword = randomBytes(18).toString('base64url');
    const runtime = options.runtime === 'docker' ? 'docker' : 'native';
    const state: SandboxState = {
      phase: 'starting',
      pid: process.pid,
      process: readProcessIdentity(process.pid),
      startedAt: new Date().toISOString(),
      runtime,
      dataDir,
      run,
      grafana: { user: 'admin', password: grafanaPassword },
      services: [],
      generators: [],
    };
    await writeState(state);
    const untrackState = removeOnExit(stateFile());
    // Each service that runs is recorded at once (writes in order: one temporary file name per process).
    const started = new Map<string, ServiceStatus>();
    let saving = Promise.resolve();
    const onStatus = (status: ServiceStatus) => {
      options.onStatus?.(status);
      if (status.state !== 'running' || !status.process) return;
      started.set(status.service, status);
      state.services = [...started.values()];
      saving = saving.then(() => writeState(state)).catch(() => undefined);
    };
    const alertmanager = await commandAlertmanager(options.alertmanagerConfig);
    const webhook = new WebhookReceiver(options.onNotification, { secretPath: true });
    const systems = options.systems ?? SystemCatalogue.defaults();
    let generators: LiveGenerators | undefined;
    let stack: RunningStack | undefined;
    let network: { name: string; gateway: string } | undefined;
    let untrackDocker: () => void = () => undefined;
    let controlServer: ControlServer | undefined;
    try {
      // Containers reach the host's generators and webhook on the sandbox network's gateway address.
      if (runtime === 'docker') {
        untrackDocker = trackDockerRun(basename(dataDir));
        network = await createSandboxNetwork(basename(dataDir));
      }
      const hosts = network ? ['127.0.0.1', network.gateway] : ['127.0.0.1'];
      const webhookPort = await webhook.start(network?.gateway ?? '127.0.0.1');
      const webhookPath = webhook.path;
      const interval = options.interval ?? '15s';
      generators = await LiveGenerators.start({
        systems: systems.systems,
        historyMs: options.historyMs ?? DEFAULT_HISTORY_MS,
        historyIntervalMs: historyIntervalMs(parseDuration(interval) ?? 15_000),
        checkHistory: historyBudget(
          options.historyMs ?? DEFAULT_HISTORY_MS,
          historyIntervalMs(parseDuration(interval) ?? 15_000),
        ),
        seed: options.seed ?? 1,
        port: options.generatorPort ?? 9470,
        hosts,
        // Their first lines come before Loki is ready: held until it is (or known not to run).
        awaitLoki: true,
        knobs: options.knobs,
        faults: options.faults,
        onStatus: options.onMessage,
      });
      const targets = generators.targets();
      const generatorPorts = targets.map((t) => ({
        job: t.job,
        instance: t.instance,
        port: Number(new URL(t.url).port),
      }));
      const ruleFiles = await collectRuleFiles(
        options.rules ?? [],
        options.bundledRules === false ? [] : systems.ruleFiles,
      );
      const dashboards = bundledDashboards(systems.systems);
      const rules = await readStackRules(ruleFiles);
      const userDashboards = options.dashboards ? await readUserDashboards(options.dashboards) : undefined;
      if (network) {
        const historyBlocks = join(dataDir, 'history');
        const loaded = await prepareHistory(
          generators.history(),
          (job, instance) => `${HOST_ALIAS}:${portOf(generatorPorts, job, instance)}`,
          historyBlocks,
          dataDir,
          options.onMessage,
        );
        const docker = await DockerStack.start(
          {
            runId: basename(dataDir),
            alertmanager,
            generators: generatorPorts,
            webhookPort,
            webhookPath,
            ruleFiles: rules,
            interval,
            grafanaPassword,
            userDashboards,
            bundledDashboards: dashboards,
            historyBlocks: loaded ? historyBlocks : undefined,
            onMessage: options.onMessage,
            hostPorts: options.hostPorts,
            portOffset: options.portOffset,
            onStatus,
          },
          network,
        );
        stack = docker;
        generators.connectLoki(
          docker.running('loki') ? `http://127.0.0.1:${docker.hostPort('loki', 3100)}` : undefined,
        );
        if (docker.running('jaeger'))
          generators.connectOtlp(`http://127.0.0.1:${docker.hostPort('jaeger', 4318)}`);
      } else {
        await prepareHistory(
          generators.history(),
          (job, instance) => `127.0.0.1:${portOf(generatorPorts, job, instance)}`,
          join(dataDir, 'prometheus', 'data'),
          dataDir,
          options.onMessage,
        );
        const native = await NativeStack.start({
          dataDir,
          alertmanager,
          ports: { ...offsetPorts(options.portOffset ?? 0), ...options.ports },
          generators: generatorPorts,
          webhookPort,
          webhookPath,
          ruleFiles: rules,
          interval,
          grafanaPassword,
          userDashboards: options.dashboards,
          bundledDashboards: dashboards,
          onStatus,
        });
        stack = native;
        generators.connectLoki(native.running('loki') ? native.statuses.get('loki')!.url! : undefined);
        if (native.running('jaeger'))
          generators.connectOtlp(`http://127.0.0.1:${native.ports.jaegerOtlpHttp}`);
      }
      state.services = stack.services();
      state.generators = targets;
      state.webhookUrl = `http://${network?.gateway ?? '127.0.0.1'}:${webhookPort}${webhookPath}`;
      const control = new SandboxControl(
        stack,
        generators,
        webhook,
        rules,
        parseDuration(interval) ?? 15_000,
        options.faults ?? [],
      );
      const scenarios = new LiveScenarioRunner(control, {
        ...(await scenarioVocabulary(systems.systems, ruleFiles)),
        projectAlerts: options.projectAlerts,
        systemProblem: runningSystemProblem(systems),
      });
      controlServer = new ControlServer(scenarios);
      state.control = { url: await controlServer.start(), token: controlServer.token };
      state.phase = 'running';
      await saving;
      await writeState(state);
      return new Sandbox(
        stack,
        generators,
        webhook,
        state,
        systems,
        control,
        scenarios,
        controlServer,
        () => {
          untrackData();
          untrackState();
          untrackDocker();
        },
      );
    } catch (error) {
      await controlServer?.stop();
      await stack?.stop();
      if (network && !stack) await removeNetwork(network.name);
      await generators?.stop();
      await webhook.stop();
      await rm(dataDir, { recursive: true, force: true });
      await saving;
      await removeState();
      throw error;
    }
  }

  /** Stops everything, removes the data directory and the state file. */
  async stop(onStep?: (step: string) => void): Promise<void> {
    await this.controlServer.stop();
    // Senders before receivers: the generators' last logs and spans reach Loki and Jaeger before they stop.
    onStep?.('stopping the generators');
    await this.generators.stop();
    onStep?.('stopping the stack');
    await this.stack.stop();
    await this.webhook.stop();
    onStep?.('removing data');
    await rm(this.state.dataDir, { recursive: true, force: true });
    this.untrackData();
    await removeState();
  }
}
