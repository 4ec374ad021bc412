import type { MetricDefinition, MetricType } from './metric-definitions.js';
import type { MetricWriter } from './types.js';

/**
 * A metric of a system written in TypeScript: its definition, keeping the name, type and label names, so
 * that a write to the wrong kind of metric or with a missing or unknown label does not compile.
 */
export interface MetricHandle<
  N extends string = string,
  T extends MetricType = MetricType,
  L extends string = string,
> extends MetricDefinition {
  readonly name: N;
  readonly type: T;
  readonly labelNames: readonly L[];
}

/** A value for every label name of a metric and no other key (`{}` for a metric without labels). */
export type LabelValues<L extends string> = [L] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [K in L]: string };

type Declared<N extends string, L extends string> = Omit<MetricDefinition, 'name' | 'type' | 'labelNames'> & {
  name: N;
  labelNames: readonly L[];
};

function define<T extends MetricType>(type: T) {
  return <const N extends string, const L extends string = never>({
    name,
    ...rest
  }: Declared<N, L>): MetricHandle<N, T, L> => ({ name, type, ...rest });
}

export const defineCounter = define('counter');
export const defineGauge = define('gauge');
export const defineHistogram = define('histogram');
export const defineSummary = define('summary');

/** A MetricWriter written to through metric handles; the series are those of the writer. */
export class TypedMetricWriter {
  constructor(private readonly writer: MetricWriter) {}

  /** Creates a series at zero so that `increase()` and `rate()` see its first change. */
  touch<L extends string>(metric: MetricHandle<string, MetricType, L>, labels: LabelValues<L>): void {
    this.writer.touch(metric.name, labels);
  }

  add<L extends string>(
    metric: MetricHandle<string, 'counter', L>,
    labels: LabelValues<L>,
    value: number,
  ): void {
    this.writer.add(metric.name, labels, value);
  }

  set<L extends string>(
    metric: MetricHandle<string, 'gauge', L>,
    labels: LabelValues<L>,
    value: number,
  ): void {
    this.writer.set(metric.name, labels, value);
  }

  observe<L extends string>(
    metric: MetricHandle<string, 'histogram' | 'summary', L>,
    labels: LabelValues<L>,
    value: number,
  ): void {
    this.writer.observe(metric.name, labels, value);
  }

  remove<L extends string>(metric: MetricHandle<string, MetricType, L>, labels: LabelValues<L>): void {
    this.writer.remove(metric.name, labels);
  }
}
