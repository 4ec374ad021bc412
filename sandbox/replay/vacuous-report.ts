import { readUserFile } from '../../generators/model/user-file.js';
import type { MetricDefinition } from '../../generators/model/catalogue.js';
import { UserError } from '../../generators/model/errors.js';
import { producedNames, vacuousMetrics } from '../rules/vacuous.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { LoadedScenario } from '../scenario/load.js';
import { YamlSource } from '../scenario/source-map.js';

/** A scenario with the metrics its systems produce. */
interface Checked {
  loaded: LoadedScenario;
  systems: { metrics: readonly MetricDefinition[] };
}

/**
 * `never` and `silent` expectations on alerts whose expressions select only metrics nothing produces pass
 * whatever the rule says: one line each, `file:line:col: expect[i]: …`. A warning, or with `strict` an error.
 */
export async function vacuousExpectations(
  scenarios: readonly Checked[],
  rules: RuleSet,
  options: { strict?: boolean; onWarning?: (line: string) => void },
): Promise<string[]> {
  const lines: string[] = [];
  for (const { loaded, systems } of scenarios) {
    const produced = producedNames(rules, systems.metrics);
    const found = loaded.scenario.expect.flatMap((e, i) => {
      const metrics = vacuousMetrics(e, rules, produced);
      return metrics ? [{ e, i, metrics }] : [];
    });
    if (found.length === 0) continue;
    const parsed = YamlSource.parse(loaded.file, await readUserFile(loaded.file, 'scenario file'));
    for (const { e, i, metrics } of found) {
      const where = 'source' in parsed ? parsed.source.position(['expect', i]) : loaded.file;
      lines.push(
        `${where}: expect[${i}]: ${e.alert} ${e.never ? 'never' : 'silent'} passes vacuously: its expression ` +
          `selects only metrics nothing produces (${metrics.join(', ')}); fix the rule's metric names or load the system that produces them`,
      );
    }
  }
  if (options.strict && lines.length > 0) throw new UserError(lines.join('\n'));
  for (const line of lines) options.onWarning?.(`warning: ${line}`);
  return lines;
}
