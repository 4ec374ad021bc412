import type { Metric, Registry } from 'prom-client';
import type { MetricDefinition } from '../../model/metric-definitions.js';
import type { Labels } from '../../model/types.js';
import { assertLabelNames, labelKey, type HistogramValue } from './memory-store.js';

interface Series {
  labels: Labels;
  value: HistogramValue;
  removed?: boolean;
}

/** One line of the exposition, as prom-client's metrics give it to their registry. */
interface ExportedValue {
  metricName: string;
  labels: Record<string, string | number>;
  sharedLabels?: Labels;
  value: number;
  exemplar?: null;
}

/**
 * A histogram served by a prom-client registry, rendered as prom-client's `Histogram` renders (the same
 * lines in the same order), but counted as the in-memory store counts (see `HistogramValue`): an observation
 * costs a few additions instead of prom-client's label validation and hashing, and a series' counts can be
 * set at once from the store's (`set`), for a model that ran into the store first (the history).
 */
export class ModelHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();
  /** Series by label object: the model reuses label objects on hot paths. */
  private readonly byIdentity = new WeakMap<Labels, Series>();

  constructor(
    private readonly def: MetricDefinition,
    registry: Registry,
  ) {
    this.name = def.name;
    this.help = def.help;
    this.bounds = def.buckets ?? [];
    // prom-client serves a histogram without labels at zero from the start.
    if (def.labelNames.length === 0) this.zero({});
    // The registry only reads name, help, type and get(), which this provides; its types list its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  zero(labels: Labels): void {
    this.entry(labels).value = this.empty();
  }

  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: value ${value} is not a finite number`);
    const h = this.entry(labels).value;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) h.buckets[i]!++;
    h.buckets[bounds.length]!++;
    h.sum += value;
    h.count++;
  }

  /** Sets a series' counts (cumulative per bound, then +Inf) and sum. */
  set(labels: Labels, value: HistogramValue): void {
    if (value.buckets.length !== this.bounds.length + 1)
      throw new Error(
        `${this.name}: ${value.buckets.length} buckets for ${this.bounds.length} bounds and +Inf`,
      );
    this.entry(labels).value = { buckets: [...value.buckets], sum: value.sum, count: value.count };
  }

  remove(labels: Labels): void {
    const key = labelKey(labels);
    const series = this.series.get(key);
    if (series) series.removed = true;
    this.series.delete(key);
  }

  getForPromString() {
    const values: ExportedValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, value } of this.series.values()) {
      this.bounds.forEach((le, i) =>
        values.push({
          metricName: bucket,
          labels: { le },
          sharedLabels: labels,
          value: value.buckets[i]!,
          exemplar: null,
        }),
      );
      values.push(
        {
          metricName: bucket,
          labels: { le: '+Inf' },
          sharedLabels: labels,
          value: value.count,
          exemplar: null,
        },
        { metricName: `${this.name}_sum`, labels: {}, sharedLabels: labels, value: value.sum },
        { metricName: `${this.name}_count`, labels: {}, sharedLabels: labels, value: value.count },
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' });
  }

  async get() {
    const data = await this.getForPromString();
    const values = data.values.map(({ labels, sharedLabels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return { ...data, values };
  }

  private empty(): HistogramValue {
    return { buckets: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
  }

  private entry(labels: Labels): Series {
    const known = this.byIdentity.get(labels);
    if (known && !known.removed) return known;
    const key = labelKey(labels);
    let series = this.series.get(key);
    if (!series) {
      assertLabelNames(this.name, this.def.labelNames, labels);
      series = { labels: { ...labels }, value: this.empty() };
      this.series.set(key, series);
    }
    this.byIdentity.set(labels, series);
    return series;
  }
}
