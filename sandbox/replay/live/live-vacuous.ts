import { producedNames } from '../../rules/vacuous.js';
import type { RuleSet } from '../../rules/rule-set.js';
import type { LoadedScenario } from '../../scenario/load-scenario.js';
import { vacuousLines } from '../vacuous-report.js';
import { getJson, type ApiEndpoint } from './api-endpoint.js';

/** The metric names Prometheus holds series of (history, scrapes, recording rules); undefined if it does not answer. */
async function metricNames(prometheus: ApiEndpoint): Promise<string[] | undefined> {
  try {
    const body = await getJson<{ data?: unknown }>(prometheus, '/api/v1/label/__name__/values', 10_000);
    return Array.isArray(body.data) ? body.data.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live mode's vacuous `never`/`silent` expectations: on alerts whose expressions select only metrics the
 * running Prometheus has no series of (after the run, so that what a fault makes appear counts). Empty
 * when Prometheus does not answer: then nothing can be said.
 */
export async function liveVacuousLines(
  prometheus: ApiEndpoint,
  loaded: LoadedScenario,
  text: string,
  rules: RuleSet,
): Promise<string[]> {
  const names = await metricNames(prometheus);
  if (!names) return [];
  return vacuousLines(
    loaded,
    text,
    rules,
    producedNames(
      rules,
      names.map((name) => ({ name })),
    ),
  );
}
