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

interface Label {
  readonly name: string;
  readonly value: string;
}

/**
 * Label objects shared by every series that has the same label: most labels of a push repeat (job,
 * instance, replica, le, the metric's name), and a queue of a million series holds far fewer objects. Label
 * values that change (an info series' hash) would grow it without end, so it starts over when full.
 */
const sharedLabels = new Map<string, Map<string, Label>>();
let sharedCount = 0;
const MAX_SHARED_LABELS = 100_000;

function sharedLabel(name: string, value: string): Label {
  let byValue = sharedLabels.get(name);
  if (!byValue) sharedLabels.set(name, (byValue = new Map()));
  let label = byValue.get(value);
  if (!label) {
    if (sharedCount >= MAX_SHARED_LABELS) {
      sharedLabels.clear();
      sharedCount = 0;
      return sharedLabel(name, value);
    }
    label = Object.freeze({ name, value });
    byValue.set(value, label);
    sharedCount++;
  }
  return label;
}

/** A series' labels as remote write sends them: `__name__` first, then by name, empty ones left out. */
export function labelList(name: string, labels: Readonly<Record<string, string | number>>): Label[] {
  const list = [sharedLabel('__name__', name)];
  for (const key of Object.keys(labels).sort()) {
    const value = String(labels[key]);
    // An empty label is no label, as when Prometheus scrapes it.
    if (value !== '') list.push(sharedLabel(key, value));
  }
  return list;
}
