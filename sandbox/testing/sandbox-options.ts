import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';
import {
  MAX_SPEED,
  parseForScale,
  parseHistory,
  parseInterval,
  parseSeed,
  positiveUpTo,
} from '../cli/options.js';
import { commandAlertmanager } from '../routing/alertmanager-file.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { readUserDashboards } from '../stack/dashboards/user-dashboards.js';
import type { StartOptions } from '../stack/sandbox-stack.js';
import { TRACE_BACKENDS } from '../stack/services/registry.js';
import { loadSystemCatalogue } from '../systems/system-catalogue.js';

export interface StartSandboxOptions {
  /** Where the stack runs (default 'auto': Docker when it answers, else the native binaries). */
  runtime?: 'native' | 'docker' | 'auto';
  /** Systems simulated beside VaultMesh and ZKP, as `--system` takes them: bundled names, files, directories. */
  systems?: readonly string[];
  /** Your rule files or directories, loaded beside the rules that come with the systems. */
  rules?: readonly string[];
  /** False leaves out the rules that come with the systems. */
  bundledRules?: boolean;
  /** A directory of Grafana dashboards (JSON) to provision. */
  dashboards?: string;
  /** Your Alertmanager configuration: its routing, every receiver replaced by the sandbox webhook. */
  alertmanagerConfig?: string;
  /** Seed of the generators: an integer or a word (default 1). */
  seed?: number | string;
  /** Model time runs this many times faster than wall time (default 1). */
  speed?: number;
  /** Simulated traffic loaded into Prometheus before the start, e.g. '1h10m' (default; '0': none). */
  history?: string;
  /** Prometheus' scrape and rule evaluation interval, e.g. '15s' (default) or '1s'. */
  interval?: string;
  /** Multiplies every rule's `for:` by this factor in (0, 1], so that alerts fire sooner (default 1). */
  forScale?: number;
  /** The trace backend: 'jaeger' (default) or 'tempo'. */
  traces?: string;
  /** Where the run's state and data go (default: a fresh temporary directory, removed on stop). */
  stateDir?: string;
  /** Called with each of the sandbox's own messages (services starting, what is missing). */
  onMessage?: (message: string) => void;
}

/** What the CLI's parser for the same flag says, as one line naming the option. */
function checked<T>(option: string, value: unknown, parse: (text: string) => T): T {
  try {
    return parse(String(value));
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    throw new UserError(`startSandbox: ${option} ${JSON.stringify(value)} ${error.message}`);
  }
}

/**
 * The start options the sandbox takes, after the checks `sandbox start` makes (same messages): systems,
 * rules, dashboards and the Alertmanager file are read, the values parsed. Ports and the runtime come later.
 */
export async function startOptionsOf(
  options: StartSandboxOptions,
): Promise<Omit<StartOptions, 'runtime'> & { forScale: number }> {
  const runtimes = ['native', 'docker', 'auto'];
  if (options.runtime !== undefined && !runtimes.includes(options.runtime))
    throw new UserError(
      `startSandbox: runtime ${JSON.stringify(options.runtime)} is not one of ${runtimes.join(', ')}`,
    );
  if (options.traces !== undefined && !TRACE_BACKENDS.includes(options.traces as never))
    throw new UserError(
      `startSandbox: traces ${JSON.stringify(options.traces)} is not one of ${TRACE_BACKENDS.join(', ')}`,
    );
  const systems = await loadSystemCatalogue({ systems: options.systems });
  await collectRuleFiles(options.rules ?? [], []);
  if (options.dashboards) await readUserDashboards(options.dashboards);
  await commandAlertmanager(options.alertmanagerConfig);
  const interval = checked('interval', options.interval ?? '15s', parseInterval);
  const history = checked('history', options.history ?? '1h10m', parseHistory);
  return {
    systems,
    rules: options.rules,
    bundledRules: options.bundledRules,
    dashboards: options.dashboards,
    alertmanagerConfig: options.alertmanagerConfig,
    seed: options.seed === undefined ? 1 : checked('seed', options.seed, parseSeed),
    speed: checked('speed', options.speed ?? 1, positiveUpTo(MAX_SPEED, '60')),
    interval,
    historyMs: parseDuration(history),
    forScale: checked('forScale', options.forScale ?? 1, parseForScale),
    traces: options.traces,
  };
}
