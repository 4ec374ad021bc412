export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
  labelNames: readonly string[];
  buckets?: readonly number[];
  /** Summary quantiles (0..1), e.g. [0.5, 0.9, 0.99]. */
  quantiles?: readonly number[];
  /** Summary sliding window in seconds (prom-client's maxAgeSeconds; 600 when absent). */
  maxAgeSeconds?: number;
  /** Summary window buckets (prom-client's ageBuckets; 5 when absent). */
  ageBuckets?: number;
  /** The scrape job whose target serves it. */
  job: string;
  /** `seed`: defined in a seed's exporter code or table; `inferred`: only referenced by a rule or panel there. */
  source: 'seed' | 'inferred';
}

/** Looks metrics up by name in a set of definitions. */
export function indexMetrics(metrics: readonly MetricDefinition[]): ReadonlyMap<string, MetricDefinition> {
  const byName = new Map<string, MetricDefinition>();
  for (const metric of metrics) {
    if (byName.has(metric.name)) throw new Error(`metric ${metric.name} is defined twice`);
    byName.set(metric.name, metric);
  }
  return byName;
}
