import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';
import type { MetricDefinition } from '../../model/catalogue.js';
import type { Labels, MetricWriter } from '../../model/types.js';

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** One prom-client registry per scrape job, fed by the model through the MetricWriter interface. */
export class PromRegistries implements MetricWriter {
  private readonly registries = new Map<string, Registry>();
  private readonly metrics = new Map<string, AnyMetric>();
  private readonly up = new Map<string, boolean>();

  constructor(definitions: readonly MetricDefinition[], jobs: readonly string[]) {
    for (const job of jobs) this.registries.set(job, new Registry());
    for (const def of definitions) {
      const registry = this.registries.get(def.job);
      if (!registry) throw new Error(`metric ${def.name} belongs to job ${def.job}, which has no target`);
      const common = {
        name: def.name,
        help: def.help,
        labelNames: [...def.labelNames],
        registers: [registry],
      };
      const metric =
        def.type === 'counter'
          ? new Counter(common)
          : def.type === 'gauge'
            ? new Gauge(common)
            : new Histogram({ ...common, buckets: [...(def.buckets ?? [])] });
      this.metrics.set(def.name, metric);
    }
  }

  registry(job: string): Registry {
    const registry = this.registries.get(job);
    if (!registry) throw new Error(`no registry for job ${job}`);
    return registry;
  }

  jobs(): string[] {
    return [...this.registries.keys()];
  }

  isUp(job: string): boolean {
    return this.up.get(job) ?? true;
  }

  touch(metric: string, labels: Labels): void {
    const m = this.metric(metric);
    if (m instanceof Histogram) m.zero(labels);
    else if (m instanceof Counter) m.inc(labels, 0);
    else m.set(labels, 0);
  }

  add(metric: string, labels: Labels, value: number): void {
    (this.metric(metric) as Counter<string>).inc(labels, value);
  }

  set(metric: string, labels: Labels, value: number): void {
    (this.metric(metric) as Gauge<string>).set(labels, value);
  }

  observe(metric: string, labels: Labels, value: number): void {
    (this.metric(metric) as Histogram<string>).observe(labels, value);
  }

  remove(metric: string, labels: Labels): void {
    (this.metric(metric) as Metric<string>).remove(labels);
  }

  setTargetUp(job: string, up: boolean): void {
    this.up.set(job, up);
  }

  private metric(name: string): AnyMetric {
    const metric = this.metrics.get(name);
    if (!metric) throw new Error(`metric ${name} is not in the catalogue`);
    return metric;
  }
}
