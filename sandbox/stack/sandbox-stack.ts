import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { UserError } from '../../generators/user-error.js';
import type { FaultRequest } from '../../generators/model/faults/fault-catalogue.js';
import { WallClock } from '../../generators/clock.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { trackDockerRun, removeOnExit, unwindOnSignals } from '../cleanup.js';
import { parseDuration } from '../../generators/model/duration.js';
import { checkHistoryBudget, historyBudget, historyIntervalMs } from './history-blocks.js';
import { commandAlertmanager } from '../routing/alertmanager-file.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { readStackRules } from '../rules/stack-rules.js';
import { ruleSetOf, type GivenRuleSet } from './given-rule-set.js';
import { createSandboxNetwork } from './docker/docker-stack.js';
import type { NativePorts } from './native/native-stack.js';
import { dockerRuntime, nativeRuntime, removeNetwork } from './stack-runtimes.js';
import { Rollback } from './rollback.js';
import { loadRulesAfterFirstScrape, rulesWaitMs } from './rules-after-first-scrape.js';
import { RulesLoading, type RulesState } from './rules-loading.js';
import type { RunningStack } from './running-stack.js';
import type { ServiceStatus } from './service-status.js';
import type { StackService } from './services/registry.js';
import { LiveScenarioRunner } from '../replay/live/scenario-runner.js';
import { scenarioVocabulary } from '../scenario/load-scenario.js';
import { runningSystemProblem } from '../systems/scenario-systems.js';
import { SystemCatalogue } from '../systems/system-catalogue.js';
import { outputViews } from '../session/output-views.js';
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
  /** Model time runs this many times faster than wall time (default 1). */
  speed?: number;
  generatorPort?: number;
  /** Native runtime: ports on 127.0.0.1 per service (by port name, or its first port alone). */
  ports?: NativePorts;
  /** Docker runtime: host ports (127.0.0.1) per service. */
  hostPorts?: Partial<Record<StackService, number>>;
  /** Added to every default port of the stack (both runtimes), when the defaults are taken. */
  portOffset?: number;
  /** The trace backend (default jaeger). */
  traces?: string;
  rules?: readonly string[];
  /** The user's Alertmanager configuration file: its routing, every receiver replaced by the webhook. */
  alertmanagerConfig?: string;
  /** False leaves out the rules that come with the systems. */
  bundledRules?: boolean;
  /** The project file's `alerts:`: which rule file a scenario means by an alert name several files define. */
  projectAlerts?: Readonly<Record<string, string>>;
  /** The rule files as the caller read them (`start`, for its history warnings): not parsed again. */
  ruleSet?: GivenRuleSet;
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
  /** Where the state file and run directory go (default: `stateDir()`, from the environment). */
  stateDir?: string;
}

export type { RunningStack } from './running-stack.js';

