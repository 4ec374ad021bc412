import type { FaultRequest } from '../model/faults/fault-catalogue.js';
import { ModelTime } from '../model/model-time.js';
import { Simulation } from '../model/simulation.js';
import type { SystemDefinition } from '../model/system.js';
import type { MetricWriter, ModelSink } from '../model/types.js';
import { PromRegistries } from '../outputs/metrics/prom-registries.js';
import { replicaSeed } from '../systems/scale.js';
import { targetsOf } from '../systems/targets.js';

/** One copy of the systems (of `--scale N`), with a model and registries of its own. */
export interface Replica {
  index: number;
  time: ModelTime;
  registries: PromRegistries;
  simulation: Simulation;
  /** Labels every series of the replica carries (set as its registries' default labels). */
  labels: Readonly<Record<string, string>>;
}

export interface ReplicaOptions {
  systems: readonly SystemDefinition[];
  seed: number | string;
  startTime: number;
  knobs?: Readonly<Record<string, unknown>>;
  faults?: readonly FaultRequest[];
  /** Logs and spans; the metrics go to the replica's registries (through `wrapMetrics`, if given). */
  sink: Omit<ModelSink, 'metrics'>;
  wrapMetrics?: (registries: PromRegistries, time: ModelTime) => MetricWriter;
  /** Whether the series carry a `replica` label (only when there is more than one replica). */
  labelled: boolean;
}

export function createReplica(index: number, options: ReplicaOptions): Replica {
  const time = new ModelTime(options.startTime);
  const targets = targetsOf(options.systems);
  const registries = new PromRegistries(
    options.systems.flatMap((s) => s.metrics),
    targets,
    { now: time.now },
  );
  const labels: Record<string, string> = options.labelled ? { replica: String(index) } : {};
  for (const { job, instance } of targets) registries.registry(job, instance).setDefaultLabels(labels);
  const simulation = time.follow(
    new Simulation({
      systems: options.systems,
      seed: replicaSeed(options.seed, index),
      startTime: options.startTime,
      sink: { ...options.sink, metrics: options.wrapMetrics?.(registries, time) ?? registries },
      knobs: options.knobs,
      faults: options.faults,
    }),
  );
  return { index, time, registries, simulation, labels };
}
