import type { Labels } from '../model/types.js';
import { formatDuration } from '../model/duration.js';
import { encodeSamples } from './series-values.js';
import type { RecordedSeries } from './series-recorder.js';

export interface AlertProbe {
  /** Time of the check, in ms since the start of the series (promtool's time 0). */
  at: number;
}

export interface PromtoolTestOptions {
  ruleFiles: readonly string[];
  evaluationIntervalMs: number;
  series: readonly RecordedSeries[];
  /** Times at which every alert's state is read (through the ALERTS series). */
  probes: readonly number[];
}

function seriesSelector(name: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${pairs.join(',')}}`;
}

/**
 * A `promtool test rules` file (JSON, which is YAML) that loads the recorded series and reads `ALERTS` at
 * each probe time. Every probe expects no alert, so promtool reports each active alert as a failure with
 * its labels and state: that report is how the replay learns what happened, with the real rule engine.
 */
export function promtoolTestFile(options: PromtoolTestOptions): string {
  const interval = formatDuration(options.evaluationIntervalMs);
  return JSON.stringify({
    rule_files: options.ruleFiles,
    evaluation_interval: interval,
    tests: [
      {
        interval,
        input_series: options.series.map((s) => ({
          series: seriesSelector(s.name, s.labels),
          values: encodeSamples(s.samples),
        })),
        promql_expr_test: options.probes.map((at) => ({
          expr: 'ALERTS',
          eval_time: formatDuration(at),
          exp_samples: [],
        })),
      },
    ],
  });
}
