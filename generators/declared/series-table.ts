import type { Labels, MetricWriter } from '../model/types.js';
import type { MetricPlan } from './plan.js';

/**
 * Writes a declared system's metrics: label objects are interned (the stores cache by identity), and the
 * values of metrics that derived gauges read are kept so they can be looked up per series.
 */
export class SeriesTable {
  private readonly interned = new Map<string, Map<string, Labels>>();
  private readonly tracked = new Map<string, Map<string, number>>();

  constructor(
    private readonly writer: MetricWriter,
    tracked: Iterable<string>,
  ) {
    for (const name of tracked) this.tracked.set(name, new Map());
  }

  /** The label object for these values (in the metric's label order). */
  labels(metric: MetricPlan, values: readonly string[]): Labels {
    let byKey = this.interned.get(metric.def.name);
    if (!byKey) {
      byKey = new Map();
      this.interned.set(metric.def.name, byKey);
    }
    const key = values.join('\u0001');
    let labels = byKey.get(key);
    if (!labels) {
      const object: Record<string, string> = {};
      metric.labels.forEach((l, i) => (object[l.name] = values[i]!));
      labels = Object.freeze(object);
      byKey.set(key, labels);
    }
    return labels;
  }

  touch(metric: MetricPlan, labels: Labels, instance: number): void {
    this.writer.touch(metric.def.name, labels, instance);
    this.track(metric, labels, instance, (v) => v ?? 0);
  }

  add(metric: MetricPlan, labels: Labels, value: number, instance: number): void {
    const name = metric.def.name;
    if (metric.def.type === 'counter') {
      if (value > 0) this.writer.add(name, labels, value, instance);
      this.track(metric, labels, instance, (v) => (v ?? 0) + Math.max(0, value));
      return;
    }
    const next = this.track(metric, labels, instance, (v) => (v ?? 0) + value, true);
    this.writer.set(name, labels, next, instance);
  }

  set(metric: MetricPlan, labels: Labels, value: number, instance: number): void {
    this.writer.set(metric.def.name, labels, value, instance);
    this.track(metric, labels, instance, () => value);
  }

  observe(metric: MetricPlan, labels: Labels, value: number, instance: number): void {
    this.writer.observe(metric.def.name, labels, value, instance);
  }

  /** The value of `metric` on the series of `instance` whose labels agree with `labels`. */
  read(metric: MetricPlan, labels: Labels, instance: number): number {
    return this.tracked.get(metric.def.name)?.get(seriesKey(metric, labels, instance)) ?? 0;
  }

  /** Current values of a tracked metric's series (for back-dating "last seen" timestamps). */
  series(metric: string): ReadonlyMap<string, number> | undefined {
    return this.tracked.get(metric);
  }

  private track(
    metric: MetricPlan,
    labels: Labels,
    instance: number,
    update: (value: number | undefined) => number,
    always = false,
  ): number {
    const values = this.tracked.get(metric.def.name);
    if (!values && !always) return 0;
    const key = seriesKey(metric, labels, instance);
    const map = values ?? this.gaugeValues(metric.def.name);
    const next = update(map.get(key));
    map.set(key, next);
    return next;
  }

  /** Gauges that events inc and dec need their current value even when no derived gauge reads them. */
  private gaugeValues(name: string): Map<string, number> {
    const map = new Map<string, number>();
    this.tracked.set(name, map);
    return map;
  }
}

/** The series key of a metric's labels taken from a (possibly larger) label set. */
function seriesKey(metric: MetricPlan, labels: Labels, instance: number): string {
  let key = String(instance);
  for (const l of metric.labels) key += `\u0001${labels[l.name]}`;
  return key;
}
