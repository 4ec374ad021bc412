import type { MetricDefinition } from '../../model/metric-definitions.js';
import type { MemoryMetrics, StoredSeries } from '../metrics/memory-store.js';
import { SummaryValue } from '../metrics/summary-value.js';
import { labelList } from './registry-series.js';
import type { TimeSeries } from './write-request.js';

/**
 * Every series one target serves from an in-memory store, at `timestamp`, named, labelled and valued as
 * seriesOf gives them from that target's prom-client registry: a histogram as `_bucket` per `le` (the
 * bound as prom-client prints it, then "+Inf"), `_sum` and `_count`; a summary as one series per
 * `quantile`, `_sum` and `_count`. `definitions` are the metrics of the target's job.
 */
export function seriesOfStore(
  store: MemoryMetrics,
  definitions: readonly MetricDefinition[],
  instance: number,
  targetLabels: Readonly<Record<string, string>>,
  timestamp: number,
): TimeSeries[] {
  const out: TimeSeries[] = [];
  const push = (name: string, labels: Record<string, string | number>, value: number) =>
    out.push({ labels: labelList(name, { ...labels, ...targetLabels }), samples: [{ value, timestamp }] });
  for (const def of definitions)
    for (const stored of store.get(def.name)) if (stored.instance === instance) expand(def, stored, push);
  return out;
}

function expand(
  def: MetricDefinition,
  { labels, value }: StoredSeries,
  push: (name: string, labels: Record<string, string | number>, value: number) => void,
): void {
  if (typeof value === 'number') return push(def.name, labels, value);
  if (value instanceof SummaryValue) {
    const quantiles = value.values();
    value.quantiles.forEach((quantile, i) => push(def.name, { ...labels, quantile }, quantiles[i]!));
  } else {
    const bounds = def.buckets ?? [];
    value.buckets.forEach((count, i) =>
      push(`${def.name}_bucket`, { ...labels, le: i < bounds.length ? bounds[i]! : '+Inf' }, count),
    );
  }
  push(`${def.name}_sum`, labels, value.sum);
  push(`${def.name}_count`, labels, value.count);
}
