import { ModelTime } from '../../generators/model/model-time.js';
import { Simulation } from '../../generators/model/simulation.js';
import type { FaultRequest } from '../../generators/model/faults/fault-catalogue.js';
import type { LogRecord, SpanRecord } from '../../generators/model/types.js';
import { MemoryMetrics } from '../../generators/outputs/metrics/memory-store.js';
import { defaultSystems } from '../../generators/systems/index.js';

export const T0 = Date.UTC(2026, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export interface Run {
  sim: Simulation;
  metrics: MemoryMetrics;
  logs: LogRecord[];
  spans: SpanRecord[];
}

/** A simulation over an in-memory store that keeps every log line and span. */
export function startRun(
  options: {
    seed?: number | string;
    startTime?: number;
    detail?: boolean;
    faults?: FaultRequest[];
    knobs?: Record<string, unknown>;
  } = {},
): Run {
  const systems = defaultSystems();
  const startTime = options.startTime ?? T0;
  const time = new ModelTime(startTime);
  const metrics = new MemoryMetrics(
    systems.flatMap((s) => s.metrics),
    { now: time.now },
  );
  const logs: LogRecord[] = [];
  const spans: SpanRecord[] = [];
  const detail = options.detail ?? true;
  const sim = time.follow(
    new Simulation({
      systems,
      seed: options.seed ?? 7,
      startTime,
      sink: detail ? { metrics, log: (r) => logs.push(r), span: (s) => spans.push(s) } : { metrics },
      faults: options.faults,
      knobs: options.knobs,
    }),
  );
  return { sim, metrics, logs, spans };
}

/** Sum of a counter's series, optionally only those whose labels match. */
export function total(metrics: MemoryMetrics, name: string, match: Record<string, string> = {}): number {
  return metrics
    .get(name)
    .filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + (s.value as number), 0);
}

/** A gauge's or counter's single value. */
export function value(metrics: MemoryMetrics, name: string, labels: Record<string, string> = {}): number {
  const v = metrics.value(name, labels);
  if (typeof v !== 'number') throw new Error(`${name}${JSON.stringify(labels)} has no numeric value`);
  return v;
}
