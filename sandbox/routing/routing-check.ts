import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readUserFile } from '../../generators/model/user-file.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { formatDuration } from '../../generators/model/duration.js';
import { UserError, didYouMean } from '../../generators/user-error.js';
import { findAmtool } from '../binaries/amtool.js';
import type { ExpectationResult } from '../replay/judge.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import { YamlSource, fieldPath } from '../scenario/source-map.js';
import { alertmanagerConfig } from '../stack/configs/alertmanager-config.js';
import { removeOnExit } from '../cleanup.js';
import { loadAlertmanagerFile, type AlertmanagerFile } from './alertmanager-file.js';
import { inhibitingAlert, inhibitRules, type InhibitRule } from './inhibition.js';
import { routedReceivers } from './route-test.js';

/** The routing a scenario's `notifies:` are checked against, and amtool to check them with. */
export interface Routing {
  amtool: string;
  /** The configuration file amtool reads. */
  file: string;
  /** How results name it: the user's file, or "the sandbox routing". */
  name: string;
  receivers: readonly string[];
  /** Its inhibit rules (applied here: amtool routes one alert and knows no others). */
  inhibitRules: readonly InhibitRule[];
}

let sandboxRouting: Promise<{ file: string; receivers: string[] }> | undefined;

/** The sandbox's own routing (critical → sandbox-critical, warning → sandbox-warning) as a file for amtool. */
function sandboxRoutingFile(): Promise<{ file: string; receivers: string[] }> {
  sandboxRouting ??= (async () => {
    // Kept for the process' other replays, removed when it exits; created synchronously so that a signal
    // cannot arrive between creating and tracking it.
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-routing-'));
    removeOnExit(dir);
    const file = join(dir, 'alertmanager.yml');
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
        inhibitRules: userInhibitRules(user),
      }
    : { amtool, ...(await sandboxRoutingFile()), name: 'the sandbox routing', inhibitRules: [] };
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

function userInhibitRules(user: AlertmanagerFile): InhibitRule[] {
  try {
    return inhibitRules(user.config, user.file);
  } catch (error) {
    throw new UserError(
      `${(error as Error).message}; write matchers as name="value", name!="value", name=~"re" or name!~"re"`,
    );
  }
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
 * fired with, through the real `amtool config routes test`; a route to another receiver fails it, and so
 * does an alert that another alert firing then inhibits (Alertmanager would not notify). `firingAt` gives
 * the alerts firing at a scenario time, each with its alertname.
 */
export async function checkRouting(
  scenario: Scenario,
  results: readonly ExpectationResult[],
  routing: Routing | undefined,
  firingAt: (t: number) => readonly Readonly<Record<string, string>>[] = () => [],
): Promise<ExpectationResult[]> {
  if (routing === undefined) return [...results];
  return Promise.all(
    results.map(async (result, i) => {
      const expected = scenario.expect[i]!.notifies;
      if (expected === undefined || !result.passed || !result.fired) return result;
      const labels = { alertname: result.alert, ...result.fired.labels };
      const receivers = await routedReceivers(routing.amtool, routing.file, labels);
      const inhibitor = inhibitingAlert(routing.inhibitRules, firingAt(result.fired.t), labels);
      if (receivers.includes(expected) && inhibitor) {
        const { alertname = '', ...others } = inhibitor;
        return {
          ...result,
          passed: false,
          detail: `fired at ${formatDuration(result.fired.t)} as ${labelSet(labels)}, routed to ${expected}, but inhibited by ${alertname}${labelSet(others)} firing then (inhibit_rules of ${routing.name}): Alertmanager would not notify`,
        };
      }
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
