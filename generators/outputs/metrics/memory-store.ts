import { indexMetrics, type MetricDefinition } from '../../model/metric-definitions.js';
import type { Labels, MetricWriter } from '../../model/types.js';
import { SummaryValue, type ModelClock } from './summary-value.js';

export interface HistogramValue {
  /** Cumulative counts per upper bound, in bucket order, then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface StoredSeries {
  labels: Labels;
  /** Ordinal of the job's scrape target that serves the series. */
  instance: number;
  value: number | HistogramValue | SummaryValue;
  removed?: boolean;
}

export interface MemoryMetricsOptions {
  /** Model time (ms since the epoch) that summaries' windows slide with; required if there are summaries. */
  now?: ModelClock;
}

/** Throws unless `labels` has exactly the metric's label names (a new series of `metric`). */
export function assertLabelNames(metric: string, labelNames: readonly string[], labels: Labels): void {
  const names = Object.keys(labels);
  if (names.length !== labelNames.length || names.some((n) => !labelNames.includes(n)))
    throw new Error(`${metric}: labels {${names.join(', ')}} do not match {${labelNames.join(', ')}}`);
}

/** Canonical key of a label set (sorted names; separators that cannot occur in label names). */
export function labelKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]}\u0000${labels[names[0]!]}`;
  if (names.length > 1) names.sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

/** Key of a series within its metric: the label key, plus the target ordinal past the first target. */
function seriesKey(labels: Labels, instance: number): string {
  const key = labelKey(labels);
  return instance === 0 ? key : `${key}\u0002${instance}`;
}

/**
 * Current value of every series, kept in plain maps: what tests inspect and what a replay samples at each
 * evaluation step. Writes are checked against the catalogue (unknown metrics or label names throw).
 */
export class MemoryMetrics implements MetricWriter {
  private readonly definitions: ReadonlyMap<string, MetricDefinition>;
  private readonly series = new Map<string, Map<string, StoredSeries>>();
  /** Entries by label object, per metric and target: the model reuses label objects on hot paths. */
  private readonly byIdentity = new Map<string, WeakMap<Labels, StoredSeries>[]>();
  /** Whether each job's targets answer, and the targets set apart from the rest of their job. */
  private readonly jobsUp = new Map<string, boolean>();
  private readonly targetsUp = new Map<string, Map<number, boolean>>();
  private readonly now: ModelClock | undefined;

  constructor(metrics: readonly MetricDefinition[], options: MemoryMetricsOptions = {}) {
    this.definitions = indexMetrics(metrics);
    this.now = options.now;
    for (const m of metrics) {
      if (m.type === 'summary' && !this.now)
        throw new Error(`summary ${m.name} needs the store to have a clock`);
      this.series.set(m.name, new Map());
      this.byIdentity.set(m.name, [new WeakMap()]);
    }
  }

  touch(metric: string, labels: Labels, instance = 0): void {
    this.entry(metric, labels, instance);
  }

  add(metric: string, labels: Labels, value: number, instance = 0): void {
    if (value < 0) throw new Error(`${metric}: counters only go up`);
    const entry = this.entry(metric, labels, instance);
    entry.value = (entry.value as number) + value;
  }

  set(metric: string, labels: Labels, value: number, instance = 0): void {
    this.entry(metric, labels, instance).value = value;
  }

  observe(metric: string, labels: Labels, value: number, instance = 0): void {
    const stored = this.entry(metric, labels, instance).value;
    if (stored instanceof SummaryValue) {
      stored.observe(value);
      return;
    }
    const h = stored as HistogramValue;
    const bounds = this.definitions.get(metric)!.buckets ?? [];
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) h.buckets[i]!++;
    h.buckets[bounds.length]!++;
    h.sum += value;
    h.count++;
  }

  remove(metric: string, labels: Labels, instance = 0): void {
    const family = this.family(metric);
    const key = seriesKey(labels, instance);
    const entry = family.get(key);
    if (entry) entry.removed = true;
    family.delete(key);
  }

  setTargetUp(job: string, up: boolean, instance?: number): void {
    if (instance === undefined) {
      this.jobsUp.set(job, up);
      this.targetsUp.delete(job);
      return;
    }
    let targets = this.targetsUp.get(job);
    if (!targets) this.targetsUp.set(job, (targets = new Map()));
    targets.set(instance, up);
  }

  targetUp(job: string, instance = 0): boolean {
    return this.targetsUp.get(job)?.get(instance) ?? this.jobsUp.get(job) ?? true;
  }

  /** Series of one metric (every target's), in insertion order. */
  get(metric: string): StoredSeries[] {
    return [...this.family(metric).values()];
  }

  /** Value of one series (a number for counters and gauges), or undefined if it does not exist. */
  value(metric: string, labels: Labels = {}, instance = 0): StoredSeries['value'] | undefined {
    return this.family(metric).get(seriesKey(labels, instance))?.value;
  }

  definitionsList(): MetricDefinition[] {
    return [...this.definitions.values()];
  }

  private family(metric: string): Map<string, StoredSeries> {
    const family = this.series.get(metric);
    if (!family) throw new Error(`metric ${metric} is not in the catalogue`);
    return family;
  }

  private entry(metric: string, labels: Labels, instance: number): StoredSeries {
    const identities = this.byIdentity.get(metric);
    const known = identities?.[instance]?.get(labels);
    if (known && !known.removed) return known;
    const family = this.family(metric);
    const key = seriesKey(labels, instance);
    let entry = family.get(key);
    if (!entry) {
      const def = this.definitions.get(metric)!;
      assertLabelNames(metric, def.labelNames, labels);
      if (!Number.isInteger(instance) || instance < 0)
        throw new Error(`${metric}: target ordinal ${instance} is not a non-negative integer`);
      entry = { labels: { ...labels }, instance, value: this.initialValue(def) };
      family.set(key, entry);
    }
    (identities![instance] ??= new WeakMap()).set(labels, entry);
    return entry;
  }

  private initialValue(def: MetricDefinition): StoredSeries['value'] {
    if (def.type === 'histogram')
      return { buckets: new Array<number>((def.buckets?.length ?? 0) + 1).fill(0), sum: 0, count: 0 };
    if (def.type === 'summary') return new SummaryValue(def, this.now!);
    return 0;
  }
}
