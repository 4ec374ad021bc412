import { indexMetrics, type MetricDefinition } from '../../model/catalogue.js';
import type { Labels, MetricWriter } from '../../model/types.js';

export interface HistogramValue {
  /** Cumulative counts per upper bound, in bucket order, then +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

export interface StoredSeries {
  labels: Labels;
  value: number | HistogramValue;
  removed?: boolean;
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

/**
 * Current value of every series, kept in plain maps: what tests inspect and what a replay samples at each
 * evaluation step. Writes are checked against the catalogue (unknown metrics or label names throw).
 */
export class MemoryMetrics implements MetricWriter {
  private readonly definitions: ReadonlyMap<string, MetricDefinition>;
  private readonly series = new Map<string, Map<string, StoredSeries>>();
  /** Entries by label object, per metric: the model reuses label objects on hot paths. */
  private readonly byIdentity = new Map<string, WeakMap<Labels, StoredSeries>>();
  private readonly targets = new Map<string, boolean>();

  constructor(metrics: readonly MetricDefinition[]) {
    this.definitions = indexMetrics(metrics);
    for (const m of metrics) {
      this.series.set(m.name, new Map());
      this.byIdentity.set(m.name, new WeakMap());
    }
  }

  touch(metric: string, labels: Labels): void {
    this.entry(metric, labels);
  }

  add(metric: string, labels: Labels, value: number): void {
    if (value < 0) throw new Error(`${metric}: counters only go up`);
    const entry = this.entry(metric, labels);
    entry.value = (entry.value as number) + value;
  }

  set(metric: string, labels: Labels, value: number): void {
    this.entry(metric, labels).value = value;
  }

  observe(metric: string, labels: Labels, value: number): void {
    const def = this.definitions.get(metric)!;
    const h = this.entry(metric, labels).value as HistogramValue;
    const bounds = def.buckets ?? [];
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) h.buckets[i]!++;
    h.buckets[bounds.length]!++;
    h.sum += value;
    h.count++;
  }

  remove(metric: string, labels: Labels): void {
    const family = this.family(metric);
    const key = labelKey(labels);
    const entry = family.get(key);
    if (entry) entry.removed = true;
    family.delete(key);
  }

  setTargetUp(job: string, up: boolean): void {
    this.targets.set(job, up);
  }

  targetUp(job: string): boolean {
    return this.targets.get(job) ?? true;
  }

  /** Series of one metric, in insertion order. */
  get(metric: string): StoredSeries[] {
    return [...this.family(metric).values()];
  }

  /** Value of one series (a number for counters and gauges), or undefined if it does not exist. */
  value(metric: string, labels: Labels = {}): number | HistogramValue | undefined {
    return this.family(metric).get(labelKey(labels))?.value;
  }

  definitionsList(): MetricDefinition[] {
    return [...this.definitions.values()];
  }

  private family(metric: string): Map<string, StoredSeries> {
    const family = this.series.get(metric);
    if (!family) throw new Error(`metric ${metric} is not in the catalogue`);
    return family;
  }

  private entry(metric: string, labels: Labels): StoredSeries {
    const identity = this.byIdentity.get(metric);
    const known = identity?.get(labels);
    if (known && !known.removed) return known;
    const family = this.family(metric);
    const key = labelKey(labels);
    let entry = family.get(key);
    if (!entry) {
      const def = this.definitions.get(metric)!;
      const names = Object.keys(labels);
      if (names.length !== def.labelNames.length || names.some((n) => !def.labelNames.includes(n))) {
        throw new Error(
          `${metric}: labels {${names.join(', ')}} do not match {${def.labelNames.join(', ')}}`,
        );
      }
      const value: StoredSeries['value'] =
        def.type === 'histogram'
          ? { buckets: new Array<number>((def.buckets?.length ?? 0) + 1).fill(0), sum: 0, count: 0 }
          : 0;
      entry = { labels: { ...labels }, value };
      family.set(key, entry);
    }
    identity!.set(labels, entry);
    return entry;
  }
}
