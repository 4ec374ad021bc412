import type { Metric, Registry } from 'prom-client';
import type { MetricDefinition } from '../../model/metric-definitions.js';
import type { Labels } from '../../model/types.js';
import { assertLabelNames, labelKey } from './memory-store.js';
import { SummaryValue, type ModelClock } from './summary-value.js';

interface Series {
  labels: Labels;
  value: SummaryValue;
}

/**
 * A summary served by a prom-client registry, computed as the in-memory store computes it (see
 * `SummaryValue`), so that live targets, replays and the history agree. prom-client's own `Summary` cannot
 * be used: it slides its window on wall time (not model time, which runs ahead while the history is
 * simulated or with `--speed`), reports 0 rather than NaN for an empty window, and has no way to create a
 * series with count 0. The registry renders it like any metric (`quantile` first, then `_sum`, `_count`).
 */
export class ModelTimeSummary {
  readonly name: string;
  readonly help: string;
  readonly type = 'summary';
  private readonly series = new Map<string, Series>();

  constructor(
    private readonly def: MetricDefinition,
    private readonly now: ModelClock,
    registry: Registry,
  ) {
    this.name = def.name;
    this.help = def.help;
    // The registry only reads name, help, type and get(), which this provides; its types list its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  zero(labels: Labels): void {
    this.entry(labels);
  }

  /** Makes `value` (a store's, say) the series' own: what it was observed so far, and its window. */
  adopt(labels: Labels, value: SummaryValue): void {
    this.entry(labels).value = value;
  }

  observe(labels: Labels, value: number): void {
    this.entry(labels).value.observe(value);
  }

  remove(labels: Labels): void {
    this.series.delete(labelKey(labels));
  }

  get() {
    const values = [...this.series.values()].flatMap(({ labels, value }) => {
      const quantiles = value.values();
      return [
        ...value.quantiles.map((quantile, i) => ({ labels: { quantile, ...labels }, value: quantiles[i]! })),
        { metricName: `${this.name}_sum`, labels, value: value.sum },
        { metricName: `${this.name}_count`, labels, value: value.count },
      ];
    });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values });
  }

  private entry(labels: Labels): Series {
    const key = labelKey(labels);
    let series = this.series.get(key);
    if (!series) {
      assertLabelNames(this.name, this.def.labelNames, labels);
      series = { labels: { ...labels }, value: new SummaryValue(this.def, this.now) };
      this.series.set(key, series);
    }
    return series;
  }
}
