import { Counter, Gauge, Registry } from 'prom-client';
import type { MetricDefinition } from '../../model/metric-definitions.js';
import type { Labels, MetricWriter } from '../../model/types.js';
import type { JobTarget } from '../../systems/targets.js';
import type { HistogramValue, MemoryMetrics } from './memory-store.js';
import { ModelHistogram } from './model-histogram.js';
import { ModelTimeSummary } from './model-time-summary.js';
import type { ModelClock, SummaryValue } from './summary-value.js';

type AnyMetric = Counter<string> | Gauge<string> | ModelHistogram | ModelTimeSummary;

interface Target extends JobTarget {
  registry: Registry;
  up: boolean;
}

export interface PromRegistriesOptions {
  /** Model time (ms since the epoch) that summaries' windows slide with; required if there are summaries. */
  now?: ModelClock;
}

/**
 * One prom-client registry per scrape target (a job's target ordinal), fed by the model through the
 * MetricWriter interface: a write lands in the registry of the target its `instance` names.
 */
export class PromRegistries implements MetricWriter {
  /** Each job's targets, by ordinal. */
  private readonly byJob = new Map<string, Target[]>();
  /** Each metric's instrument on each of its job's targets, by ordinal. */
  private readonly metrics = new Map<string, AnyMetric[]>();

  constructor(
    definitions: readonly MetricDefinition[],
    targets: readonly JobTarget[],
    options: PromRegistriesOptions = {},
  ) {
    for (const { job, instance } of targets) {
      const list = this.byJob.get(job) ?? [];
      if (instance !== list.length) throw new Error(`target ${instance} of job ${job} is out of order`);
      list.push({ job, instance, registry: new Registry(), up: true });
      this.byJob.set(job, list);
    }
    for (const def of definitions) {
      const jobTargets = this.byJob.get(def.job);
      if (!jobTargets) throw new Error(`metric ${def.name} belongs to job ${def.job}, which has no target`);
      this.metrics.set(
        def.name,
        jobTargets.map(({ registry }) => instrument(def, registry, options.now)),
      );
    }
  }

  /** Every target, jobs in construction order, each job's targets consecutively. */
  targets(): JobTarget[] {
    return [...this.byJob.values()].flatMap((list) => list.map(({ job, instance }) => ({ job, instance })));
  }

  registry(job: string, instance = 0): Registry {
    return this.target(job, instance).registry;
  }

  isUp(job: string, instance = 0): boolean {
    return this.target(job, instance).up;
  }

  touch(metric: string, labels: Labels, instance = 0): void {
    const m = this.metric(metric, instance);
    if (m instanceof ModelHistogram || m instanceof ModelTimeSummary) m.zero(labels);
    else if (m instanceof Counter) m.inc(labels, 0);
    else m.set(labels, 0);
  }

  add(metric: string, labels: Labels, value: number, instance = 0): void {
    (this.metric(metric, instance) as Counter<string>).inc(labels, value);
  }

  set(metric: string, labels: Labels, value: number, instance = 0): void {
    (this.metric(metric, instance) as Gauge<string>).set(labels, value);
  }

  observe(metric: string, labels: Labels, value: number, instance = 0): void {
    (this.metric(metric, instance) as ModelHistogram | ModelTimeSummary).observe(labels, value);
  }

  /**
   * Takes every series' value and every target's state from a store the model wrote to instead of these
   * registries (fresh from the constructor): as if they had had its writes. Summaries take over the store's
   * values, which the store must then no longer change.
   */
  load(store: MemoryMetrics): void {
    for (const def of store.definitionsList()) {
      for (const { labels, instance, value } of store.get(def.name)) {
        const m = this.metric(def.name, instance);
        if (m instanceof ModelTimeSummary) m.adopt(labels, value as SummaryValue);
        else if (m instanceof ModelHistogram) m.set(labels, value as HistogramValue);
        else if (m instanceof Counter) m.inc(labels, value as number);
        else m.set(labels, value as number);
      }
    }
    for (const { job, instance } of this.targets())
      this.setTargetUp(job, store.targetUp(job, instance), instance);
  }

  remove(metric: string, labels: Labels, instance = 0): void {
    this.metric(metric, instance).remove(labels);
  }

  setTargetUp(job: string, up: boolean, instance?: number): void {
    if (instance !== undefined) this.target(job, instance).up = up;
    else for (const target of this.byJob.get(job) ?? []) target.up = up;
  }

  private target(job: string, instance: number): Target {
    const target = this.byJob.get(job)?.[instance];
    if (!target) throw new Error(`no target ${instance} for job ${job}`);
    return target;
  }

  private metric(name: string, instance: number): AnyMetric {
    const perTarget = this.metrics.get(name);
    if (!perTarget) throw new Error(`metric ${name} is not in the catalogue`);
    const metric = perTarget[instance];
    if (!metric) throw new Error(`metric ${name}: its job has no target ${instance}`);
    return metric;
  }
}

function instrument(def: MetricDefinition, registry: Registry, now: ModelClock | undefined): AnyMetric {
  const common = { name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [registry] };
  switch (def.type) {
    case 'counter':
      return new Counter(common);
    case 'gauge':
      return new Gauge(common);
    case 'histogram':
      return new ModelHistogram(def, registry);
    case 'summary':
      if (!now) throw new Error(`summary ${def.name} needs the registries to have a clock`);
      return new ModelTimeSummary(def, now, registry);
  }
}
