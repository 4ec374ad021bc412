import { readFile } from 'node:fs/promises';
import type { MetricDefinition } from '../../generators/model/metric-definitions.js';
import { UserError } from '../../generators/user-error.js';
import { producedNames, vacuousMetrics } from '../rules/vacuous.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { LoadedScenario } from '../scenario/load-scenario.js';
import { YamlSource } from '../scenario/source-map.js';

/** A scenario with the metrics its systems produce. */
interface Checked {
  loaded: LoadedScenario;
  systems: { metrics: readonly MetricDefinition[] };
}

/**
 * A scenario's `never` and `silent` expectations on alerts whose expressions select only metrics not in
 * `produced`: they pass whatever the rule says. One line each, `file:line:col: expect[i]: …`; `text` is
 * the scenario file's text, for the positions.
 */
export function vacuousLines(
  { scenario, file }: LoadedScenario,
  text: string,
  rules: RuleSet,
  produced: ReadonlySet<string>,
): string[] {
  const found = scenario.expect.flatMap((e, i) => {
    const metrics = vacuousMetrics(e, rules, produced);
    return metrics ? [{ e, i, metrics }] : [];
  });
  if (found.length === 0) return [];
  const parsed = YamlSource.parse(file, text);
  return found.map(({ e, i, metrics }) => {
    const where = 'source' in parsed ? parsed.source.position(['expect', i]) : file;
    return (
      `${where}: expect[${i}]: ${e.alert} ${e.never ? 'never' : 'silent'} passes vacuously: its expression ` +
      `selects only metrics nothing produces (${metrics.join(', ')}); fix the rule's metric names or load the system that produces them`
    );
  });
}

/**
 * The vacuous expectations of each scenario (see vacuousLines) against what its systems produce: a
 * warning each, or with `strict` one error listing them all.
 */
export async function vacuousExpectations(
  scenarios: readonly Checked[],
  rules: RuleSet,
  options: { strict?: boolean; onWarning?: (line: string) => void },
): Promise<string[][]> {
  const perScenario = await Promise.all(
    scenarios.map(async ({ loaded, systems }) => {
      const produced = producedNames(rules, systems.metrics);
      if (!loaded.scenario.expect.some((e) => vacuousMetrics(e, rules, produced))) return [];
      return vacuousLines(loaded, await readFile(loaded.file, 'utf8'), rules, produced);
    }),
  );
  const lines = perScenario.flat();
  if (options.strict && lines.length > 0) throw new UserError(lines.join('\n'));
  for (const line of lines) options.onWarning?.(`warning: ${line}`);
  return perScenario;
}
