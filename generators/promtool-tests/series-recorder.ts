import type { MetricDefinition } from '../model/metric-definitions.js';
import type { Labels } from '../model/types.js';
import { labelKey, type MemoryMetrics, type StoredSeries } from '../outputs/metrics/memory-store.js';
import { SummaryValue } from '../outputs/metrics/summary-value.js';
import type { Sample } from './series-values.js';

export interface RecordedSeries {
  name: string;
  labels: Labels;
  samples: Sample[];
}

/** The recorded series one stored series expands to (several for a histogram or a summary). */
interface Expansion {
  series: RecordedSeries[];
  sampledAt: number;
}

export interface ScrapeTarget {
  job: string;
  /** Ordinal of the target among its job's. */
  instance: number;
  /** The `instance` label its series get: the address Prometheus scrapes. */
  address: string;
}

/**
 * `le` and `quantile` as Prometheus 3 stores them after scraping: a float with a decimal point ("1.0",
 * "0.005", "+Inf", "0.5").
 */
export function canonicalLe(bound: number): string {
  if (bound === Infinity) return '+Inf';
  const text = String(bound);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * Samples the in-memory store as a Prometheus scraping every target at each step would see it: `job` and
 * `instance` labels added, histograms split into `_bucket`, `_sum` and `_count`, summaries into one series
 * per quantile, `_sum` and `_count`, an `up` series per target, and a target that does not answer leaving
 * its own series stale.
 */
export class SeriesRecorder {
  private readonly expansions = new Map<StoredSeries | string, Expansion>();
  /** By metric and labels, so that a series removed and written again continues its own samples. */
  private readonly byKey = new Map<string, Expansion>();
  private readonly all: RecordedSeries[] = [];
  /** Targets by job, then ordinal. */
  private readonly targets = new Map<string, ScrapeTarget[]>();
  private count = 0;

  constructor(
    private readonly store: MemoryMetrics,
    targets: readonly ScrapeTarget[],
    private readonly floatLabel: (value: number) => string = canonicalLe,
  ) {
    for (const target of targets) {
      const list = this.targets.get(target.job) ?? [];
      list[target.instance] = target;
      this.targets.set(target.job, list);
    }
  }

  get samples(): number {
    return this.count;
  }

  /** Records one scrape of every target. */
  sample(): void {
    for (const target of [...this.targets.values()].flat()) {
      const up = this.store.targetUp(target.job, target.instance) ? 1 : 0;
      const expansion = this.expansion(`up/${target.job}/${target.instance}`, () => [
        this.create('up', { job: target.job, instance: target.address }),
      ]);
      expansion.series[0]!.samples.push(up);
      expansion.sampledAt = this.count;
    }
    for (const def of this.store.definitionsList()) {
      const targets = this.targets.get(def.job);
      if (!targets) continue;
      for (const stored of this.store.get(def.name)) {
        const target = targets[stored.instance];
        if (!target || !this.store.targetUp(def.job, stored.instance)) continue;
        let expansion = this.expansions.get(stored);
        if (!expansion) {
          const key = `${def.name}/${stored.instance}{${labelKey(stored.labels)}}`;
          expansion = this.byKey.get(key) ?? {
            series: this.expand(def, target, stored),
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

  private expand(def: MetricDefinition, target: ScrapeTarget, stored: StoredSeries): RecordedSeries[] {
    const base = { ...stored.labels, job: target.job, instance: target.address };
    const sumAndCount = () => [this.create(`${def.name}_sum`, base), this.create(`${def.name}_count`, base)];
    if (def.type === 'histogram') {
      const bounds = [...(def.buckets ?? []), Infinity];
      return [
        ...bounds.map((bound) => this.create(`${def.name}_bucket`, { ...base, le: this.floatLabel(bound) })),
        ...sumAndCount(),
      ];
    }
    if (def.type === 'summary') {
      const { quantiles } = stored.value as SummaryValue;
      return [
        ...quantiles.map((q) => this.create(def.name, { ...base, quantile: this.floatLabel(q) })),
        ...sumAndCount(),
      ];
    }
    return [this.create(def.name, base)];
  }

  private push(series: RecordedSeries[], value: StoredSeries['value']): void {
    if (typeof value === 'number') {
      series[0]!.samples.push(value);
      return;
    }
    const parts = value instanceof SummaryValue ? value.values() : value.buckets;
    for (let i = 0; i < parts.length; i++) series[i]!.samples.push(parts[i]!);
    series[parts.length]!.samples.push(value.sum);
    series[parts.length + 1]!.samples.push(value.count);
  }

  /** A new series, with gaps for the samples taken before it existed. */
  private create(name: string, labels: Labels): RecordedSeries {
    const series: RecordedSeries = { name, labels, samples: new Array<Sample>(this.count).fill(undefined) };
    this.all.push(series);
    return series;
  }
}
