import type { MetricDefinition } from '../model/catalogue.js';
import type { Labels } from '../model/types.js';
import { labelKey, type HistogramValue, type MemoryMetrics } from '../outputs/metrics/memory-store.js';
import type { Sample } from './series-values.js';

export interface RecordedSeries {
  name: string;
  labels: Labels;
  samples: Sample[];
}

export interface ScrapeTarget {
  job: string;
  instance: string;
}

/** `le` as Prometheus 3 stores it after scraping: a float with a decimal point ("1.0", "0.005", "+Inf"). */
export function canonicalLe(bound: number): string {
  if (bound === Infinity) return '+Inf';
  const text = String(bound);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * Samples the in-memory store as a Prometheus scraping every target at each step would see it: `job` and
 * `instance` labels added, histograms split into `_bucket`, `_sum` and `_count`, an `up` series per job,
 * and a target that does not answer leaving its series stale.
 */
export class SeriesRecorder {
  private readonly series = new Map<string, RecordedSeries>();
  private readonly targets: ReadonlyMap<string, ScrapeTarget>;
  private count = 0;

  constructor(
    private readonly store: MemoryMetrics,
    targets: readonly ScrapeTarget[],
    private readonly le: (bound: number) => string = canonicalLe,
  ) {
    this.targets = new Map(targets.map((t) => [t.job, t]));
  }

  get samples(): number {
    return this.count;
  }

  /** Records one scrape of every target. */
  sample(): void {
    const seen = new Set<string>();
    for (const target of this.targets.values()) {
      const up = this.store.targetUp(target.job);
      this.put(seen, 'up', { job: target.job, instance: target.instance }, up ? 1 : 0);
    }
    for (const def of this.store.definitionsList()) {
      const target = this.targets.get(def.job);
      if (!target || !this.store.targetUp(def.job)) continue;
      for (const s of this.store.get(def.name)) this.record(seen, def, target, s.labels, s.value);
    }
    for (const [key, series] of this.series) {
      if (seen.has(key)) continue;
      const last = series.samples[series.samples.length - 1];
      series.samples.push(typeof last === 'number' ? 'stale' : undefined);
    }
    this.count++;
  }

  recorded(): RecordedSeries[] {
    return [...this.series.values()];
  }

  private record(
    seen: Set<string>,
    def: MetricDefinition,
    target: ScrapeTarget,
    labels: Labels,
    value: number | HistogramValue,
  ): void {
    const base = { ...labels, job: target.job, instance: target.instance };
    if (typeof value === 'number') {
      this.put(seen, def.name, base, value);
      return;
    }
    const bounds = [...(def.buckets ?? []), Infinity];
    bounds.forEach((bound, i) =>
      this.put(seen, `${def.name}_bucket`, { ...base, le: this.le(bound) }, value.buckets[i]!),
    );
    this.put(seen, `${def.name}_sum`, base, value.sum);
    this.put(seen, `${def.name}_count`, base, value.count);
  }

  private put(seen: Set<string>, name: string, labels: Labels, value: number): void {
    const key = `${name}{${labelKey(labels)}}`;
    seen.add(key);
    let series = this.series.get(key);
    if (!series) {
      series = { name, labels, samples: new Array<Sample>(this.count).fill(undefined) };
      this.series.set(key, series);
    }
    series.samples.push(value);
  }
}
