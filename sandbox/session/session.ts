import type { LiveRemoteWrite } from '../../generators/live/remote-series.js';
import { readUserFile } from '../../generators/model/user-file.js';
import type { LiveReplayEvent } from '../replay/live/live-replay.js';
import { resolveScenarioRef } from '../scenario/scenario-catalogue.js';
import type { ServiceStatus } from '../stack/native/native-stack.js';
import { fetchAlertingRules } from '../stack/prometheus-api.js';
import { Sandbox, type StartOptions } from '../stack/sandbox-stack.js';
import { publicState, type PublicSandboxState } from '../stack/state.js';
import { SystemCatalogue } from '../systems/system-catalogue.js';
import type { Notification } from '../stack/webhook-receiver.js';
import type { AlertRow, LogLineView, ProgressStep, TuiViewModel } from '../tui/view-model.js';
import { alertRows } from './alert-rows.js';
import { defaultRequest, faultViews } from './fault-views.js';
import { displayUrl } from '../../generators/outputs/display-url.js';
import type { PushTarget } from '../../generators/outputs/push-target.js';
import { outputViews } from './output-views.js';
import { ScenarioTracker } from './scenario-tracker.js';
import { TrafficTracker, trafficQueries } from './traffic-tracker.js';

/** Everything that happens in a session, for plain and JSON output (the TUI renders the view instead). */
export type SessionEvent =
  | { type: 'service'; status: ServiceStatus }
  | { type: 'message'; text: string }
  /** What a user needs (URLs, the Grafana login); the secrets stay in the 0600 state file. */
  | { type: 'ready'; sandbox: PublicSandboxState }
  /** After `ready`: the alert rules load once Prometheus has scraped every generator target. */
  | { type: 'rules'; state: 'loading'; waitMs: number }
  | { type: 'rules'; state: 'loaded'; afterReadyMs: number }
  /** The sandbox must then stop: nothing may judge alerts without rules. */
  | { type: 'rules'; state: 'failed'; error: string }
  | {
      type: 'alert';
      name: string;
      state: AlertRow['state'];
      severity?: string;
      labels?: Record<string, string>;
    }
  | { type: 'notification'; notification: Notification }
  | { type: 'fault'; name: string; active: boolean; params: string }
  | { type: 'scenario'; event: LiveReplayEvent }
  | { type: 'stopping' }
  | { type: 'stopped' };

export interface SessionOptions extends Omit<StartOptions, 'onStatus' | 'onMessage' | 'onNotification'> {
  /** How often Prometheus is polled for alerts and traffic, ms (default 2000). */
  refreshMs?: number;
  /** Scenarios offered in the scenario panel: bundled names or files. */
  scenarios?: readonly string[];
  /** `for:` scale for scenarios run from the UI. */
  forScale?: number;
  /** The generators also push every series to this receiver (`--remote-write`), once the stack runs. */
  remoteWrite?: LiveRemoteWrite;
  /** The generators also push their lines to this Loki (`--loki`), beside the stack's own. */
  loki?: PushTarget;
  /** The generators also export their spans to this OTLP receiver (`--otlp`), beside the stack's own. */
  otlp?: PushTarget;
  /** Said as messages before anything starts (rules that look back further than the history). */
  warnings?: readonly string[];
}

const LOG_LINES = 200;

/**
 * A sandbox as the TUI and `sandbox start` see it: starts and stops it with progress, polls Prometheus for
 * alerts and traffic, runs scenarios and toggles faults, and keeps the view the panels render.
 */
export class SandboxSession {
  private sandbox: Sandbox | undefined;
  private phase: TuiViewModel['phase'] = 'starting';
  private readonly progress = new Map<string, ProgressStep & { startedAt: number }>();
  private services: ServiceStatus[] = [];
  private alerts: AlertRow[] = [];
  private readonly systems: SystemCatalogue;
  private readonly traffic: TrafficTracker;
  private readonly scenario = new ScenarioTracker();
  private message: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly listeners = new Set<(event?: SessionEvent) => void>();
  private rulesLoading: { waitMs: number } | undefined;
  private failWith: (error: Error) => void = () => undefined;
  /** Settles when the running sandbox fails (its rules could not load): its owner must stop it, exit 1. */
  readonly failed = new Promise<Error>((resolve) => (this.failWith = resolve));

  constructor(private readonly options: SessionOptions = {}) {
    this.systems = options.systems ?? SystemCatalogue.defaults();
    this.traffic = new TrafficTracker(trafficQueries(this.systems));
  }

