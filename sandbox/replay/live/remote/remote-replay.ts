import { readUserFile } from '../../../../generators/model/user-file.js';
import { UserError } from '../../../../generators/user-error.js';
import type { FaultRequest } from '../../../../generators/model/faults/fault-catalogue.js';
import { assertRulesDistinct } from '../../../rules/clash-check.js';
import { parseScenario, type LoadedScenario } from '../../../scenario/load-scenario.js';
import type { Scenario } from '../../../scenario/scenario-schema.js';
import type { SystemCatalogue } from '../../../systems/system-catalogue.js';
import type { ScenarioResult } from '../../replay-scenarios.js';
import { getJson, shownUrl, type ApiEndpoint } from '../api-endpoint.js';
import { replayLive, type LiveReplayEvent } from '../live-replay.js';
import { fetchRuleGroups } from '../rule-alerts.js';
import { AlertmanagerWatch } from './alertmanager-watch.js';
import type { Environment } from './environment-flags.js';
import { evaluationIntervalMs, evaluatorRuleSet } from './evaluator-rules.js';
import { RemoteTarget } from './remote-target.js';

const switchesGenerators = (s: Scenario) =>
  (s.faults ?? []).length > 0 ||
  Object.keys(s.traffic ?? {}).length > 0 ||
  s.steps.some((step) => step.fault || step.clear || Object.keys(step.traffic ?? {}).length > 0);

async function reachable<T>(what: string, flag: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new UserError(`cannot read ${what} (${(error as Error).message}); check ${flag}`);
  }
}

/** What the generators run now (the first one's view: shards run one logical system), to restore later. */
async function generatorState(environment: Environment) {
  const states = await Promise.all(environment.generators.map((g) => g.state()));
  const first = states[0];
  const faults: FaultRequest[] = first?.faults ?? [];
  return { faults, knobs: first?.knobs ?? {} };
}

/**
 * Runs scenarios in real time against an environment of your own: each scenario's alerts are checked
 * against the rules the evaluator has (did-you-mean, rule files, labels), its steps switch faults and knobs
 * in every generator, and it is judged on the evaluator's alerts and Alertmanager's view of their receivers.
 */
export async function replayRemote(
  files: readonly string[],
  environment: Environment,
  catalogue: SystemCatalogue,
  onEvent: (event: LiveReplayEvent) => void,
  signal: AbortSignal,
): Promise<ScenarioResult[]> {
  const { prometheus, alertmanager } = environment;
  const groups = await reachable(
    `the rules at ${shownUrl(prometheus.url)}/api/v1/rules`,
    '--prometheus (a Mimir ruler: its /prometheus prefix), its auth and --tenant',
    () => fetchRuleGroups(prometheus),
  );
  const rules = evaluatorRuleSet(groups);
  if (alertmanager)
    await reachable(
      `Alertmanager at ${shownUrl(alertmanager.url)}`,
      '--alertmanager, its auth and --tenant',
      () => getJson<unknown>(alertmanager as ApiEndpoint, '/api/v2/status'),
    );
  const vocabulary = {
    faults: catalogue.faults,
    knobs: catalogue.knobs,
    alerts: [...new Set(rules.alerts.map((r) => r.alert))],
    rules,
  };
  const loaded: { scenario: LoadedScenario; text: string }[] = [];
  for (const file of files) {
    const text = await readUserFile(file, 'scenario file');
    const scenario = parseScenario(file, text, vocabulary);
    assertRulesDistinct(rules, [scenario.scenario]);
    if (environment.generators.length === 0 && switchesGenerators(scenario.scenario)) {
      throw new UserError(
        `${file}: scenario ${scenario.scenario.name} switches faults or traffic; name the generators with --generators URL[,URL...] (\`sandbox generate --control-port\`)`,
      );
    }
    loaded.push({ scenario, text });
  }
  const results: ScenarioResult[] = [];
  for (const { scenario, text } of loaded) {
    if (signal.aborted) break;
    const alerts = scenario.scenario.expect.map((e) => e.alert);
    // A watch per scenario: an alert Alertmanager held before it started counts from its start.
    const watch = alertmanager && new AlertmanagerWatch(alertmanager);
    const target = new RemoteTarget(
      prometheus,
      watch && alertmanager ? { endpoint: alertmanager, watch } : undefined,
      environment.generators,
      evaluationIntervalMs(groups, alerts),
      await generatorState(environment),
    );
    watch?.start();
    try {
      results.push(await replayLive(scenario, target, { signal, onEvent, loaded: { rules, text } }));
    } finally {
      await watch?.stop();
    }
  }
  return results;
}
