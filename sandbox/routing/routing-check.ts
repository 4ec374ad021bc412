import { mkdtemp, writeFile } from 'node:fs/promises';
import { readUserFile } from '../../generators/model/user-file.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { formatDuration } from '../../generators/model/duration.js';
import { UserError, didYouMean } from '../../generators/model/errors.js';
import { findAmtool } from '../binaries/amtool.js';
import type { ExpectationResult } from '../replay/judge.js';
import type { Scenario } from '../scenario/schema.js';
import { YamlSource, fieldPath } from '../scenario/source-map.js';
import { alertmanagerConfig } from '../stack/configs/alertmanager.js';
import { loadAlertmanagerFile, type AlertmanagerFile } from './alertmanager-file.js';
import { routedReceivers } from './route-test.js';

/** The routing a scenario's `notifies:` are checked against, and amtool to check them with. */
export interface Routing {
  amtool: string;
  /** The configuration file amtool reads. */
  file: string;
  /** How results name it: the user's file, or "the sandbox routing". */
  name: string;
  receivers: readonly string[];
  inhibits: boolean;
}

let sandboxRouting: Promise<{ file: string; receivers: string[] }> | undefined;

/** The sandbox's own routing (critical → sandbox-critical, warning → sandbox-warning) as a file for amtool. */
function sandboxRoutingFile(): Promise<{ file: string; receivers: string[] }> {
  sandboxRouting ??= (async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'obs-sandbox-routing-')), 'alertmanager.yml');
    await writeFile(file, alertmanagerConfig({ webhookUrl: 'http://127.0.0.1/alertmanager' }));
    return { file, receivers: ['sandbox-default', 'sandbox-critical', 'sandbox-warning'] };
  })();
  return sandboxRouting;
}

/**
 * The routing for a scenario with `notifies:` expectations (undefined without any: amtool is not needed):
 * the scenario's own `alertmanager_config`, else the command's, else the sandbox's. Every `notifies:` must
 * sit on a `fires` expectation and name a receiver of that configuration.
 */
export async function scenarioRouting(
  scenario: Scenario,
  scenarioFile: string,
  command: AlertmanagerFile | undefined,
): Promise<Routing | undefined> {
  if (!scenario.expect.some((e) => e.notifies !== undefined)) return undefined;
  const amtool = (await findAmtool()).path;
  const own = scenario.alertmanager_config
    ? await loadAlertmanagerFile(resolve(dirname(scenarioFile), scenario.alertmanager_config), amtool)
    : undefined;
  const user = own ?? command;
  const routing: Routing = user
    ? {
        amtool,
        file: resolve(user.file),
        name: user.file,
        receivers: user.receivers,
        inhibits: user.inhibits,
      }
    : { amtool, ...(await sandboxRoutingFile()), name: 'the sandbox routing', inhibits: false };
  const source = await positions(scenarioFile);
  scenario.expect.forEach((e, i) => {
    if (e.notifies === undefined) return;
    const at = ['expect', i, 'notifies'];
    const where = `${source?.position(at) ?? scenarioFile}: ${fieldPath(at)}`;
    if (!e.fires) throw new UserError(`${where}: notifies belongs to an expectation with fires`);
    if (!routing.receivers.includes(e.notifies)) {
      throw new UserError(
        `${where}: no receiver "${e.notifies}" in ${routing.name} (${routing.receivers.join(', ')})${didYouMean(e.notifies, routing.receivers)}; name one, or give the configuration that has it (--alertmanager-config, or alertmanager_config: in the scenario)`,
      );
    }
  });
  return routing;
}

async function positions(file: string): Promise<YamlSource | undefined> {
  const parsed = YamlSource.parse(file, await readUserFile(file, 'Alertmanager configuration'));
  return 'error' in parsed ? undefined : parsed.source;
}

const labelSet = (labels: Readonly<Record<string, string>>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

/**
 * Simulated mode: each `fires` expectation with `notifies:` that held is routed, with the labels the alert
 * fired with, through the real `amtool config routes test`; a route to another receiver fails it.
 */
export async function checkRouting(
  scenario: Scenario,
  results: readonly ExpectationResult[],
  routing: Routing | undefined,
): Promise<ExpectationResult[]> {
  if (routing === undefined) return [...results];
  return Promise.all(
    results.map(async (result, i) => {
      const expected = scenario.expect[i]!.notifies;
      if (expected === undefined || !result.passed || !result.fired) return result;
      const labels = { alertname: result.alert, ...result.fired.labels };
      const receivers = await routedReceivers(routing.amtool, routing.file, labels);
      if (receivers.includes(expected))
        return { ...result, detail: `${result.detail}, routed to ${expected}` };
      return {
        ...result,
        passed: false,
        detail: `fired at ${formatDuration(result.fired.t)} as ${labelSet(labels)}; routed to ${receivers.join(', ') || 'no receiver'}, expected ${expected} (${routing.name})`,
      };
    }),
  );
}

/** `amtool config routes test` routes one alert; which alerts inhibit which is only seen live. */
export const INHIBITION_NOTE =
  'its inhibit_rules are not applied in simulated mode (--mode live applies them)';