  /** Called with each event, and with nothing when only the view changed. */
  subscribe(listener: (event?: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get currentPhase(): TuiViewModel['phase'] {
    return this.phase;
  }

  get state(): Sandbox['state'] | undefined {
    return this.sandbox?.state;
  }

  async start(): Promise<void> {
    this.announceWarnings();
    this.step('sandbox', 'starting the sandbox');
    try {
      this.sandbox = await Sandbox.start({
        ...this.options,
        systems: this.systems,
        onStatus: (status) => this.onService(status),
        onMessage: (text) => this.emit({ type: 'message', text }),
        onNotification: (notification) => this.emit({ type: 'notification', notification }),
      });
    } catch (error) {
      this.phase = 'failed';
      this.finish('sandbox', 'failed', (error as Error).message);
      throw error;
    }
    this.finish('sandbox', 'done');
    this.connectOutputs(this.sandbox);
    this.phase = 'running';
    this.emit({ type: 'ready', sandbox: publicState(this.sandbox.state) });
    this.followRules(this.sandbox);
    this.timer = setInterval(() => void this.poll(), this.options.refreshMs ?? 2000);
    void this.poll();
  }

  /** Each warning a message event; the view's one-line message holds them all, as far as its width allows. */
  private announceWarnings(): void {
    const warnings = this.options.warnings ?? [];
    if (warnings.length === 0) return;
    for (const text of warnings) this.emit({ type: 'message', text });
    this.message =
      warnings.length === 1
        ? `warning: ${warnings[0]}`
        : `${warnings.length} warnings: ${warnings.join('; ')}`;
    this.emit();
  }

  /** The rules load after `ready`: said when they are, or when they cannot be (the sandbox must stop). */
  private followRules(sandbox: Sandbox): void {
    const readyAt = Date.now();
    if (sandbox.rules === 'loading') {
      this.rulesLoading = { waitMs: sandbox.rulesWaitMs };
      this.emit({ type: 'rules', state: 'loading', waitMs: sandbox.rulesWaitMs });
    }
    sandbox.rulesLoaded.then(
      () => {
        if (!this.rulesLoading) return;
        this.rulesLoading = undefined;
        this.emit({ type: 'rules', state: 'loaded', afterReadyMs: Date.now() - readyAt });
      },
      (error: Error) => {
        if (this.phase !== 'running') return;
        this.rulesLoading = undefined;
        this.emit({ type: 'rules', state: 'failed', error: error.message });
        this.say(`the alert rules could not be loaded: ${error.message}; stopping`);
        this.failWith(error);
      },
    );
  }

  async stop(): Promise<void> {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    clearInterval(this.timer);
    this.phase = 'stopping';
    this.progress.clear();
    this.emit({ type: 'stopping' });
    let last: string | undefined;
    await this.sandbox?.stop((text) => {
      if (last) this.finish(last, 'done');
      last = text;
      this.step(text, text);
    });
    if (last) this.finish(last, 'done');
    this.phase = 'stopped';
    this.emit({ type: 'stopped' });
  }

  runScenario(name: string): void {
    const sandbox = this.sandbox;
    if (!sandbox) return;
    void (async () => {
      const file = await resolveScenarioRef(name);
      const loaded = sandbox.scenarios.parse(file, await readUserFile(file, 'scenario file'));
      // Its clock starts once the rules are loaded (the runner waits for them too).
      if (sandbox.rules === 'loading') this.say(`${name} starts once the alert rules are loaded`);
      await sandbox.rulesLoaded;
      this.scenario.begin(loaded.scenario, this.options.forScale ?? 1);
      await sandbox.scenarios.run(loaded, {
        forScale: this.options.forScale,
        onEvent: (event) => {
          this.scenario.apply(event);
          this.emit({ type: 'scenario', event });
        },
      });
    })().catch((error: unknown) => this.say((error as Error).message));
  }

  stopScenario(): void {
    this.sandbox?.scenarios.stop();
  }

  toggleFault(name: string): void {
    const control = this.sandbox?.control;
    if (!control) return;
    try {
      const on = control.activeFaults().some((f) => f.name === name);
      if (on) control.clearFault(name);
      else control.setFault(defaultRequest(this.systems.faults.get(name)));
      const view = this.faultList().find((f) => f.name === name)!;
      this.emit({ type: 'fault', name, active: !on, params: view.params });
    } catch (error) {
      this.say((error as Error).message);
    }
  }

  view(nowMs = Date.now()): TuiViewModel {
    const state = this.sandbox?.state;
    const grafana = this.services.find((s) => s.service === 'grafana' && s.state === 'running');
    return {
      nowMs,
      phase: this.phase,
      runtime: state?.runtime ?? (this.options.runtime === 'docker' ? 'docker' : undefined),
      progress: [...this.progress.values()].map(({ startedAt, ...step }) => ({
        ...step,
        elapsedMs: step.state === 'running' ? nowMs - startedAt : step.elapsedMs,
      })),
      services: this.services,
      grafanaLogin:
        grafana?.url && state
          ? { url: grafana.url, user: state.grafana.user, password: state.grafana.password }
          : undefined,
      outputs: this.sandbox ? outputViews(this.sandbox.generators) : [],
      traffic: this.traffic.series(),
      alerts: this.alerts,
      rulesLoading: this.rulesLoading,
      notifications: this.sandbox?.control.notifications().slice(-20) ?? [],
      scenarios: this.options.scenarios ?? [],
      scenario: this.scenario.view(),
      faults: this.faultList(),
      logs: this.logLines(),
      message: this.message,
    };
  }

  /** The pushes to receivers outside the stack start once it runs: its own receivers come first. */
  private connectOutputs(sandbox: Sandbox): void {
    const { remoteWrite, loki, otlp } = this.options;
    if (remoteWrite) {
      sandbox.generators.connectRemoteWrite(remoteWrite);
      this.emit({
        type: 'message',
        text: `remote write: every series every ${remoteWrite.intervalMs / 1000}s to ${displayUrl(remoteWrite.sender.url)}`,
      });
    }
    if (loki) {
      sandbox.generators.connectExtraLoki(loki);
      this.emit({ type: 'message', text: `logs also pushed to Loki at ${displayUrl(loki.url)}` });
    }
    if (otlp) {
      sandbox.generators.connectExtraOtlp(otlp);
      this.emit({ type: 'message', text: `traces also exported over OTLP to ${displayUrl(otlp.url)}` });
    }
  }

  private faultList() {
    return faultViews(this.systems.faults.list(), this.sandbox?.control.activeFaults() ?? []);
  }

  private logLines(): LogLineView[] {
    const logs = this.sandbox?.generators.logs;
    if (!logs) return [];
    const lines: LogLineView[] = [];
    for (let i = Math.max(0, logs.size - LOG_LINES); i < logs.size; i++) {
      const r = logs.at(i)!;
      lines.push({ timeMs: r.timeMs, job: r.job, level: r.level, message: r.message, traceId: r.traceId });
    }
    // Services write a tick's lines one service after another: put them in time order.
    return lines.sort((a, b) => a.timeMs - b.timeMs);
  }

  private async poll(): Promise<void> {
    const url = this.sandbox?.control.prometheusUrl;
    if (!url || this.polling) return;
    this.polling = true;
    try {
      const [rules] = await Promise.all([
        fetchAlertingRules(url).catch(() => undefined),
        this.traffic.poll(url),
      ]);
      // Not while the rules load: Prometheus may evaluate them before their loading is confirmed, and an
      // alert said before "alert rules loaded" reads as judged on rules not yet in place.
      if (rules && !this.rulesLoading) this.updateAlerts(alertRows(rules));
      this.emit();
    } finally {
      this.polling = false;
    }
  }

  private updateAlerts(rows: AlertRow[]): void {
    const before = new Map(this.alerts.map((a) => [a.name, a.state]));
    this.alerts = rows;
    for (const row of rows) {
      if ((before.get(row.name) ?? 'inactive') === row.state) continue;
      this.emit({
        type: 'alert',
        name: row.name,
        state: row.state,
        severity: row.severity,
        labels: row.labels ? { ...row.labels } : undefined,
      });
    }
  }

  private onService(status: ServiceStatus): void {
    // In start order (the registry's), however the concurrent starts end.
    const known = this.services.some((s) => s.service === status.service);
    this.services = known
      ? this.services.map((s) => (s.service === status.service ? status : s))
      : [...this.services, status];
    if (status.state === 'starting') this.step(status.service, `starting ${status.service}`);
    else if (status.state === 'running') this.finish(status.service, 'done');
    else this.finish(status.service, status.state === 'unavailable' ? 'skipped' : 'failed', status.reason);
    this.emit({ type: 'service', status });
  }

  private step(id: string, label: string): void {
    this.progress.set(id, { id, label, state: 'running', elapsedMs: 0, startedAt: Date.now() });
    this.emit();
  }

  private finish(id: string, state: ProgressStep['state'], reason?: string): void {
    const step = this.progress.get(id);
    if (!step) return;
    this.progress.set(id, { ...step, state, reason, elapsedMs: Date.now() - step.startedAt });
  }

  private say(text: string): void {
    this.message = text;
    this.emit({ type: 'message', text });
  }

  private emit(event?: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
