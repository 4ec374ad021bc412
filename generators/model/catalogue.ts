export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
  labelNames: readonly string[];
  buckets?: readonly number[];
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
