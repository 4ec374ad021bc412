import type { FaultRequest } from '../model/faults/fault-catalogue.js';
import type { MetricDefinition } from '../model/metric-definitions.js';
import { ModelTime } from '../model/model-time.js';
import { Simulation } from '../model/simulation.js';
import type { SystemDefinition } from '../model/system.js';
import type { MetricWriter, ModelSink } from '../model/types.js';
import { MemoryMetrics } from '../outputs/metrics/memory-store.js';
import { PromRegistries } from '../outputs/metrics/prom-registries.js';
import { seriesOf } from '../outputs/remote-write/registry-series.js';
import { seriesOfStore } from '../outputs/remote-write/store-series.js';
import type { TimeSeries } from '../outputs/remote-write/write-request.js';
import { replicaSeed } from '../systems/scale.js';
import { targetsOf, type JobTarget } from '../systems/targets.js';

/** One copy of the systems (of `--scale N`), with a model and metrics of its own. */
export interface Replica {
  index: number;
  time: ModelTime;
  simulation: Simulation;
  /** Labels every series of the replica carries. */
  labels: Readonly<Record<string, string>>;
  /** The scrape targets' registries; undefined when only pushing, the series then kept in a plain store. */
  registries?: PromRegistries;
  isUp(job: string, instance: number): boolean;
  /** A target's series at the replica's model time, with `targetLabels` added to the replica's labels. */
  series(
    job: string,
    instance: number,
    targetLabels: Readonly<Record<string, string>>,
  ): Promise<TimeSeries[]>;
}

export interface ReplicaOptions {
  systems: readonly SystemDefinition[];
  seed: number | string;
  startTime: number;
  knobs?: Readonly<Record<string, unknown>>;
  faults?: readonly FaultRequest[];
  /** Logs and spans; the metrics go to the replica's registries or store (through `wrapMetrics`, if given). */
  sink: Omit<ModelSink, 'metrics'>;
  wrapMetrics?: (metrics: MetricWriter) => MetricWriter;
  /** Whether the series carry a `replica` label (only when there is more than one replica). */
  labelled: boolean;
  /**
   * Whether the series are scraped (prom-client registries, default) or only pushed: a plain store then
   * holds them, at a fraction of the registries' memory per series.
   */
  scrape?: boolean;
}

/** What every replica of the same systems shares: their targets and each job's metrics. */
interface SystemsLayout {
  targets: JobTarget[];
  metrics: MetricDefinition[];
  byJob: Map<string, MetricDefinition[]>;
}

const layouts = new WeakMap<readonly SystemDefinition[], SystemsLayout>();

function layoutOf(systems: readonly SystemDefinition[]): SystemsLayout {
  let layout = layouts.get(systems);
  if (!layout) {
    const metrics = systems.flatMap((s) => s.metrics);
    const byJob = new Map<string, MetricDefinition[]>();
    for (const def of metrics) byJob.set(def.job, [...(byJob.get(def.job) ?? []), def]);
    layout = { targets: targetsOf(systems), metrics, byJob };
    layouts.set(systems, layout);
  }
  return layout;
}

export function createReplica(index: number, options: ReplicaOptions): Replica {
  const time = new ModelTime(options.startTime);
  const layout = layoutOf(options.systems);
  const labels: Record<string, string> = options.labelled ? { replica: String(index) } : {};
  const { metrics, ...access } =
    options.scrape === false ? storeMetrics(layout, time, labels) : registryMetrics(layout, time, labels);
  const simulation = time.follow(
    new Simulation({
      systems: options.systems,
      seed: replicaSeed(options.seed, index),
      startTime: options.startTime,
      sink: { ...options.sink, metrics: options.wrapMetrics?.(metrics) ?? metrics },
      knobs: options.knobs,
      faults: options.faults,
    }),
  );
  return { index, time, simulation, labels, ...access };
}

type MetricsAccess = Pick<Replica, 'registries' | 'isUp' | 'series'> & { metrics: MetricWriter };

function registryMetrics(
  layout: SystemsLayout,
  time: ModelTime,
  labels: Record<string, string>,
): MetricsAccess {
  const registries = new PromRegistries(layout.metrics, layout.targets, { now: time.now });
  for (const { job, instance } of layout.targets) registries.registry(job, instance).setDefaultLabels(labels);
  return {
    metrics: registries,
    registries,
    isUp: (job, instance) => registries.isUp(job, instance),
    series: (job, instance, targetLabels) =>
      seriesOf(registries.registry(job, instance), { ...labels, ...targetLabels }, time.now()),
  };
}

function storeMetrics(layout: SystemsLayout, time: ModelTime, labels: Record<string, string>): MetricsAccess {
  const store = new MemoryMetrics(layout.metrics, { now: time.now });
  // prom-client serves a counter, gauge or histogram without labels at zero from the start: so does the store.
  for (const { job, instance } of layout.targets)
    for (const def of layout.byJob.get(job) ?? [])
      if (def.labelNames.length === 0 && def.type !== 'summary') store.touch(def.name, {}, instance);
  return {
    metrics: store,
    isUp: (job, instance) => store.targetUp(job, instance),
    series: (job, instance, targetLabels) =>
      Promise.resolve(
        seriesOfStore(
          store,
          layout.byJob.get(job) ?? [],
          instance,
          { ...labels, ...targetLabels },
          time.now(),
        ),
      ),
  };
}