const DEFAULT_HISTORY_MS = 70 * 60_000;

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
    /** The state directory it runs in. */
    readonly stateDir: string,
    private readonly rulesLoading: RulesLoading,
    /** The longest wait for Prometheus' first scrapes before the rules load anyway. */
    readonly rulesWaitMs: number,
  ) {}

  /**
   * Resolves once Prometheus has loaded the alert rules, which it does after its first scrape of every
   * generator target, after `start` resolved; rejects when it could not (the sandbox must then stop: nothing
   * may judge alerts without rules). Everything that judges alerts awaits it.
   */
  get rulesLoaded(): Promise<void> {
    return this.rulesLoading.loaded;
  }

  get rules(): RulesState {
    return this.rulesLoading.state;
  }

  /**
   * Starts the sandbox step by step. A step that fails undoes every earlier one, last first; so does a
   * signal meanwhile, which then exits (the exit hooks each step registered remove what the undoing missed).
   * Resolves once the services run, the history is loaded, the control API listens and the state says so;
   * the alert rules load afterwards (`rulesLoaded`).
   */
  static async start(options: StartOptions = {}): Promise<Sandbox> {
    // Estimated before anything is made: a history over the budget is refused at once, not after Alertmanager.
    await checkHistoryBudget({
      systems: (options.systems ?? SystemCatalogue.defaults()).systems,
      seed: options.seed ?? 1,
      historyMs: options.historyMs ?? DEFAULT_HISTORY_MS,
      scrapeIntervalMs: parseDuration(options.interval ?? '15s') ?? 15_000,
    });
    const previous = await readState(options.stateDir);
    if (previous && sandboxAlive(previous)) {
      throw new UserError(
        `a sandbox is already running (pid ${previous.pid}); see \`sandbox status\`, or stop it with \`sandbox down\``,
      );
    }
    const rollback = new Rollback();
    // A signal meanwhile undoes what was done, last first, then exits (cleanup.ts).
    const stopUnwinding = unwindOnSignals((signal) => {
      options.onMessage?.(`${signal} during start-up: stopping what was started`);
      return rollback.interrupt(options.onMessage);
    });
    try {
      return await Sandbox.startSteps(options, rollback);
    } catch (error) {
      await rollback.unwind(options.onMessage);
      throw error;
    } finally {
      stopUnwinding();
    }
  }

  private static async startSteps(options: StartOptions, rollback: Rollback): Promise<Sandbox> {
    const untrack: (() => void)[] = [];
    const dir = options.stateDir ?? stateDir();
    // The run directory carries a marker with a random id, and the state names it (and this process) before
    // anything else is made: `sandbox down` finds what a SIGKILL at any point left, and only that.
    const run = await rollback.step(
      'create the run directory',
      async () => {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const made = await createRunDir(dir);
        // Removed on any exit, even one that never reaches stop().
        untrack.push(removeOnExit(made.path));
        return made;
      },
      (made) => rm(made.path, { recursive: true, force: true }),
    );
    const dataDir = run.path;
    const runtime = options.runtime === 'docker' ? 'docker' : 'native';
    const grafanaPassword = randomBytes(18).toString('base64url');
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
    // Each service that runs is recorded at once (writes in order: one temporary file name per process).
    const started = new Map<string, ServiceStatus>();
    let saving = Promise.resolve();
    await rollback.step(
      'write the state',
      async () => {
        await writeState(state, dir);
        untrack.push(removeOnExit(stateFile(dir)));
      },
      async () => {
        await saving;
        await removeState(dir);
      },
    );
    const onStatus = (status: ServiceStatus) => {
      options.onStatus?.(status);
      if (status.state !== 'running' || !status.process) return;
      started.set(status.service, status);
      state.services = [...started.values()];
      saving = saving.then(() => writeState(state, dir)).catch(() => undefined);
    };
    const alertmanager = await commandAlertmanager(options.alertmanagerConfig);
    const systems = options.systems ?? SystemCatalogue.defaults();
    const stackRuntime =
      runtime === 'docker'
        ? await rollback
            .step(
              'create the Docker network',
              async () => {
                untrack.push(trackDockerRun(basename(dataDir)));
                return createSandboxNetwork(basename(dataDir));
              },
              (network) => removeNetwork(network.name, basename(dataDir)),
            )
            .then((network) => dockerRuntime(options, dataDir, network, onStatus))
        : nativeRuntime(options, dataDir, onStatus);
    const webhook = new WebhookReceiver(options.onNotification, { secretPath: true });
    const webhookPort = await rollback.step(
      'start the webhook receiver',
      () => webhook.start(stackRuntime.webhookHost),
      () => webhook.stop(),
    );
    const interval = options.interval ?? '15s';
    const intervalMs = parseDuration(interval) ?? 15_000;
    const historyMs = options.historyMs ?? DEFAULT_HISTORY_MS;
    const generators = await rollback.step(
      'start the generators',
      () =>
        LiveGenerators.start({
          systems: systems.systems,
          historyMs,
          historyIntervalMs: historyIntervalMs(intervalMs),
          checkHistory: historyBudget(historyMs, historyIntervalMs(intervalMs)),
          seed: options.seed ?? 1,
          clock: new WallClock(options.speed ?? 1),
          port: options.generatorPort ?? 9470,
          hosts: stackRuntime.hosts,
          // Their first lines come before Loki is ready: held until it is (or known not to run).
          awaitLoki: true,
          knobs: options.knobs,
          faults: options.faults,
          onStatus: options.onMessage,
        }),
      (g) => g.stop(),
    );
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
    const rules = await readStackRules(ruleFiles);
    // Parsed (PromQL and all, unless given) while the stack starts: the scenarios need it only once it runs.
    const vocabulary = scenarioVocabulary(systems.systems, ruleFiles, ruleSetOf(options.ruleSet, ruleFiles));
    vocabulary.catch(() => undefined);
    // Simulated, then written, while the services that do not need it start; it settles before the stack
    // step does. A history refused (too large) fails that step.
    const history = generators.history().then((h) => stackRuntime.loadHistory(h, generatorPorts));
    history.catch(() => undefined);
    const stackStarted = rollback.step(
      'start the stack',
      async () =>
        stackRuntime.start({
          settings: {
            alertmanager,
            ruleFiles: rules,
            interval,
            grafanaPassword,
            bundledDashboards: bundledDashboards(systems.systems),
            userDashboards: options.dashboards
              ? { dir: options.dashboards, files: await readUserDashboards(options.dashboards) }
              : undefined,
            onMessage: options.onMessage,
          },
          history,
          generators: generatorPorts,
          webhookPort,
          webhookPath: webhook.path,
        }),
      (s) => s.stop(),
    );
    // Nothing scrapes the generators before the stack runs, and no line is made while the history is: the
    // model's first live steps would only delay the history's blocks and Prometheus (see holdSteps).
    if (historyMs > 0) generators.holdSteps(stackStarted);
    const stack = await stackStarted;
    generators.connectLoki(stack.ingestUrl('logs'));
    const traces = stack.ingestUrl('traces');
    if (traces) generators.connectOtlp(traces);
    state.services = stack.services();
    state.generators = targets;
    state.webhookUrl = `http://${stackRuntime.webhookHost}:${webhookPort}${webhook.path}`;
    const control = new SandboxControl(stack, generators, webhook, rules, intervalMs, options.faults ?? []);
    // The scenarios wait for the rules, which load once the sandbox is ready (below).
    const rulesLoading = new RulesLoading();
    const scenarios = new LiveScenarioRunner(
      control,
      {
        ...(await vocabulary),
        projectAlerts: options.projectAlerts,
        systemProblem: runningSystemProblem(systems),
      },
      rulesLoading.loaded,
    );
    const controlServer = new ControlServer(scenarios, () => outputViews(generators));
    state.control = {
      url: await rollback.step(
        'start the control server',
        () => controlServer.start(),
        () => controlServer.stop(),
      ),
      token: controlServer.token,
    };
    state.phase = 'running';
    state.rules = rules.length > 0 ? 'loading' : 'loaded';
    await saving;
    await writeState(state, dir);
    // After `ready`: the rules load once Prometheus has scraped every generator target (see there why). Begun
    // on a later turn, once `ready` is out: its first request loads fetch (undici, ~0.15 s of CPU).
    rulesLoading.begin(
      rules.length > 0
        ? async (signal) => {
            await nextTurn();
            return loadRulesAfterFirstScrape({
              prometheusUrl: stack.service('prometheus')!.url(),
              targets,
              load: () => stack.replaceRules(rules),
              intervalMs,
              onMessage: options.onMessage,
              signal,
            });
          }
        : undefined,
      async () => {
        state.rules = 'loaded';
        saving = saving.then(() => writeState(state, dir));
        await saving;
      },
    );
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
        for (const u of untrack) u();
      },
      dir,
      rulesLoading,
      rulesWaitMs(intervalMs),
    );
  }

  /** Stops everything, removes the data directory and the state file. */
  async stop(onStep?: (step: string) => void): Promise<void> {
    await this.rulesLoading.stop();
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
    await removeState(this.stateDir);
  }
}
