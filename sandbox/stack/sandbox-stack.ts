import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../generators/model/errors.js';
import type { FaultRequest } from '../../generators/model/faults/catalogue.js';
import { LiveGenerators } from '../../generators/live/live-generators.js';
import { trackTempDir } from '../cleanup.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { NativeStack, type ServiceStatus } from './native/native-stack.js';
import type { NativePorts } from './native/services.js';
import { processAlive, readState, removeState, stateDir, writeState, type SandboxState } from './state.js';
import { WebhookReceiver, type Notification } from './webhook-receiver.js';

export interface StartOptions {
  runtime?: 'native' | 'docker' | 'auto';
  seed?: number | string;
  generatorPort?: number;
  ports?: Partial<NativePorts>;
  rules?: readonly string[];
  dashboards?: string;
  faults?: readonly FaultRequest[];
  knobs?: Readonly<Record<string, unknown>>;
  onStatus?: (status: ServiceStatus) => void;
  onMessage?: (message: string) => void;
  onNotification?: (notification: Notification) => void;
}

/** A running sandbox: the stack, the generators feeding it, and the webhook receiver Alertmanager calls. */
export class Sandbox {
  private constructor(
    readonly stack: NativeStack,
    readonly generators: LiveGenerators,
    readonly webhook: WebhookReceiver,
    readonly state: SandboxState,
    private readonly untrackData: () => void,
  ) {}

  static async start(options: StartOptions = {}): Promise<Sandbox> {
    if (options.runtime === 'docker') {
      throw new UserError(
        '--runtime docker is not available yet; use --runtime native (the default for now)',
      );
    }
    const previous = await readState();
    if (previous && processAlive(previous.pid)) {
      throw new UserError(
        `a sandbox is already running (pid ${previous.pid}); see \`sandbox status\`, or stop it with \`sandbox down\``,
      );
    }
    await mkdir(stateDir(), { recursive: true, mode: 0o700 });
    const dataDir = await mkdtemp(join(stateDir(), 'run-'));
    // Removed on any exit, even one that never reaches stop().
    const untrackData = trackTempDir(dataDir);
    const grafanaPassword = randomBytes(18).toString('base64url');
    const webhook = new WebhookReceiver(options.onNotification);
    let generators: LiveGenerators | undefined;
    let stack: NativeStack | undefined;
    try {
      const webhookPort = await webhook.start();
      generators = await LiveGenerators.start({
        seed: options.seed ?? 1,
        port: options.generatorPort ?? 9470,
        knobs: options.knobs,
        faults: options.faults,
        onStatus: options.onMessage,
      });
      const targets = generators.targets();
      stack = await NativeStack.start({
        dataDir,
        ports: options.ports,
        generators: targets.map((t) => ({ job: t.job, port: Number(new URL(t.url).port) })),
        webhookPort,
        ruleFiles: await collectRuleFiles(options.rules ?? []),
        grafanaPassword,
        userDashboards: options.dashboards,
        onStatus: options.onStatus,
      });
      if (stack.running('loki')) generators.connectLoki(stack.statuses.get('loki')!.url!);
      if (stack.running('jaeger')) generators.connectOtlp(`http://127.0.0.1:${stack.ports.jaegerOtlpHttp}`);
      const state: SandboxState = {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        runtime: 'native',
        dataDir,
        grafana: { user: 'admin', password: grafanaPassword },
        services: stack.services(),
        generators: targets,
        webhookUrl: `http://127.0.0.1:${webhookPort}/alertmanager`,
      };
      await writeState(state);
      return new Sandbox(stack, generators, webhook, state, untrackData);
    } catch (error) {
      await stack?.stop();
      await generators?.stop();
      await webhook.stop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops everything, removes the data directory and the state file. */
  async stop(onStep?: (step: string) => void): Promise<void> {
    onStep?.('stopping the stack');
    await this.stack.stop();
    onStep?.('stopping the generators');
    await this.generators.stop();
    await this.webhook.stop();
    onStep?.('removing data');
    await rm(this.state.dataDir, { recursive: true, force: true });
    this.untrackData();
    await removeState();
  }
}
