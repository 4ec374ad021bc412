import type { MetricDefinition } from '../model/catalogue.js';
import type { Labels } from '../model/types.js';
import {
  labelKey,
  type HistogramValue,
  type MemoryMetrics,
  type StoredSeries,
} from '../outputs/metrics/memory-store.js';
import type { Sample } from './series-values.js';

export interface RecordedSeries {
  name: string;
  labels: Labels;
  samples: Sample[];
}

/** The recorded series one stored series expands to (several for a histogram). */
interface Expansion {
  series: RecordedSeries[];
  sampledAt: number;
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
  private readonly expansions = new Map<StoredSeries | string, Expansion>();
  /** By metric and labels, so that a series removed and written again continues its own samples. */
  private readonly byKey = new Map<string, Expansion>();
  private readonly all: RecordedSeries[] = [];
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
    for (const target of this.targets.values()) {
      const up = this.store.targetUp(target.job) ? 1 : 0;
      const expansion = this.expansion(`up/${target.job}`, () => [
        this.create('up', { job: target.job, instance: target.instance }),
      ]);
      expansion.series[0]!.samples.push(up);
      expansion.sampledAt = this.count;
    }
    for (const def of this.store.definitionsList()) {
      const target = this.targets.get(def.job);
      if (!target || !this.store.targetUp(def.job)) continue;
      for (const stored of this.store.get(def.name)) {
        let expansion = this.expansions.get(stored);
        if (!expansion) {
          const key = `${def.name}{${labelKey(stored.labels)}}`;
          expansion = this.byKey.get(key) ?? {
            series: this.expand(def, target, stored.labels),
            sampledAt: -1,
          };
          this.byKey.set(key, expansion);
          this.expansions.set(stored, expansion);
        }
        this.push(expansion.series, stored.value);
        expansion.sampledAt = this.count;
      }
    }
    for (const { series, sampledAt } of new Set(this.expansions.values())) {
      if (sampledAt === this.count) continue;
      for (const s of series) {
        const last = s.samples[s.samples.length - 1];
        s.samples.push(typeof last === 'number' ? 'stale' : undefined);
      }
    }
    this.count++;
  }

  recorded(): RecordedSeries[] {
    return this.all;
  }

  private expansion(key: StoredSeries | string, create: () => RecordedSeries[]): Expansion {
    let expansion = this.expansions.get(key);
    if (!expansion) {
      expansion = { series: create(), sampledAt: -1 };
      this.expansions.set(key, expansion);
    }
    return expansion;
  }

  private expand(def: MetricDefinition, target: ScrapeTarget, labels: Labels): RecordedSeries[] {
    const base = { ...labels, job: target.job, instance: target.instance };
    if (def.type !== 'histogram') return [this.create(def.name, base)];
    const bounds = [...(def.buckets ?? []), Infinity];
    return [
      ...bounds.map((bound) => this.create(`${def.name}_bucket`, { ...base, le: this.le(bound) })),
      this.create(`${def.name}_sum`, base),
      this.create(`${def.name}_count`, base),
    ];
  }

  private push(series: RecordedSeries[], value: number | HistogramValue): void {
    if (typeof value === 'number') {
      series[0]!.samples.push(value);
      return;
    }
    const buckets = value.buckets.length;
    for (let i = 0; i < buckets; i++) series[i]!.samples.push(value.buckets[i]!);
    series[buckets]!.samples.push(value.sum);
    series[buckets + 1]!.samples.push(value.count);
  }

  /** A new series, with gaps for the samples taken before it existed. */
  private create(name: string, labels: Labels): RecordedSeries {
    const series: RecordedSeries = { name, labels, samples: new Array<Sample>(this.count).fill(undefined) };
    this.all.push(series);
    return series;
  }
}
