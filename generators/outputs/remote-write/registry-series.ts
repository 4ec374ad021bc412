import type { Registry } from 'prom-client';
import type { TimeSeries } from './write-request.js';

interface MetricValue {
  metricName?: string;
  labels?: Record<string, string | number>;
  sharedLabels?: Record<string, string | number>;
  value: number;
}

interface CollectedMetric {
  name: string;
  values?: MetricValue[];
  getForPromString?: () => Promise<{ name: string; values?: MetricValue[] }>;
  get: () => Promise<{ name: string; values?: MetricValue[] }>;
}

/**
 * Every series a registry serves, at `timestamp`, with `targetLabels` (the registry's default labels, job,
 * instance) added: the same names, labels and values as its text exposition.
 */
export async function seriesOf(
  registry: Registry,
  targetLabels: Readonly<Record<string, string>>,
  timestamp: number,
): Promise<TimeSeries[]> {
  // prom-client types its metrics by its own classes; the registry reads only what CollectedMetric lists.
  const metrics = registry.getMetricsAsArray() as unknown as CollectedMetric[];
  const out: TimeSeries[] = [];
  for (const metric of metrics) {
    const data = await (metric.getForPromString ? metric.getForPromString() : metric.get());
    for (const value of data.values ?? []) {
      const labels: Record<string, string | number> = {
        ...value.labels,
        ...value.sharedLabels,
        ...targetLabels,
      };
      out.push({
        labels: labelList(value.metricName ?? data.name, labels),
        samples: [{ value: value.value, timestamp }],
      });
    }
  }
  return out;
}

/** A series' labels as remote write sends them: `__name__` first, then by name, empty ones left out. */
export function labelList(name: string, labels: Readonly<Record<string, string | number>>) {
  const list = [{ name: '__name__', value: name }];
  for (const key of Object.keys(labels).sort()) {
    const value = String(labels[key]);
    // An empty label is no label, as when Prometheus scrapes it.
    if (value !== '') list.push({ name: key, value });
  }
  return list;
}
